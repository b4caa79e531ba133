"""A to-do service in the spirit of the DRF tutorial: owners, tags, tasks and subtasks."""
