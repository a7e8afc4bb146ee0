"""Small helpers shared by the web tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.paths import FIXTURES


def unit_line(record: Any, division: Any):  # type: ignore[no-untyped-def]
    """The first 단위사업 row of a division in the settlement table."""
    from gyeolsan.web.workspace.models import BudgetLine

    return BudgetLine.objects.filter(
        settlement=record, division=division, kind="unit", place="settlement"
    ).first()


def fixture_path(name: str) -> Path:
    return FIXTURES / name
