"""Export as a Frictionless Data Package: one CSV per table plus ``datapackage.json`` (for open-data users).

Amounts are integers in the unit named in each resource's description and field titles; rates are
decimal strings as printed. Rows keep their hierarchy through ``id``/``parent_id``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from gyeolsan.model import BudgetLine, ChangeLine, RevenueLine, Settlement

Row = dict[str, Any]

BUDGET_FIELDS = [
    ("id", "integer", "행 번호"),
    ("parent_id", "integer", "상위 행 번호"),
    ("kind", "string", "구분 (total/business/basic_total/division/policy/unit/basic/detail/item)"),
    ("name", "string", "부서/사업명"),
    ("code", "string", "코드"),
    ("budget", "integer", "예산액"),
    ("budget_current", "integer", "예산현액"),
    ("spent", "integer", "집행액"),
    ("carried_over", "integer", "다음연도 이월액"),
    ("unused", "integer", "집행잔액"),
    ("rate", "number", "집행률(%) 표기값"),
    ("source_line", "integer", "원문 행"),
]
CHANGE_FIELDS = [
    ("id", "integer", "행 번호"),
    ("parent_id", "integer", "상위 행 번호"),
    ("kind", "string", "구분"),
    ("name", "string", "부서/사업명"),
    ("previous", "integer", "전년 예산"),
    ("current", "integer", "당해 예산"),
    ("change", "integer", "증감 표기값"),
    ("change_rate", "number", "증감률(%) 표기값"),
    ("source_line", "integer", "원문 행"),
]
REVENUE_FIELDS = [
    ("id", "integer", "행 번호"),
    ("parent_id", "integer", "상위 행 번호"),
    ("kind", "string", "구분"),
    ("name", "string", "세입 과목"),
    ("budget", "integer", "예산액"),
    ("budget_current", "integer", "예산현액"),
    ("levied", "integer", "징수결정액"),
    ("received", "integer", "수납액"),
    ("written_off", "integer", "불납결손액"),
    ("uncollected", "integer", "미수납액"),
    ("source_line", "integer", "원문 행"),
]
STAFF_FIELDS = [
    ("division", "string", "부서"),
    ("series", "string", "직렬 (총계 포함)"),
    ("quota", "integer", "정원"),
    ("current", "integer", "현원"),
]
ADJ_FIELDS = [
    ("kind", "string", "구분 (이용/전용/변경사용/이체/이월)"),
    ("carry_kind", "string", "이월 종류"),
    ("date", "string", "일자"),
    ("from_division", "string", "부서(전)"),
    ("from_program", "string", "사업(전)"),
    ("to_division", "string", "부서(후)"),
    ("to_program", "string", "사업(후)"),
    ("from_item", "string", "과목(전)"),
    ("to_item", "string", "과목(후)"),
    ("amount", "integer", "금액"),
    ("approved_on", "string", "의회 승인"),
    ("reported_on", "string", "상임위 보고"),
]
CARD_FIELDS = [
    ("group", "integer", "사업군"),
    ("index", "integer", "순번"),
    ("title", "string", "사업명"),
    ("budget_current", "integer", "예산현액(표기)"),
    ("spent", "integer", "집행액(표기)"),
    ("rate", "number", "집행률(표기)"),
    ("unit", "string", "단위"),
    ("unit_programs", "string", "포함 단위사업 (; 구분)"),
]
AUDIT_FIELDS = [
    ("number", "integer", "연번"),
    ("title", "string", "시정·권고사항"),
    ("status", "string", "추진 현황"),
    ("department", "string", "소관"),
]


def _tree(lines: Iterable[Any], fields: list[tuple[str, str, str]]) -> Iterator[Row]:
    counter = iter(range(1, 1_000_000_000))

    def walk(line: BudgetLine | ChangeLine | RevenueLine, parent: int | None) -> Iterator[Row]:
        me = next(counter)
        row: Row = {"id": me, "parent_id": parent, "source_line": line.src.line}
        for name, _, _ in fields:
            if name not in row:
                row[name] = getattr(line, name, None)
        yield row
        for child in line.children:
            yield from walk(child, me)

    for root in lines:
        yield from walk(root, None)


def tables(s: Settlement) -> dict[str, tuple[list[tuple[str, str, str]], list[Row], str]]:
    out: dict[str, tuple[list[tuple[str, str, str]], list[Row], str]] = {}
    if s.settlement:
        out["settlement"] = (
            BUDGET_FIELDS,
            list(_tree(s.settlement.lines, BUDGET_FIELDS)),
            f"{s.settlement.title} ({s.settlement.unit})",
        )
    if s.next_year:
        out["next_year"] = (
            CHANGE_FIELDS,
            list(_tree(s.next_year.lines, CHANGE_FIELDS)),
            f"{s.next_year.title} ({s.next_year.unit})",
        )
    if s.expenditure and s.expenditure.table:
        t = s.expenditure.table
        out["expenditure"] = (BUDGET_FIELDS, list(_tree(t.lines, BUDGET_FIELDS)), f"{t.title} ({t.unit})")
    if s.revenue:
        out["revenue"] = (
            REVENUE_FIELDS,
            list(_tree(s.revenue.lines, REVENUE_FIELDS)),
            f"세입결산 ({s.revenue.unit})",
        )
    if s.staffing:
        rows: list[Row] = []
        for r in s.staffing.rows:
            rows.append(
                {"division": r.name, "series": "총계", "quota": r.total.quota, "current": r.total.current}
            )
            for series, hc in zip(s.staffing.series, r.by_series, strict=False):
                rows.append({"division": r.name, "series": series, "quota": hc.quota, "current": hc.current})
        out["staffing"] = (STAFF_FIELDS, rows, "인력 현황 (정원/현원)")
    out["adjustments"] = (
        ADJ_FIELDS,
        [
            {
                f: (
                    getattr(a, f).text
                    if getattr(a, f) is not None and f in {"date", "approved_on", "reported_on"}
                    else getattr(a, f)
                )
                for f, _, _ in ADJ_FIELDS
            }
            for a in s.adjustments
        ],
        "예산 변경 (이용·전용·변경사용·이체·이월)",
    )
    out["cards"] = (
        CARD_FIELDS,
        [
            {
                "group": c.group,
                "index": c.index,
                "title": c.title,
                "budget_current": c.settlement.budget_current if c.settlement else None,
                "spent": c.settlement.spent if c.settlement else None,
                "rate": c.settlement.rate if c.settlement else None,
                "unit": c.settlement.unit if c.settlement else None,
                "unit_programs": ";".join(c.unit_programs),
            }
            for c in s.cards
        ],
        "주요사업 카드",
    )
    out["audits"] = (
        AUDIT_FIELDS,
        [
            {"number": a.number, "title": a.title, "status": a.status, "department": a.department}
            for a in s.audits
        ],
        "결산검사 시정·권고사항",
    )
    return out


def _csv(fields: list[tuple[str, str, str]], rows: list[Row]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([f for f, _, _ in fields])
    for row in rows:
        writer.writerow(["" if row.get(f) is None else _cell(row[f]) for f, _, _ in fields])
    return buf.getvalue()


def _cell(value: Any) -> str:
    text = str(value)
    return (
        "'" + text if text[:1] in ("=", "+", "@") or (text[:1] == "-" and not text[1:2].isdigit()) else text
    )


def write_datapackage(s: Settlement, folder: Path) -> Path:
    from gyeolsan.io.atomic import atomic_write

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    resources = []
    for name, (fields, rows, title) in tables(s).items():
        atomic_write(folder / f"{name}.csv", _csv(fields, rows))
        resources.append(
            {
                "name": name,
                "path": f"{name}.csv",
                "title": title,
                "format": "csv",
                "encoding": "utf-8",
                "schema": {"fields": [{"name": f, "type": t, "title": d} for f, t, d in fields]},
            }
        )
    package = {
        "name": f"gyeolsan-{s.meta.fiscal_year}-{(s.meta.office or 'office')}".lower(),
        "title": f"{s.meta.title} — {s.meta.office or ''}".strip(" —"),
        "profile": "tabular-data-package",
        "created_by": "gyeolsan",
        "resources": resources,
    }
    path = folder / "datapackage.json"
    atomic_write(path, json.dumps(package, ensure_ascii=False, indent=1) + "\n")
    return path
