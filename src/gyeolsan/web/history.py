"""Change history (django-simple-history): who changed what, when, before → after; per settlement and per row."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models

from gyeolsan.web.editing import EDITABLE, display, spec
from gyeolsan.web.workspace.models import (
    Adjustment,
    AuditRecommendation,
    BudgetLine,
    ChangeLine,
    Deadline,
    Division,
    ProgramCard,
    RevenueLine,
    Settlement,
    StaffingRow,
)

TRACKED: tuple[type[models.Model], ...] = (
    Settlement,
    Division,
    BudgetLine,
    ChangeLine,
    RevenueLine,
    StaffingRow,
    Adjustment,
    ProgramCard,
    AuditRecommendation,
    Deadline,
)
BY_NAME = {m._meta.model_name: m for m in TRACKED}
SKIP = {
    "version",
    "position",
    "src",
    "card_src",
    "document",
    "revision",
    "id",
    "settlement",
    "division",
    "parent",
}
TYPES = {"+": "추가", "~": "수정", "-": "삭제"}


@dataclass
class Entry:
    when: datetime
    user: str
    model: str
    model_name: str
    object_id: int
    label: str
    kind: str  # 추가 / 수정 / 삭제
    reason: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (field label, before, after)


def _label(model: type[models.Model], name: str) -> str:
    s = spec(model, name) if model in EDITABLE else None  # type: ignore[arg-type]
    if s is not None:
        return s.label
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:
        return name


def _show(model: type[models.Model], name: str, value: Any) -> str:
    s = spec(model, name) if model in EDITABLE else None  # type: ignore[arg-type]
    if s is not None:
        return display(s, value) or "(빈 값)"
    if value is None or value == "":
        return "(빈 값)"
    if isinstance(value, dict) and "text" in value:
        return str(value["text"])
    return str(value)[:200]


def _diff(model: type[models.Model], old: Any, new: Any) -> list[tuple[str, str, str]]:
    out = []
    for f in model._meta.concrete_fields:
        name = f.attname if f.is_relation else f.name
        if f.name in SKIP or name in SKIP:
            continue
        before, after = getattr(old, name, None), getattr(new, name, None)
        if before != after:
            out.append((_label(model, f.name), _show(model, f.name, before), _show(model, f.name, after)))
    return out


def _entries(model: type[models.Model], records: list[Any]) -> list[Entry]:
    """Entries with diffs from consecutive history records of each object."""
    by_object: dict[int, list[Any]] = {}
    for r in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        by_object.setdefault(r.id, []).append(r)
    out = []
    for object_id, recs in by_object.items():
        previous = None
        for r in recs:
            changes = _diff(model, previous, r) if previous is not None and r.history_type == "~" else []
            user = r.history_user
            out.append(
                Entry(
                    when=r.history_date,
                    user=(user.get_full_name() or user.get_username()) if user else "시스템",
                    model=str(model._meta.verbose_name),
                    model_name=model._meta.model_name or "",
                    object_id=object_id,
                    label=str(getattr(r, "name", None) or getattr(r, "title", None) or r.instance),
                    kind=TYPES.get(r.history_type, r.history_type),
                    reason=r.history_change_reason or "",
                    changes=changes,
                )
            )
            previous = r
    return out


def settlement_history(record: Settlement, *, limit: int = 300, only_changes: bool = False) -> list[Entry]:
    """Every recorded change of a settlement's data, newest first."""
    entries: list[Entry] = []
    for model in TRACKED:
        hist = model.history.model  # type: ignore[attr-defined]
        where = {"id": record.pk} if model is Settlement else {"settlement_id": record.pk}
        recent = list(
            hist.objects.filter(**where)
            .order_by("-history_date", "-history_id")
            .values_list("id", flat=True)[:limit]
        )
        if not recent:
            continue
        records = list(hist.objects.filter(**where, id__in=set(recent)).select_related("history_user"))
        entries += _entries(model, records)
    entries.sort(key=lambda e: e.when, reverse=True)
    if only_changes:
        entries = [e for e in entries if e.kind != "추가" or e.reason not in ("가져오기", "데모 데이터")]
    return entries[:limit]


def object_history(model: type[models.Model], object_id: int) -> list[Entry]:
    hist = model.history.model  # type: ignore[attr-defined]
    records = list(hist.objects.filter(id=object_id).select_related("history_user"))
    return sorted(_entries(model, records), key=lambda e: e.when, reverse=True)


def settlement_of(model: type[models.Model], object_id: int) -> int | None:
    """The settlement a (possibly deleted) object belonged to."""
    if model is Settlement:
        return object_id
    hist = model.history.model  # type: ignore[attr-defined]
    last = (
        hist.objects.filter(id=object_id)
        .order_by("-history_date")
        .values_list("settlement_id", flat=True)
        .first()
    )
    return last
