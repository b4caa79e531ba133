"""The sample project: one DRF to-do API served both as REST and as GraphQL."""
