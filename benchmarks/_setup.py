"""Boot the benchmark project in a script: its settings, and a fresh in-memory SQLite database.

Shared by ``run.py``, ``schema_build.py`` and ``profile_ops.py``. Nothing here depends on the
library's test project (``tests/``).
"""

from __future__ import annotations

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def boot_django(create_db: bool = True) -> None:
    """Configure Django with ``benchproject.settings``; create the test database if asked."""
    for path in (HERE, ROOT):
        if path not in sys.path:
            sys.path.insert(0, path)
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchproject.settings"
    os.environ.pop("DATABASE_URL", None)

    import django

    django.setup()
    if create_db:
        from django.db import connection
        from django.test.utils import setup_test_environment

        setup_test_environment()
        connection.creation.create_test_db(verbosity=0)


def rss_kib() -> int:
    """Resident set size now, in KiB, from ``/proc/self/status`` (0 where there is no /proc)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0
