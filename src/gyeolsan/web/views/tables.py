"""결산표 editor: the settlement tables with live validation as you type and optimistic locking.

Typing in a cell asks the server to *check* the value (the rules run on the stored data plus the unsaved
value; nothing is written); leaving the cell *saves* it (version-checked). Either way every row's
findings come back and appear next to the cells they are about.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from gyeolsan.web import permissions
from gyeolsan.web.convert import tag_for
from gyeolsan.web.editing import EDITABLE, MODELS_BY_NAME, FieldSpec, display, parse_changes, spec, update_row
from gyeolsan.web.permissions import Action
from gyeolsan.web.validation import Attributed, Findings, compute, findings_of
from gyeolsan.web.views.common import json_error, page, settlement_for
from gyeolsan.web.workspace.models import BudgetLine, ChangeLine, RevenueLine, Row, Settlement, StaffingRow

LEVELS = {"total": 0, "business": 0, "basic_total": 0, "category": 1, "division": 1, "policy": 2, "basic": 2}
LEVELS.update({"unit": 3, "detail": 4, "item": 5})


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    model: type[Row]
    caption: str
    default_columns: tuple[str, ...]
    doc_path: tuple[str, ...]
    filters: tuple[tuple[str, str], ...] = ()


TABS = (
    Tab(
        "settlement",
        "I. 결산표",
        BudgetLine,
        "세출 결산 (부서 → 정책사업 → 단위사업)",
        ("budget", "budget_current", "spent", "rate"),
        ("settlement",),
        (("place", "settlement"),),
    ),
    Tab(
        "expenditure",
        "IV. 부서별 세출결산",
        BudgetLine,
        "세출결산 부서별 현황",
        ("budget", "budget_current", "spent", "unused", "rate"),
        ("expenditure", "table"),
        (("place", "expenditure"),),
    ),
    Tab(
        "next_year",
        "다음연도 예산",
        ChangeLine,
        "다음연도 예산",
        ("previous", "current", "change", "change_rate"),
        ("next_year",),
    ),
    Tab(
        "revenue",
        "세입 결산",
        RevenueLine,
        "세입 결산",
        ("budget", "budget_current", "levied", "received", "written_off", "uncollected"),
        ("revenue",),
    ),
    Tab("staffing", "인력 현황", StaffingRow, "정원·현원", ("quota", "current"), ("staffing",)),
)
TAB_BY_KEY = {t.key: t for t in TABS}


def _doc_part(record: Settlement, path: tuple[str, ...]) -> dict[str, Any]:
    part: Any = record.document
    for p in path:
        part = (part or {}).get(p)
    return part or {}


def columns_of(record: Settlement, tab: Tab) -> list[FieldSpec]:
    """The table's columns in print order (as imported), editable ones only."""
    printed = tuple(_doc_part(record, tab.doc_path).get("columns") or ()) or tab.default_columns
    specs = [spec(tab.model, c) for c in printed]
    return [s for s in specs if s is not None] or [
        s for c in tab.default_columns if (s := spec(tab.model, c))
    ]


def _marks(items: list[Attributed], columns: list[FieldSpec]) -> dict[str, str]:
    """Which cells a row's findings are about: field → worst severity."""
    names = {s.name: s.name for s in columns} | {s.label: s.name for s in columns}
    out: dict[str, str] = {}
    rank = {"error": 0, "warning": 1, "info": 2}
    for a in items:
        field = names.get(a.field or "")
        if field and (field not in out or rank[a.severity.value] < rank[out[field]]):
            out[field] = a.severity.value
    return out


def table_rows(record: Settlement, tab: Tab, user: Any, found: Findings) -> list[dict[str, Any]]:
    columns = columns_of(record, tab)
    filters = dict(tab.filters)
    objs = list(
        tab.model.objects.filter(settlement=record, **filters).select_related("division").order_by("position")
    )
    editable = permissions.editable_divisions(user, record)
    office_editable = permissions.can(user, Action.EDIT, record)
    rows = []
    for obj in objs:
        division = obj.division
        can_edit = (division.key in editable) if division is not None else office_editable
        items = found.for_target(tag_for(obj)[1:])
        kind = getattr(obj, "kind", "total" if getattr(obj, "is_total", False) else "item")
        cells = [
            {"spec": s, "value": display(s, getattr(obj, s.name)), "mark": None, "id": f"c-{obj.pk}-{s.name}"}
            for s in columns
        ]
        marks = _marks(items, columns)
        for c in cells:
            c["mark"] = marks.get(c["spec"].name)
        rows.append(
            {
                "obj": obj,
                "tag": tag_for(obj)[1:],
                "kind": kind,
                "level": LEVELS.get(kind, 3),
                "cells": cells,
                "findings": items,
                "editable": can_edit,
                "model": obj._meta.model_name,
            }
        )
    return rows


def table_body(record: Settlement, tab: Tab, user: Any, found: Findings) -> str:
    """The rendered rows, cached by what they depend on: the data revision and what the user may edit."""
    editable = sorted(permissions.editable_divisions(user, record))
    office = permissions.can(user, Action.EDIT, record)
    signature = repr(
        (record.pk, tab.key, record.revision, record.findings_revision, record.locked, editable, office)
    )
    key = "gyeolsan:table:" + hashlib.sha1(signature.encode()).hexdigest()
    body = cache.get(key)
    if body is None:
        rows = table_rows(record, tab, user, found)
        body = render_to_string("gyeolsan/_table_body.html", {"rows": rows})
        cache.set(key, body, 3600)
    return mark_safe(body)  # rendered by the template engine (escaped there)


def table(request: HttpRequest, pk: int, tab: str = "settlement") -> HttpResponse:
    record = settlement_for(request, pk)
    current = TAB_BY_KEY.get(tab) or TABS[0]
    found = findings_of(record)
    part = _doc_part(record, current.doc_path)
    return page(
        request,
        "gyeolsan/table.html",
        record,
        "table",
        tabs=[t for t in TABS if _doc_part(record, t.doc_path) or t.key == current.key],
        tab=current,
        columns=columns_of(record, current),
        body=table_body(record, current, request.user, found),
        unit=part.get("unit") or ("명" if current.key == "staffing" else "천원"),
        title=part.get("title") or current.caption,
        counts=found.counts(),
    )


def findings_payload(record: Settlement, found: Findings, tab: Tab, user: Any) -> dict[str, Any]:
    """Every row's findings (HTML) and cell marks, and the counts by division, for the page to update."""
    rows = table_rows(record, tab, user, found)
    return {
        "rows": {
            r["tag"]: {
                "html": render_to_string("gyeolsan/_row_findings.html", {"row": r}),
                "marks": {c["id"]: c["mark"] for c in r["cells"]},
            }
            for r in rows
        },
        "counts": found.counts(),
        "divisions": {str(d.pk): found.counts(d.pk) for d in record.divisions.all()},
    }


@require_POST
def edit(request: HttpRequest, pk: int) -> JsonResponse:
    """Check (``mode=check``: nothing written) or save (``mode=save``) one cell."""
    record = settlement_for(request, pk)
    model = MODELS_BY_NAME.get(request.POST.get("model", ""))
    tab = TAB_BY_KEY.get(request.POST.get("tab", "")) or TABS[0]
    field, value = request.POST.get("field", ""), request.POST.get("value", "")
    try:
        row_pk = int(request.POST.get("pk", ""))
        version = int(request.POST.get("version", ""))
    except ValueError:
        return json_error("요청이 올바르지 않습니다.", "Bad request.", 400)
    if model is None or spec(model, field) is None or model not in EDITABLE:
        return json_error("고칠 수 없는 항목입니다.", "Field not editable.", 400)
    obj = model.objects.filter(pk=row_pk, settlement=record).select_related("division", "settlement").first()
    if obj is None:
        return json_error("행을 찾을 수 없습니다.", "Row not found.", 404)
    why = permissions.reason_denied(request.user, Action.EDIT, obj)
    if why is not None:
        return json_error(why, "Not allowed to edit this row.", 403)

    if request.POST.get("mode") == "check":
        values, errors = parse_changes(model, {field: value})
        if errors:
            return json_error(errors[field], "Invalid value.", 422, field=field)
        found = compute(record, overrides={tag_for(obj): values})
        return JsonResponse(
            {"ok": True, "saved": False, **findings_payload(record, found, tab, request.user)}
        )

    result = update_row(model, row_pk, {field: value}, version, request.user)
    if result.errors:
        return json_error(
            result.errors.get(field, "값이 올바르지 않습니다."), "Invalid value.", 422, field=field
        )
    if result.denied:
        return json_error(result.denied, "Not allowed.", 403)
    if result.conflict:
        c = result.conflict
        return json_error(c.message, c.message_en, 409, conflict=c.fields, version=c.version)
    saved = result.obj
    record.refresh_from_db(fields=["revision", "findings", "findings_revision"])
    found = findings_of(record)
    return JsonResponse(
        {
            "ok": True,
            "saved": result.changed,
            "version": saved.version,  # type: ignore[union-attr]
            "value": display(spec(model, field), getattr(saved, field)),
            **findings_payload(record, found, tab, request.user),
        }
    )
