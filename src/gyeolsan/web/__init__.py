"""The 결산 workspace: a Django 5.2 project over the core (like fava over beancount).

The web app stores, permits and shows; numbers, rules and documents come from the core
(``gyeolsan.io``, ``gyeolsan.rules``, ``gyeolsan.report``). Import Django lazily: nothing in the
core or the CLI imports this package at module level.
"""

from __future__ import annotations

import os

SETTINGS_MODULE = "gyeolsan.web.settings"


def setup() -> None:
    """Configure Django (settings from the environment) once per process."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()
