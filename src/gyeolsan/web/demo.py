"""``gyeolsan serve --demo``: the demo settlement and one user per role. Idempotent.

The demo settlement (``gyeolsan.demo.load_demo()``) is stored once; later runs keep what was edited.
Demo passwords are random, generated on the first run and kept (mode 0600) in the data folder so
that every run prints the same ones. Demo mode serves on 127.0.0.1 only.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from gyeolsan.web.workspace.models import Membership, Office, Role, Settlement


@dataclass(frozen=True)
class DemoUser:
    username: str
    display: str
    role: Role
    division: str = ""


WRITER_DIVISION = "뉴미디어담당관"

DEMO_USERS = (
    DemoUser("writer", "김작성", Role.WRITER, WRITER_DIVISION),
    DemoUser("approver", "이승인", Role.APPROVER, WRITER_DIVISION),
    DemoUser("coordinator", "박총괄", Role.COORDINATOR),
    DemoUser("viewer", "최열람 (의회)", Role.VIEWER),
    DemoUser("admin", "관리자", Role.ADMIN),
)


def _passwords(path: Path) -> tuple[dict[str, str], bool]:
    """(username → password, generated now?)."""
    if path.exists():
        return dict(json.loads(path.read_text(encoding="utf-8"))), False
    words = {u.username: f"{u.username}-{secrets.token_urlsafe(9)}" for u in DEMO_USERS}
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(words, fh)
    return words, True


@transaction.atomic
def prepare_demo() -> tuple[Settlement, dict[str, str], bool]:
    """(demo settlement, username → password, created now?)."""
    from gyeolsan.demo import load_demo
    from gyeolsan.web.convert import from_model

    model = load_demo()
    office_name = model.meta.office or "시민소통기획관"
    record = Settlement.objects.filter(
        office__government=model.meta.government or "",
        office__name=office_name,
        fiscal_year=model.meta.fiscal_year,
    ).first()
    created = record is None
    if record is None:
        record = from_model(model, reason="데모 데이터")
    office = Office.objects.get(pk=record.office_id)
    passwords, fresh = _passwords(Path(settings.DATA_DIR) / "demo-users.json")
    User = get_user_model()
    for u in DEMO_USERS:
        user, new = User.objects.get_or_create(username=u.username)
        user.first_name = u.display
        user.is_staff = user.is_superuser = u.role == Role.ADMIN
        if new or fresh:
            user.set_password(passwords[u.username])
        user.save()
        Membership.objects.get_or_create(
            user=user,
            role=u.role,
            office=None if u.role in (Role.VIEWER, Role.ADMIN) else office,
            division_name=u.division,
        )
    return record, passwords, created
