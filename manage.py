#!/usr/bin/env python
from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kommuneradar.settings")
    # A developer's checkout: with no SECRET_KEY and DEBUG unset, manage.py runs in
    # development mode (DEBUG on, which also selects the settings' development key), so the
    # README's commands work as printed. Production never relies on this: the WSGI server
    # does not go through manage.py and still requires SECRET_KEY, and an explicit DEBUG=0
    # (or any SECRET_KEY) switches it off here too.
    if not any(os.environ.get(name) for name in ("SECRET_KEY", "SECRET_KEY_FILE", "DEBUG")):
        os.environ["DEBUG"] = "1"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
