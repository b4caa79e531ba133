#!/usr/bin/env python
"""Django's command-line utility for the sample project.

Run it from ``sample_app/`` (``make demo`` does). The directory holding this file is put first
on ``sys.path`` so that ``sample_project`` and ``todo`` import the same way whatever the
current directory is, without installing the sample app as a package.
"""

import os
import sys
from pathlib import Path


def main() -> None:
    """Point Django at the sample settings and hand the command line to it."""
    here = str(Path(__file__).resolve().parent)
    if here not in sys.path:  # `python manage.py` already added it; `python sample_app/...` too
        sys.path.insert(0, here)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sample_project.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
