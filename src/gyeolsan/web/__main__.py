"""``python -m gyeolsan.web <command>`` — Django's manage.py (migrate, createsuperuser, makemigrations …)."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gyeolsan.web.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["gyeolsan-web", *sys.argv[1:]])


if __name__ == "__main__":
    main()
