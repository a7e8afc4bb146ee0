"""Every figure a report prints, computed from the leaves (beancount's balance: recompute, never trust).

Leaves are the rows without children (단위사업, 기본경비, and any row whose parts are not listed);
a subtotal is the sum of its children, the 합계 the sum of the divisions, 사업예산 the sum of the
divisions' programs, 기본경비 the sum of their 기본경비 rows; rates are recomputed half-up. Values
that would print as "-" (zero) are ``None`` so that a printed report reads back to the same model.
The functions return model objects of the same shape with the computed values in place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal

from gyeolsan.model import (
    Adjustment,
    AdjustmentSummary,
    BudgetLine,
    BudgetTable,
    CardSettlement,
    ChangeLine,
    ChangeTable,
    Headcount,
    ProgramCard,
    RevenueLine,
    RevenueSection,
    Settlement,
    StaffingTable,
    UnusedReason,
)
from gyeolsan.model.numbers import Unit, change_rate, convert, rate, round_half_up
from gyeolsan.report.config import DEFAULT, ReportConfig

KINDS = ("이용", "전용", "변경사용", "이체", "이월")
BUDGET_SUMS = (
    "budget",
    "budget_current",
    "spent",
    "carried_over",
    "carried_explicit",
    "carried_accident",
    "carried_continuing",
    "subsidy_returned",
)
REVENUE_SUMS = ("budget", "budget_current", "levied", "received", "written_off")
DEFAULT_BUDGET_COLUMNS = ("budget", "budget_current", "spent", "rate")
DEFAULT_SUMMARY_COLUMNS = ("budget", "budget_current", "spent", "unused", "rate")
DEFAULT_REVENUE_COLUMNS = ("budget", "budget_current", "levied", "received", "uncollected")


def key(name: str) -> str:
    """Name key: no spaces, unified quotes — '시 민 소 통 담당관' == '시민소통담당관'."""
    t = re.sub(r"\s+", "", name)
    for a in "「」『』‘’“”'\"":
        t = t.replace(a, "")
    return t.replace("ㆍ", "·")


def add(values: Iterable[int | None]) -> int | None:
    """Sum of the present values; None when none is present."""
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def nz(value: int | None) -> int | None:
    """A money value as it reads back from print: zero prints "-", which is None."""
    return value if value else None


def printed_rate(value: Decimal | None) -> Decimal | None:
    """A rate as it reads back from print: a rate that rounds to zero prints "-"."""
    return value if value else None


def collection_rate(spent: int | None, budget_current: int | None, places: int = 1) -> Decimal | None:
    """집행률 = 집행액 ÷ 예산현액 × 100, half-up; None without a 예산현액."""
    if not budget_current:
        return None
    return printed_rate(rate(spent or 0, budget_current, places))


def share(part: int | None, whole: int | None, places: int = 1) -> Decimal | None:
    if not whole or part is None:
        return None
    return printed_rate(rate(part, whole, places))


# ----------------------------------------------------------------------------- carried over (이월)


def carried_records(
    adjustments: Iterable[Adjustment], unit: str, carry_kind: str | None = None
) -> tuple[dict[str, int], dict[str, int]]:
    """다음연도 이월 records in ``unit`` (of one 이월 kind, if given): by program key, and by division key
    for records that name only a division."""
    by_program: dict[str, int] = {}
    by_division: dict[str, int] = {}
    for adj in adjustments:
        if (
            adj.kind != "이월"
            or adj.previous_year
            or not adj.amount
            or (carry_kind and adj.carry_kind != carry_kind)
        ):
            continue
        amount = convert(adj.amount, Unit(adj.unit), Unit(unit))
        if adj.from_program:
            by_program[key(adj.from_program)] = by_program.get(key(adj.from_program), 0) + amount
        elif adj.from_division:
            by_division[key(adj.from_division)] = by_division.get(key(adj.from_division), 0) + amount
    return by_program, by_division


def line_carried(line: BudgetLine, by_program: Mapping[str, int]) -> int:
    """What a leaf carries to next year: its own 이월 columns, else the 이월 records naming it."""
    own = line.carried_over
    if own is None:
        own = add((line.carried_explicit, line.carried_accident, line.carried_continuing))
    if own is not None:
        return own
    return by_program.get(key(line.name), 0)


def subtree_carried(line: BudgetLine, by_program: Mapping[str, int]) -> int:
    if not line.children:
        return line_carried(line, by_program)
    own = by_program.get(key(line.name), 0) if line.kind in ("policy", "division") else 0
    return own + sum(subtree_carried(c, by_program) for c in line.children)


# ----------------------------------------------------------------------------- budget tables


def _convert_leaf(line: BudgetLine, unit: str, target: str | None) -> BudgetLine:
    if target is None or target == unit:
        return line
    update = {
        f: convert(getattr(line, f), Unit(unit), Unit(target)) if getattr(line, f) is not None else None
        for f in (*BUDGET_SUMS, "unused")
    }
    return line.model_copy(update=update)


def _finish(line: BudgetLine, columns: tuple[str, ...], carried: int) -> BudgetLine:
    update: dict[str, object] = {}
    if "rate" in columns or line.rate is not None:
        update["rate"] = collection_rate(line.spent, line.budget_current)
    if "unused" in columns or line.unused is not None:
        if line.budget_current is None:
            update["unused"] = None
        else:
            used = (line.spent or 0) + carried + (line.subsidy_returned or 0)
            update["unused"] = nz(line.budget_current - used)
    return line.model_copy(update=update)


def _budget_line(
    line: BudgetLine, columns: tuple[str, ...], by_program: Mapping[str, int], unit: str, target: str | None
) -> BudgetLine:
    if not line.children:
        leaf = _convert_leaf(line, unit, target)
        return _finish(leaf, columns, line_carried(leaf, by_program))
    children = tuple(_budget_line(c, columns, by_program, unit, target) for c in line.children)
    sums = {f: nz(add(getattr(c, f) for c in children)) for f in BUDGET_SUMS}
    summed = line.model_copy(update={"children": children, **sums})
    return _finish(summed, columns, subtree_carried(summed, by_program))


def budget_columns(table: BudgetTable) -> tuple[str, ...]:
    if table.columns:
        return table.columns
    return DEFAULT_SUMMARY_COLUMNS if table.key == "expenditure_summary" else DEFAULT_BUDGET_COLUMNS


def _sum_lines(
    template: BudgetLine, parts: list[BudgetLine], columns: tuple[str, ...], carried: int
) -> BudgetLine:
    sums = {f: nz(add(getattr(p, f) for p in parts)) for f in BUDGET_SUMS}
    return _finish(template.model_copy(update=sums), columns, carried)


def budget_table(
    table: BudgetTable, adjustments: Iterable[Adjustment] = (), target_unit: str | None = None
) -> BudgetTable:
    """The table with every subtotal summed from its leaves and every rate (and 집행잔액) recomputed."""
    columns = budget_columns(table)
    unit = target_unit or table.unit
    by_program, by_division = carried_records(adjustments, unit)
    bodies = [
        _budget_line(ln, columns, by_program, table.unit, target_unit)
        if ln.kind not in ("total", "business", "basic_total")
        else ln
        for ln in table.lines
    ]
    bodies = [
        _finish(b, columns, subtree_carried(b, by_program) + by_division.get(key(b.name), 0))
        if b.kind == "division"
        else b
        for b in bodies
    ]
    parts = [b for b in bodies if b.kind not in ("total", "business", "basic_total")]
    divisions = [b for b in parts if b.kind == "division"]
    programs = [c for d in divisions for c in d.children if c.kind != "basic"] + [
        b for b in parts if b.kind != "division"
    ]
    basics = [c for d in divisions for c in d.children if c.kind == "basic"]
    total_carried = sum(subtree_carried(p, by_program) for p in parts) + sum(by_division.values())
    lines: list[BudgetLine] = []
    for line in bodies:
        if not parts:
            lines.append(line)
        elif line.kind == "total":
            lines.append(_sum_lines(line, parts, columns, total_carried))
        elif line.kind == "business":
            lines.append(
                _sum_lines(line, programs, columns, sum(subtree_carried(p, by_program) for p in programs))
            )
        elif line.kind == "basic_total":
            lines.append(
                _sum_lines(line, basics, columns, sum(subtree_carried(p, by_program) for p in basics))
            )
        else:
            lines.append(line)
    return table.model_copy(update={"lines": tuple(lines), "unit": unit, "columns": columns})


def summary_table(
    table: BudgetTable, settlement: BudgetTable | None, adjustments: Iterable[Adjustment] = ()
) -> BudgetTable:
    """Section IV's 부서별 table: each division's figures from the (computed) settlement table."""
    columns = budget_columns(table)
    divisions = {key(d.name): d for d in settlement.divisions} if settlement else {}
    by_program, by_division = carried_records(adjustments, table.unit)
    rows: list[BudgetLine] = []
    for line in table.lines:
        source = divisions.get(key(line.name)) if line.kind == "division" else None
        if source is not None and settlement is not None and settlement.unit == table.unit:
            values = {f: getattr(source, f) for f in BUDGET_SUMS}
            carried = subtree_carried(source, by_program) + by_division.get(key(source.name), 0)
            rows.append(_finish(line.model_copy(update=values), columns, carried))
        elif line.kind in ("total", "business", "basic_total"):
            rows.append(line)
        else:
            rows.append(_finish(line, columns, line_carried(line, by_program)))
    parts = [r for r in rows if r.kind not in ("total", "business", "basic_total")]
    carried_all = sum(line_carried(p, by_program) if key(p.name) not in divisions else 0 for p in parts)
    carried_all += sum(
        subtree_carried(divisions[key(p.name)], by_program) + by_division.get(key(p.name), 0)
        for p in parts
        if key(p.name) in divisions
    )
    out = [_sum_lines(r, parts, columns, carried_all) if r.kind == "total" and parts else r for r in rows]
    return table.model_copy(update={"lines": tuple(out), "columns": columns})


# ----------------------------------------------------------------------------- next year's table


def _change_finish(line: ChangeLine, config: ReportConfig) -> ChangeLine:
    previous, current = line.previous, line.current
    change = nz((current or 0) - (previous or 0)) if (previous or current) else None
    if previous:
        ratio = printed_rate(change_rate(previous, current, 2))
    elif current:
        ratio = Decimal("100") if config.new_item_rate == "100" else None
    else:
        ratio = None
    return line.model_copy(update={"change": change, "change_rate": ratio})


def _change_line(line: ChangeLine, config: ReportConfig) -> ChangeLine:
    if not line.children:
        return _change_finish(line, config)
    children = tuple(_change_line(c, config) for c in line.children)
    update = {
        "children": children,
        "previous": nz(add(c.previous for c in children)),
        "current": nz(add(c.current for c in children)),
    }
    return _change_finish(line.model_copy(update=update), config)


def change_table(table: ChangeTable, config: ReportConfig = DEFAULT) -> ChangeTable:
    """Next year's table: subtotals from the leaves, 증감 = 당해 − 전년, 증감률 half-up to 2 places."""
    bodies = [
        _change_line(ln, config) if ln.kind not in ("total", "business", "basic_total") else ln
        for ln in table.lines
    ]
    divisions = [b for b in bodies if b.kind == "division"]
    parts = [b for b in bodies if b.kind not in ("total", "business", "basic_total")]
    groups = {
        "total": parts,
        "business": [c for d in divisions for c in d.children if c.kind != "basic"]
        + [b for b in parts if b.kind != "division"],
        "basic_total": [c for d in divisions for c in d.children if c.kind == "basic"],
    }
    lines = []
    for line in bodies:
        if line.kind in groups and parts:
            members = groups[line.kind]
            update = {
                "previous": nz(add(m.previous for m in members)),
                "current": nz(add(m.current for m in members)),
            }
            line = _change_finish(line.model_copy(update=update), config)
        lines.append(line)
    return table.model_copy(update={"lines": tuple(lines)})


# ----------------------------------------------------------------------------- staffing, revenue


def _headcount(parts: Iterable[Headcount]) -> Headcount:
    items = list(parts)
    return Headcount(quota=add(h.quota for h in items), current=add(h.current for h in items))


def staffing_table(table: StaffingTable) -> StaffingTable:
    """Each row's 총계 = sum of its 직렬; the 계 row = sum of the divisions, per 직렬."""
    rows = [r.model_copy(update={"total": _headcount(r.by_series)}) if r.by_series else r for r in table.rows]
    parts = [r for r in rows if not r.is_total]
    width = max((len(r.by_series) for r in parts), default=0)
    out = []
    for row in rows:
        if row.is_total and parts:
            by_series = tuple(
                _headcount(r.by_series[i] for r in parts if i < len(r.by_series)) for i in range(width)
            )
            row = row.model_copy(update={"total": _headcount(r.total for r in parts), "by_series": by_series})
        out.append(row)
    total = next((r for r in out if r.is_total), None)
    head = total.total if total else _headcount(r.total for r in parts)
    return table.model_copy(
        update={"rows": tuple(out), "stated_quota": head.quota, "stated_current": head.current}
    )


def _revenue_finish(line: RevenueLine, zero_is_value: bool) -> RevenueLine:
    if line.levied is None and line.received is None:
        return line.model_copy(update={"uncollected": None})
    value = (line.levied or 0) - (line.received or 0) - (line.written_off or 0)
    return line.model_copy(update={"uncollected": value if zero_is_value else nz(value)})


def _revenue_line(line: RevenueLine, zero_is_value: bool) -> RevenueLine:
    if not line.children:
        return _revenue_finish(_revenue_zero(line, zero_is_value), zero_is_value)
    children = tuple(_revenue_line(c, zero_is_value) for c in line.children)
    sums = {f: _rz(add(getattr(c, f) for c in children), zero_is_value) for f in REVENUE_SUMS}
    return _revenue_finish(line.model_copy(update={"children": children, **sums}), zero_is_value)


def _rz(value: int | None, zero_is_value: bool) -> int | None:
    return value if zero_is_value else nz(value)


def _revenue_zero(line: RevenueLine, zero_is_value: bool) -> RevenueLine:
    return line.model_copy(update={f: _rz(getattr(line, f), zero_is_value) for f in REVENUE_SUMS})


def revenue_section(section: RevenueSection, config: ReportConfig = DEFAULT) -> RevenueSection:
    """세입 table: categories from their items, 합계 from the categories, 미수납액 = 징수결정 − 수납 − 결손."""
    zero = config.revenue_zero == "0"
    bodies = [_revenue_line(ln, zero) if ln.kind != "total" else ln for ln in section.lines]
    parts = [b for b in bodies if b.kind != "total"]
    lines = []
    for line in bodies:
        if line.kind == "total" and parts:
            sums = {f: _rz(add(getattr(p, f) for p in parts), zero) for f in REVENUE_SUMS}
            line = _revenue_finish(line.model_copy(update=sums), zero)
        lines.append(line)
    names = {key(x.name): x for ln in lines for x in ln.walk()}
    items = tuple(
        item.model_copy(update={"amount": names[key(item.name)].received})
        if item.category is None and key(item.name) in names
        else item
        for item in section.items
    )
    columns = section.columns or DEFAULT_REVENUE_COLUMNS
    return section.model_copy(update={"lines": tuple(lines), "items": items, "columns": columns})


def revenue_total(section: RevenueSection | None) -> RevenueLine | None:
    if section is None or not section.lines:
        return None
    total = next((ln for ln in section.lines if ln.kind == "total"), None)
    if total is not None:
        return total
    parts = list(section.lines)
    return RevenueLine(
        kind="total",
        name="합계",
        **{f: add(getattr(p, f) for p in parts) for f in (*REVENUE_SUMS, "uncollected")},  # type: ignore[arg-type]
    )


# ----------------------------------------------------------------------------- cards


def card_lines(card: ProgramCard, table: BudgetTable | None) -> list[BudgetLine] | None:
    """The table rows a card covers (None when the card is not linked or a row is missing)."""
    if table is None or not card.unit_programs:
        return None
    index: dict[str, BudgetLine] = {}
    for line in table.all_lines():
        if line.kind in ("unit", "detail", "policy"):
            index.setdefault(key(line.name), line)
    found = [index.get(key(name)) for name in card.unit_programs]
    if any(f is None for f in found):
        return None
    return [f for f in found if f is not None]


def includes_carryover(note: str | None) -> bool:
    return bool(note) and "이월" in note and "포함" in note  # type: ignore[operator]


def card_settlement(
    card: ProgramCard,
    table: BudgetTable | None,
    adjustments: Iterable[Adjustment] = (),
    config: ReportConfig = DEFAULT,
) -> CardSettlement | None:
    """'18년 결산 : 예산현액 X 중 Y 집행(집행률 Z%) from the card's 단위사업 rows (+ 이월 when the note says 포함)."""
    lines = card_lines(card, table)
    if lines is None or table is None:
        return None
    unit, card_unit = Unit(table.unit), Unit(config.card_unit)
    budget_current = sum(ln.budget_current or 0 for ln in lines)
    spent = sum(ln.spent or 0 for ln in lines)
    stated = card.settlement or CardSettlement()
    note, note_amount = stated.note, None
    if stated.note and "이월" in stated.note:
        kind = next((k for k in ("명시이월", "사고이월", "계속비이월") if k in stated.note), None)
        by_program, _ = carried_records(adjustments, table.unit, kind)
        carried = sum(line_carried(ln, by_program) for ln in lines)
        if includes_carryover(stated.note):
            spent += carried
        note_amount = convert(carried, unit, card_unit) or None
        note = carryover_note(stated.note, note_amount, config.card_unit)
    return CardSettlement(
        budget_current=convert(budget_current, unit, card_unit),
        spent=convert(spent, unit, card_unit),
        rate=collection_rate(spent, budget_current, config.card_rate_places),
        unit=config.card_unit,  # type: ignore[arg-type]
        note=note,
        note_amount=note_amount,
        src=stated.src,
    )


_NOTE_AMOUNT = re.compile(r"[\d,]+\s*(?:백만원|천원|억원|원)")


def carryover_note(note: str, amount: int | None, unit: str) -> str:
    """'사고이월액 413백만원 포함' with the computed amount in place of the stated one."""
    text = f"{amount:,}{unit}" if amount else "-"
    if _NOTE_AMOUNT.search(note):
        return _NOTE_AMOUNT.sub(text, note, count=1)
    return note


# ----------------------------------------------------------------------------- section IV


def adjustment_summaries(
    summaries: tuple[AdjustmentSummary, ...], adjustments: tuple[Adjustment, ...], unused: int | None
) -> tuple[AdjustmentSummary, ...]:
    """Each 【】 line from the records: count and sum per kind; 집행잔액 from the computed total."""
    order: list[str] = [s.kind for s in summaries] or [*KINDS, "집행잔액"]
    for kind in KINDS:
        if kind not in order and any(a.kind == kind for a in adjustments):
            order.insert(len([k for k in order if k != "집행잔액"]), kind)
    stated: dict[str, AdjustmentSummary] = {s.kind: s for s in summaries}
    out = []
    for kind in order:
        base = stated.get(kind) or AdjustmentSummary(kind=kind)  # type: ignore[arg-type]
        if kind == "집행잔액":
            out.append(base.model_copy(update={"none": not unused, "count": None, "amount": nz(unused)}))
            continue
        records = [a for a in adjustments if a.kind == kind and not a.previous_year]
        amount = add(
            convert(a.amount, Unit(a.unit), Unit(base.unit)) for a in records if a.amount is not None
        )
        out.append(
            base.model_copy(
                update={
                    "none": not records,
                    "count": len(records) or None,
                    "amount": amount if records else None,
                }
            )
        )
    return tuple(out)


def unused_reasons(reasons: tuple[UnusedReason, ...]) -> tuple[UnusedReason, ...]:
    """A reason with itemised parts totals them."""
    return tuple(
        r.model_copy(update={"amount": add(i.amount for i in r.items)}) if r.items else r for r in reasons
    )


def expenditure_total(settlement: Settlement) -> BudgetLine | None:
    """The office's spending total: section IV's 총계 row, else the settlement table's 합계."""
    exp = settlement.expenditure
    for table in (exp.table if exp else None, settlement.settlement):
        if table is not None:
            total = table.root("total")
            if total is not None:
                return total
    return None


def unused_share(total: BudgetLine | None) -> Decimal | None:
    if total is None or total.unused is None:
        return None
    return share(total.unused, total.budget_current)


def half_up(value: Decimal, places: int) -> Decimal:
    return round_half_up(value, places)


def office_unused(table: BudgetTable | None, adjustments: Iterable[Adjustment]) -> int | None:
    """집행잔액 of the whole office from the (computed) settlement table's 합계."""
    if table is None:
        return None
    total = table.root("total")
    if total is None or total.budget_current is None:
        return None
    by_program, by_division = carried_records(adjustments, table.unit)
    carried = sum(
        subtree_carried(p, by_program)
        for p in table.lines
        if p.kind not in ("total", "business", "basic_total")
    )
    carried += sum(by_division.values())
    return total.budget_current - (total.spent or 0) - carried - (total.subsidy_returned or 0)


def compute_numbers(s: Settlement, config: ReportConfig = DEFAULT) -> Settlement:
    """``s`` with every number a report prints computed from the leaves (prose untouched)."""
    adjustments = s.adjustments
    table = budget_table(s.settlement, adjustments, config.table_unit) if s.settlement else None
    update: dict[str, object] = {"settlement": table}
    if s.next_year is not None:
        update["next_year"] = change_table(s.next_year, config)
    if s.staffing is not None:
        update["staffing"] = staffing_table(s.staffing)
    org = s.organization
    if org is not None and org.divisions:
        update["organization"] = org.model_copy(
            update={
                "stated_divisions": len(org.divisions),
                "stated_teams": sum(len(d.teams) for d in org.divisions),
            }
        )
    update["cards"] = tuple(
        c.model_copy(update={"settlement": card_settlement(c, table, adjustments, config)}) for c in s.cards
    )
    if s.revenue is not None:
        update["revenue"] = revenue_section(s.revenue, config)
    exp = s.expenditure
    if exp is not None:
        summary = summary_table(exp.table, table, adjustments) if exp.table is not None else None
        total = summary.root("total") if summary is not None else None
        unused = (
            total.unused
            if total is not None and total.unused is not None
            else office_unused(table, adjustments)
        )
        update["expenditure"] = exp.model_copy(
            update={
                "table": summary,
                "summaries": adjustment_summaries(exp.summaries, exp.adjustments, unused),
                "unused_reasons": unused_reasons(exp.unused_reasons),
            }
        )
    return s.model_copy(update=update)
