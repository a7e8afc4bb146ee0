"""연도 비교: the same office's settlements of different fiscal years, matched by program name, with 증감/증감률."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from gyeolsan.model import numbers
from gyeolsan.web import permissions
from gyeolsan.web.views.common import page, settlement_for
from gyeolsan.web.workspace.models import BudgetLine, ChangeLine, division_key

MEASURES = {"budget_current": "예산현액", "budget": "예산액", "spent": "집행액"}
KINDS = ("division", "policy", "unit")


def compare(request: HttpRequest, pk: int) -> HttpResponse:
    record = settlement_for(request, pk)
    measure = request.GET.get("measure", "budget_current")
    if measure not in MEASURES:
        measure = "budget_current"
    years = [
        s
        for s in permissions.visible_settlements(request.user)
        .filter(office=record.office)
        .order_by("fiscal_year")
    ]
    table: dict[tuple[str, str], dict[str, Any]] = {}
    order: list[tuple[str, str]] = []
    for s in years:
        lines = BudgetLine.objects.filter(settlement=s, place="settlement", kind__in=KINDS).order_by(
            "position"
        )
        division = ""
        for ln in lines:
            if ln.kind == "division":
                division = ln.name
            key = (ln.kind, division_key(ln.name))
            if key not in table:
                table[key] = {"name": ln.name, "kind": ln.kind, "division": division, "values": {}}
                order.append(key)
            table[key]["values"][s.fiscal_year] = getattr(ln, measure)
            table[key]["name"] = ln.name  # latest spelling
    year_list: list[int | str] = [s.fiscal_year for s in years]
    if measure == "budget" and years:
        _add_next_year(years[-1], table, order, year_list)
    rows = []
    for key in order:
        item = table[key]
        values = [item["values"].get(y) for y in year_list]
        changes = []
        for prev, cur in zip(values, values[1:], strict=False):
            if prev is None and cur is None:
                changes.append({"change": None, "rate": None, "new": False, "gone": False})
                continue
            changes.append(
                {
                    "change": (cur or 0) - (prev or 0),
                    "rate": numbers.change_rate(prev, cur),
                    "new": prev is None,
                    "gone": cur is None,
                }
            )
        rows.append({**item, "cells": values, "changes": changes})
    return page(
        request,
        "gyeolsan/compare.html",
        record,
        "compare",
        rows=rows,
        years=year_list,
        pairs=list(zip(year_list, year_list[1:], strict=False)),
        measure=measure,
        measures=MEASURES,
        unit=record.document.get("settlement", {}).get("unit", "천원"),
    )


def _add_next_year(latest, table, order, year_list) -> None:  # type: ignore[no-untyped-def]
    """The latest settlement's next-year budget table (다음연도 예산) as one more 예산액 column."""
    next_year = (latest.document.get("next_year") or {}).get("year")
    if not next_year or next_year in year_list:
        return
    label = f"{next_year} 예산"
    division = ""
    for ln in ChangeLine.objects.filter(settlement=latest, kind__in=KINDS).order_by("position"):
        if ln.kind == "division":
            division = ln.name
        key = (ln.kind, division_key(ln.name))
        if key not in table:
            table[key] = {"name": ln.name, "kind": ln.kind, "division": division, "values": {}}
            order.append(key)
        table[key]["values"][label] = ln.current
    year_list.append(label)
