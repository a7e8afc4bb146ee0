"""Computed comparisons shared by the arithmetic and rounding rules.

Every amount identity (subtotals, 미수납, 증감, 집행잔액) and every printed rate is checked once here;
the SUM/RATE rules report what is wrong beyond rounding, ROUND001/ROUND005 report what rounding
explains. Keeping one computation means the two kinds of finding can never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction

from gyeolsan.model import BudgetLine, BudgetTable, ChangeLine, RevenueLine, Source
from gyeolsan.model.numbers import change_rate, rate, round_half_up
from gyeolsan.rules.context import RuleContext
from gyeolsan.rules.helpers import SECTION_I, SECTION_IV, cells, label, label_en, pct_ko
from gyeolsan.rules.index import index_of, keyed_rows, row_key
from gyeolsan.rules.sums import (
    Identity,
    Mismatch,
    Row,
    blame,
    describe,
    mismatches,
    settlement_identities,
    value,
)


@dataclass(frozen=True)
class AmountCheck:
    """A printed amount that differs from what the other printed amounts imply."""

    rule: str  # the SUM rule that reports it beyond rounding
    row: Row  # the row most likely wrong (location)
    field: str
    stated: int
    expected: int
    message: str
    message_en: str
    related: tuple[Source | None, ...]
    table: str | None
    section: str | None
    rounding_applies: bool = True  # headcounts are never rounded

    @property
    def difference(self) -> int:
        return self.stated - self.expected


def _sum_rule(parent: Row, tree: bool) -> str:
    if isinstance(parent, ChangeLine):
        return "SUM003"
    if isinstance(parent, RevenueLine):
        return "SUM005"
    return "SUM001" if tree else "SUM002"


def amount_checks(ctx: RuleContext) -> list[AmountCheck]:
    return ctx.cached("amount_checks", lambda: list(_amount_checks(ctx)))


def _amount_checks(ctx: RuleContext) -> Iterator[AmountCheck]:
    identities = settlement_identities(ctx)
    yield from merge(mismatch_check(ctx, m, identities) for m in mismatches(identities))
    yield from _uncollected(ctx)
    yield from _changes(ctx)
    yield from _unused(ctx)


def merge(checks: Iterable[AmountCheck]) -> list[AmountCheck]:
    """One check per wrong cell: the same cell seen from two identities keeps both contexts in ``related``."""
    found: dict[tuple[int, str, int], AmountCheck] = {}
    for check in checks:
        key = (id(check.row), check.field, check.expected)
        if key in found:
            found[key] = replace(found[key], related=found[key].related + check.related)
        else:
            found[key] = check
    return list(found.values())


def mismatch_check(ctx: RuleContext, m: Mismatch, identities: list[Identity]) -> AmountCheck:
    """A subtotal mismatch as a check: within tolerance at the subtotal row, beyond it where most likely wrong."""
    ident = m.identity
    rule = _sum_rule(ident.parent, ident.tree)
    if abs(m.difference) <= ctx.config.rounding_tolerance:
        ko = (
            f"{ident.table} '{ident.parent.name}' {label(m.field)} {m.stated:,}이(가) {ident.what} "
            f"{m.computed:,}과(와) {m.difference:+,} 다릅니다 (행별 끝수 처리로 생기는 차이로 보입니다)"
        )
        en = (
            f"{ident.table} '{ident.parent.name}' {label_en(m.field)} {m.stated:,} differs from the "
            f"{ident.what_en} {m.computed:,} by {m.difference:+,} (per-row rounding)"
        )
        return AmountCheck(
            rule, ident.parent, m.field, m.stated, m.computed, ko, en,
            tuple(c.src for c in ident.children), ident.table, ident.section,
        )  # fmt: skip
    b = blame(ctx, m, identities)
    ko, en = describe(m, b)
    return AmountCheck(
        rule, b.row, m.field, b.stated, b.expected, ko, en, b.related, ident.table, ident.section
    )


def _uncollected(ctx: RuleContext) -> Iterator[AmountCheck]:
    """미수납액 = 징수결정액 − 수납액 − 불납결손액."""
    rev = ctx.settlement.revenue
    if rev is None:
        return
    for row in rev.all_lines():
        if row.levied is None and row.received is None:
            continue
        expected = value(row, "levied") - value(row, "received") - value(row, "written_off")
        stated = value(row, "uncollected")
        if stated != expected:
            ko = (
                f"세입결산 '{row.name}' 미수납액 {stated:,}이(가) 징수결정액 {value(row, 'levied'):,} − 수납액 "
                f"{value(row, 'received'):,} − 불납결손액 {value(row, 'written_off'):,} = {expected:,}과(와) 다릅니다"
            )
            en = f"Revenue '{row.name}': uncollected {stated:,} but levied − received − written off = {expected:,}"
            yield AmountCheck(
                "SUM006", row, "uncollected", stated, expected, ko, en, (), rev.title, SECTION_IV
            )


def _changes(ctx: RuleContext) -> Iterator[AmountCheck]:
    """증감 = 당해 − 전년 ("-" = 0)."""
    table = ctx.settlement.next_year
    if table is None:
        return
    for row in table.all_lines():
        if row.previous is None and row.current is None:
            continue
        expected = value(row, "current") - value(row, "previous")
        stated = value(row, "change")
        if stated != expected:
            ko = (
                f"{table.title} '{row.name}' 증감 {stated:,}이(가) {table.year}년 {value(row, 'current'):,} − "
                f"{table.previous_year}년 {value(row, 'previous'):,} = {expected:,}과(와) 다릅니다"
            )
            en = f"{table.title} '{row.name}': change {stated:,} but current − previous = {expected:,}"
            yield AmountCheck("SUM007", row, "change", stated, expected, ko, en, (), table.title, SECTION_I)


def _unused(ctx: RuleContext) -> Iterator[AmountCheck]:
    """집행잔액 = 예산현액 − 집행액 − 다음연도 이월액 − 보조금 반납 (section IV table, per division and total)."""
    s = ctx.settlement
    index = index_of(ctx)
    for table in (s.expenditure.table if s.expenditure else None, s.settlement):
        if table is None:
            continue
        for row in table.all_lines():
            if row.unused is None or row.budget_current is None:
                continue
            carried = index.carried(row)
            expected = (
                value(row, "budget_current") - value(row, "spent") - carried - value(row, "subsidy_returned")
            )
            if row.unused == expected:
                continue
            ko = (
                f"{table.title} '{row.name}' 집행잔액 {row.unused:,}이(가) 예산현액 {value(row, 'budget_current'):,}"
                f" − 집행액 {value(row, 'spent'):,} − 다음연도 이월액 {carried:,}"
                + (f" − 보조금 반납 {value(row, 'subsidy_returned'):,}" if row.subsidy_returned else "")
                + f" = {expected:,}과(와) 다릅니다"
            )
            en = (
                f"{table.title} '{row.name}': unused {row.unused:,} but current budget − spending − carried over "
                f"({carried:,}) = {expected:,}"
            )
            related = tuple(a.src for a in index.carries_of(row))
            yield AmountCheck(
                "SUM008", row, "unused", row.unused, expected, ko, en, related, table.title, table.section
            )


# --- rates ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RateCheck:
    """A printed rate that differs from the rate of the printed amounts."""

    rule: str  # RATE001 (집행률) or RATE002 (증감률)
    row: Row
    field: str
    stated: Decimal
    expected: Decimal
    places: int
    # "error"; "rounding" (reachable from the unrounded 원 amounts); "carry" (이월 포함 without saying so);
    # "convention" (a new item's rate printed unlike config.new_item_rate)
    kind: str
    message: str
    message_en: str
    related: tuple[Source | None, ...]
    table: str | None
    section: str | None

    @property
    def difference(self) -> Decimal:
        return self.stated - self.expected


def reachable(
    numerator: int, denominator: int, stated: Decimal, places: int, *, change: bool = False
) -> bool:
    """Could ``stated`` be the half-up rounding of the rate of the unrounded amounts (each ±0.5)?"""
    half = Fraction(1, 2)
    num_lo, num_hi = Fraction(numerator) - half, Fraction(numerator) + half
    den_lo, den_hi = Fraction(denominator) - half, Fraction(denominator) + half
    if den_lo <= 0:
        return False
    if change:  # (current − previous) / previous: numerator is current, shifted after division
        lo, hi = num_lo / den_hi - 1, num_hi / den_lo - 1
    else:
        candidates = [a / b for a in (num_lo, num_hi) for b in (den_lo, den_hi)]
        lo, hi = min(candidates), max(candidates)
    step = Fraction(1, 10**places)
    target = Fraction(stated) / 100
    half_step = step / 2 / 100
    return lo < target + half_step and target - half_step <= hi


def rate_checks(ctx: RuleContext) -> list[RateCheck]:
    return ctx.cached("rate_checks", lambda: list(_execution_rates(ctx)) + list(_change_rates(ctx)))


def _twin(ctx: RuleContext, row: BudgetLine, table: BudgetTable) -> BudgetLine | None:
    s = ctx.settlement
    for other in (s.settlement, s.expenditure.table if s.expenditure else None):
        if other is None or other is table:
            continue
        twin = keyed_rows(other.lines).get(row_key(row))
        if twin is not None:
            return twin  # type: ignore[return-value]
    return None


def _notes_say_carry_included(ctx: RuleContext) -> bool:
    s = ctx.settlement
    notes = list(s.settlement.notes if s.settlement else ()) + list(
        s.expenditure.table.notes if s.expenditure and s.expenditure.table else ()
    )
    return any("이월" in n and "포함" in n and ("집행률" in n or "집행액" in n) for n in notes)


def _execution_rates(ctx: RuleContext) -> Iterator[RateCheck]:
    s = ctx.settlement
    for table in (s.settlement, s.expenditure.table if s.expenditure else None):
        if table is None:
            continue
        for row in table.all_lines():
            check = execution_rate_check(ctx, table, row)
            if check is not None:
                yield check


def execution_rate_check(
    ctx: RuleContext, table: BudgetTable, row: BudgetLine, expected: Decimal | None = None
) -> RateCheck | None:
    """집행률 = 집행액 ÷ 예산현액 × 100, one decimal, half-up (``expected`` when computed elsewhere, e.g. SQL)."""
    if row.rate is None or not row.budget_current:
        return None
    spent, current = value(row, "spent"), row.budget_current
    if expected is None:
        expected = rate(spent, current, 1)
    if expected is None or expected == row.rate:
        return None
    twin = _twin(ctx, row, table)
    related = (twin.src,) if twin is not None else ()
    carried = index_of(ctx).carried(row)
    ko = (
        f"{table.title} '{row.name}' 집행률 {pct_ko(row.rate)}%는 집행액 {spent:,} ÷ 예산현액 {current:,} × 100 = "
        f"{Decimal(spent * 100) / current:.3f}%를 소수 첫째자리에서 반올림한 {expected}%와 다릅니다"
    )
    en = (
        f"{table.title} '{row.name}': rate {row.rate}% but {spent:,} / {current:,} × 100 rounds half-up "
        f"to {expected}%"
    )
    if carried and rate(spent + carried, current, 1) == row.rate:
        if _notes_say_carry_included(ctx):
            return None
        kind = "carry"
        ko += f". 다음연도 이월액 {carried:,}을(를) 포함해 계산한 값으로 보이나 표에 그 사실이 없습니다"
        en += f"; it includes the {carried:,} carried over without saying so"
    elif reachable(spent, current, row.rate, 1):
        kind = "rounding"
        ko += ". 원 단위 금액의 끝수 처리로 설명될 수 있는 차이입니다"
        en += "; the difference can come from amounts rounded to thousands"
    else:
        kind = "error"
        exact = Decimal(spent * 100) / current
        if round_half_up(round_half_up(exact, 2), 1) == row.rate:
            ko += " (소수 둘째자리에서 먼저 반올림한 이중 반올림으로 보입니다)"
            en += " (apparently rounded twice)"
    return RateCheck(
        "RATE001", row, "rate", row.rate, expected, 1, kind, ko, en, related, table.title, table.section
    )


def _printed_rate_cell(row: ChangeLine) -> str | None:
    c = cells(row.src)
    return c[-1] if len(c) >= 5 else None


def _change_rates(ctx: RuleContext) -> Iterator[RateCheck]:
    """증감률 = (당해 − 전년) ÷ 전년 × 100, two decimals; new item → config.new_item_rate; abolished → −100."""
    table = ctx.settlement.next_year
    if table is None:
        return
    new_text = ctx.config.new_item_rate.strip()
    for row in table.all_lines():
        prev, cur = value(row, "previous"), value(row, "current")
        if not prev and not cur:
            continue
        stated = row.change_rate
        name = f"{table.title} '{row.name}'"
        if not prev:  # a new item: no defined rate, printed as the office's convention
            printed = _printed_rate_cell(row)
            ok = printed == new_text if printed is not None else _same_number(stated, new_text)
            if ok:
                continue
            ko = (
                f"{name}은(는) 전년 예산이 없는 신규 항목이므로 증감률을 '{new_text}'(으)로 표기해야 하는데 "
                f"'{printed if printed is not None else stated}'(으)로 표기했습니다"
            )
            en = f"{name} is a new item: its change rate should read '{new_text}' (config new_item_rate)"
            expected = Decimal(new_text) if _is_number(new_text) else Decimal(0)
            yield RateCheck(
                "RATE002", row, "change_rate", stated or Decimal(0), expected, 2, "convention", ko, en, (),
                table.title, SECTION_I,
            )  # fmt: skip
            continue
        if not cur:  # abolished: always −100, printed △100
            if stated is not None and stated == -100:
                continue
            ko = f"{name}은(는) 당해 예산이 없는 폐지 항목이므로 증감률이 △100이어야 하는데 {pct_ko(stated)}(으)로 표기했습니다"
            en = f"{name} is abolished: its change rate should be −100, not {stated}"
            yield RateCheck(
                "RATE002", row, "change_rate", stated or Decimal(0), Decimal(-100), 0, "error", ko, en, (),
                table.title, SECTION_I,
            )  # fmt: skip
            continue
        expected = change_rate(prev, cur, 2) or Decimal(0)
        if (stated or Decimal(0)) == expected:
            continue
        ko = (
            f"{name} 증감률 {pct_ko(stated)}%는 (당해 {cur:,} − 전년 {prev:,}) ÷ 전년 × 100"
            f"을 소수 셋째자리에서 반올림한 {pct_ko(expected, 2)}%와 다릅니다"
        )
        en = f"{name}: change rate {stated}% but ({cur:,} − {prev:,}) / {prev:,} × 100 rounds half-up to {expected}%"
        kind = "rounding" if stated is not None and reachable(cur, prev, stated, 2, change=True) else "error"
        yield RateCheck(
            "RATE002", row, "change_rate", stated or Decimal(0), expected, 2, kind, ko, en, (),
            table.title, SECTION_I,
        )  # fmt: skip


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


def _same_number(stated: Decimal | None, text: str) -> bool:
    return stated is not None and _is_number(text) and stated == Decimal(text)
