"""Turning printed tables into model tables: staffing, settlement, next-year, IV summaries, revenue."""

from __future__ import annotations

import re
from typing import Any, TypeVar

from gyeolsan.io.report_text.context import Context
from gyeolsan.io.report_text.hierarchy import Row, build_tree
from gyeolsan.io.report_text.tables import CellReader, Table, detect_unit, map_columns, squash
from gyeolsan.model import (
    BudgetLine,
    BudgetTable,
    ChangeLine,
    ChangeTable,
    Headcount,
    Headline,
    RevenueLine,
    Severity,
    StaffingRow,
    StaffingTable,
)
from gyeolsan.model.labels import FIELD_LABELS

_L = TypeVar("_L", BudgetLine, ChangeLine)

BUDGET_COLUMNS = (
    (r"예산현액", "budget_current"),
    (r"명시이월", "carried_explicit"),
    (r"사고이월", "carried_accident"),
    (r"계속비이월", "carried_continuing"),
    (r"이월", "carried_over"),
    (r"반납", "subsidy_returned"),
    (r"집행잔액|불용", "unused"),
    (r"집행률", "rate"),
    (r"집행액|지출액", "spent"),
    (r"예산액|예산$|^예산", "budget"),
)
REVENUE_COLUMNS = (
    (r"예산현액", "budget_current"),
    (r"예산액", "budget"),
    (r"징수결정", "levied"),
    (r"미수납", "uncollected"),
    (r"불납결손", "written_off"),
    (r"수납", "received"),
)
RATE_FIELDS = {"rate", "change_rate"}
LABELS = FIELD_LABELS  # field → Korean label, shared with reports and the spreadsheet importer


def clean_name(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("**", "")).strip()


def _rows(table: Table, mapping: dict[int, str], ctx: Context, name: str, section: int) -> list[Row]:
    rows: list[Row] = []
    width = max(mapping) + 1 if mapping else 1
    for line in table.body:
        if not line.text:
            continue
        reader = CellReader(line, name, _section(section), ctx.findings)
        if len(reader.cells) < width:
            ctx.add(
                "IMP021",
                Severity.ERROR,
                line,
                f"표의 행에 칸이 모자랍니다 ({len(reader.cells)}/{width}칸)",
                f"Table row has too few cells ({len(reader.cells)} of {width})",
                section=section,
                table=name,
                row=reader.cells[0] if reader.cells else None,
                hint="표가 잘렸거나 칸이 빠졌습니다. 원본 표를 확인하십시오",
            )
        values: dict[str, Any] = {}
        for idx, field_name in mapping.items():
            if idx >= len(reader.cells):
                values[field_name] = None
                continue
            label = LABELS.get(field_name, field_name)
            values[field_name] = (
                reader.rate(idx, label) if field_name in RATE_FIELDS else reader.amount(idx, label)
            )
        rows.append(Row(name=clean_name(reader.cells[0]), bold=line.bold, values=values, line=line))
    return rows


def _section(section: int) -> str:
    from gyeolsan.io.report_text.context import SECTION_NAMES

    return SECTION_NAMES[section]


# ----------------------------------------------------------------------------- budget tables


def _line(cls: type[_L], row: Row) -> _L:
    """A model line (``BudgetLine`` or ``ChangeLine``) and its children from a rebuilt row."""
    return cls(
        kind=row.kind,  # type: ignore[arg-type]
        name=row.name,
        children=tuple(_line(cls, c) for c in row.children),
        src=row.line.src(),
        **{k: v for k, v in row.values.items() if v is not None},
    )


def parse_budget_table(
    table: Table,
    ctx: Context,
    *,
    key: str,
    title: str,
    section: int,
    unit_texts: list[str],
    headline: Headline | None,
    known_divisions: set[str],
    flat: bool = False,
) -> BudgetTable:
    mapping = map_columns(table.columns, BUDGET_COLUMNS)
    _require(ctx, table, mapping, ("budget_current", "spent"), title, section)
    rows = _rows(table, mapping, ctx, title, section)
    keys = [k for k in ("budget", "budget_current", "spent") if k in mapping.values()]
    roots = build_tree(rows, keys, known_divisions, flat=flat)
    return BudgetTable(
        key=key,  # type: ignore[arg-type]
        title=title,
        section=_section(section),
        unit=detect_unit(unit_texts + table.columns),  # type: ignore[arg-type]
        columns=tuple(mapping[i] for i in sorted(mapping)),
        headline=headline,
        lines=tuple(_line(BudgetLine, r) for r in roots),
        src=table.lines[0].src(),
    )


def _require(
    ctx: Context, table: Table, mapping: dict[int, str], needed: tuple[str, ...], title: str, section: int
) -> None:
    missing = [LABELS[n] for n in needed if n not in mapping.values()]
    if missing:
        ctx.add(
            "IMP022",
            Severity.ERROR,
            table.lines[0],
            f"'{title}' 표의 머리행에서 필수 열을 찾지 못했습니다: {', '.join(missing)}",
            f"Required column(s) not found in the header of '{title}': {', '.join(missing)}",
            section=section,
            table=title,
        )


def parse_change_table(
    table: Table,
    ctx: Context,
    *,
    title: str,
    unit_texts: list[str],
    headline: Headline | None,
    known_divisions: set[str],
    fiscal_year: int | None,
) -> ChangeTable:
    years = sorted({int(y) for col in table.columns for y in re.findall(r"((?:19|20)\d{2})년", col)})
    year = years[-1] if years else (fiscal_year + 1 if fiscal_year else 0)
    prev = years[0] if len(years) > 1 else year - 1
    rules: list[tuple[str, str]] = [(r"증감률", "change_rate"), (r"증감", "change")]
    rules += [
        (rf"^{year}년", "current"),
        (rf"^{prev}년", "previous"),
        (r"전년", "previous"),
        (r"당해|금년", "current"),
    ]
    mapping = map_columns(table.columns, rules)
    _require(ctx, table, mapping, ("previous", "current"), title, 1)
    rows = _rows(table, mapping, ctx, title, 1)
    roots = build_tree(rows, ["previous", "current"], known_divisions)
    return ChangeTable(
        title=title,
        year=year,
        previous_year=prev,
        unit=detect_unit(unit_texts + table.columns),  # type: ignore[arg-type]
        headline=headline,
        lines=tuple(_line(ChangeLine, r) for r in roots),
        src=table.lines[0].src(),
    )


# ----------------------------------------------------------------------------- staffing


def parse_staffing_table(table: Table, ctx: Context) -> StaffingTable:
    """Columns come in (정원, 현원) pairs after the name; the first pair is 총계."""
    header = table.header[0].cells if table.header else []
    series: list[str] = []
    for i in range(3, len(header), 2):
        name = clean_name(header[i]) or (series[-1] if series else f"직렬{len(series) + 1}")
        series.append(name)
    rows: list[StaffingRow] = []
    width = 1 + 2 * (len(series) + 1)
    for line in table.body:
        reader = CellReader(line, "인력 현황", _section(1), ctx.findings)
        if len(reader.cells) < width:
            ctx.add(
                "IMP021",
                Severity.ERROR,
                line,
                f"인력 표의 행에 칸이 모자랍니다 ({len(reader.cells)}/{width}칸)",
                f"Staffing row has too few cells ({len(reader.cells)} of {width})",
                section=1,
                table="인력 현황",
            )
        pairs = [
            Headcount(quota=reader.amount(1 + 2 * k, "정원"), current=reader.amount(2 + 2 * k, "현원"))
            for k in range(len(series) + 1)
            if 2 + 2 * k < len(reader.cells)
        ]
        name = squash(reader.cells[0])
        rows.append(
            StaffingRow(
                name=name,
                is_total=name in {"계", "합계", "총계"},
                total=pairs[0] if pairs else Headcount(),
                by_series=tuple(pairs[1:]),
                src=line.src(),
            )
        )
    return StaffingTable(series=tuple(series), rows=tuple(rows), src=table.lines[0].src())


# ----------------------------------------------------------------------------- revenue


def parse_revenue_rows(table: Table, ctx: Context) -> tuple[tuple[str, ...], tuple[RevenueLine, ...]]:
    mapping = map_columns(table.columns, REVENUE_COLUMNS)
    _require(ctx, table, mapping, ("levied", "received"), "세입결산", 4)
    rows = _rows(table, mapping, ctx, "세입결산", 4)
    roots: list[Row] = []
    category: Row | None = None
    for row in rows:
        key = squash(row.name)
        if key in {"합계", "총계", "계"}:
            row.kind = "total"
            roots.append(row)
            category = None
        elif category is not None and _is_revenue_child(key, category, row):
            row.kind = "item"
            category.children.append(row)
        else:
            row.kind = "category"
            roots.append(row)
            category = row
    for r in roots:
        if r.kind == "category" and not r.children:
            r.kind = "category"
    columns = tuple(mapping[i] for i in sorted(mapping))
    return columns, tuple(_revenue_line(r) for r in roots)


def _is_revenue_child(key: str, category: Row, row: Row) -> bool:
    parent = squash(category.name)
    if key != parent and key.endswith(parent):
        return True
    budget = category.values.get("budget")
    spent = sum((c.values.get("budget") or 0) for c in category.children)
    return bool(category.children) and budget is not None and spent < budget and key.endswith(parent[-2:])


def _revenue_line(row: Row) -> RevenueLine:
    return RevenueLine(
        kind=row.kind,  # type: ignore[arg-type]
        name=row.name,
        children=tuple(_revenue_line(c) for c in row.children),
        src=row.line.src(),
        **{k: v for k, v in row.values.items() if v is not None},
    )
