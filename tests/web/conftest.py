"""Django for the web tests only: configured when this folder is collected, so other tests never need it.

SQLite (in memory) by default; PostgreSQL when ``DATABASE_URL`` is set (scripts/test does both).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.paths import FIXTURES


def pytest_configure(config: pytest.Config) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "gyeolsan.web.settings"
    os.environ.setdefault("GYEOLSAN_DATA_DIR", tempfile.mkdtemp(prefix="gyeolsan-web-test-"))
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # sync Playwright runs an event loop
    import django
    from django.apps import apps
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins in tests
    if not apps.ready:
        django.setup()
    try:  # pytest-django: block database access outside django_db tests (as when it sets Django up itself)
        from pytest_django.plugin import _setup_django

        _setup_django(config)
    except ImportError:  # pragma: no cover - pytest-django internals changed
        pass


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Debian's chromium (never `playwright install`)."""
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


# ----------------------------------------------------------------------------- data


@pytest.fixture(scope="session")
def clean_model():
    """A fully consistent report (zero errors): 문화본부 2021, three divisions."""
    from gyeolsan.io import load_any

    return load_any(FIXTURES / "clean_culture_2021.txt").settlement


@pytest.fixture(scope="session")
def demo_model():
    from gyeolsan.demo import load_demo

    return load_demo()


@pytest.fixture
def stored(db, clean_model):
    from gyeolsan.web.convert import from_model

    return from_model(clean_model)


@dataclass
class People:
    writer: Any  # 작성자 of division A
    approver: Any  # 승인자 of division A
    writer_b: Any  # 작성자 of division B
    approver_b: Any
    coordinator: Any  # 총괄 of the office
    viewer: Any  # 열람자 (every office)
    admin: Any
    outsider: Any  # no role at all
    other_coordinator: Any  # 총괄 of another office
    division_a: Any
    division_b: Any


@pytest.fixture
def people(stored, django_user_model) -> People:
    from gyeolsan.web.workspace.models import Membership, Office, Role

    office = stored.office
    other, _ = Office.objects.get_or_create(government="서울특별시", name="다른실국")
    a, b = list(stored.divisions.all())[:2]

    def make(
        name: str, role: Role | None, office_=office, division: str = "", superuser: bool = False
    ) -> Any:
        user = django_user_model.objects.create_user(name, password="pw-" + name, first_name=name)
        if superuser:
            user.is_superuser = user.is_staff = True
            user.save()
        if role is not None:
            Membership.objects.create(user=user, office=office_, role=role, division_name=division)
        return user

    return People(
        writer=make("writer", Role.WRITER, division=a.name),
        approver=make("approver", Role.APPROVER, division=a.name),
        writer_b=make("writer_b", Role.WRITER, division=b.name),
        approver_b=make("approver_b", Role.APPROVER, division=b.name),
        coordinator=make("coordinator", Role.COORDINATOR),
        viewer=make("viewer", Role.VIEWER, office_=None),
        admin=make("admin", Role.ADMIN, office_=None),
        outsider=make("outsider", None),
        other_coordinator=make("other_coordinator", Role.COORDINATOR, office_=other),
        division_a=a,
        division_b=b,
    )


@pytest.fixture
def login(client) -> Callable[[Any], Any]:
    """``login(user)`` → the test client, logged in as ``user``."""

    def _login(user: Any) -> Any:
        client.force_login(user)
        for attr in ("_gyeolsan_memberships",):
            if hasattr(user, attr):
                delattr(user, attr)
        return client

    return _login
