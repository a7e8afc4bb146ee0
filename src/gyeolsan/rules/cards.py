"""Program-card settlement lines ('18년 결산 : 예산현액 X백만원 중 Y백만원 집행(집행률 Z%)) against the table.

One evaluation per card, shared by ROUND002/ROUND003 (rounding) and XREF003/XREF004/XREF010
(cross-section). A card's figures are the exact 천원 sums of the 단위사업 rows it covers, converted to
백만원 half-up; its rate is computed from the exact 천원 figures (one decimal).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal

from gyeolsan.model import BudgetLine, CardSettlement, ProgramCard, Severity, Source
from gyeolsan.model.numbers import UNIT_FACTOR, Unit, convert, rate, round_half_up
from gyeolsan.rules.context import RuleContext
from gyeolsan.rules.helpers import places_of, unit_of
from gyeolsan.rules.index import Index, card_rows, index_of


@dataclass(frozen=True)
class CardIssue:
    rule: str
    severity: Severity
    card: ProgramCard
    src: Source
    field: str  # 예산현액 | 집행액 | 집행률 | 이월 주석 | 사업 연결
    stated: str | None
    expected: str | None
    difference: str | None
    message: str
    message_en: str
    related: tuple[Source | None, ...]


@dataclass(frozen=True)
class CardFigures:
    rows: list[BudgetLine]
    table_unit: Unit
    card_unit: Unit
    budget_current: int  # exact, table unit
    spent: int  # exact, table unit (plus 이월 when the note says 포함)
    carried: int  # 다음연도 이월 of the covered rows, table unit
    includes_carry: bool

    def to_card(self, amount: int) -> int:
        return convert(amount, self.table_unit, self.card_unit)

    def bounds(self, amount: int) -> tuple[int, int]:
        """Truncated and rounded-up card figures: what a wrong rounding would print."""
        factor = UNIT_FACTOR[self.card_unit] // UNIT_FACTOR[self.table_unit] or 1
        return amount // factor, -(-amount // factor)

    def each_rounded(self, field: str) -> int:
        return sum(self.to_card(getattr(r, field) or 0) for r in self.rows)


def card_issues(ctx: RuleContext) -> list[CardIssue]:
    return ctx.cached("card_issues", lambda: [i for card in ctx.settlement.cards for i in _card(ctx, card)])


def figures(index: Index, cs: CardSettlement, rows: list[BudgetLine]) -> CardFigures:
    includes = bool(cs.note) and "포함" in (cs.note or "")
    carried = sum(index.carried(r) for r in rows)
    spent = sum(r.spent or 0 for r in rows) + (carried if includes else 0)
    return CardFigures(
        rows, index.unit, unit_of(cs.unit), sum(r.budget_current or 0 for r in rows), spent, carried, includes
    )


def _card(ctx: RuleContext, card: ProgramCard) -> Iterator[CardIssue]:
    cs = card.settlement
    if cs is None:
        return
    index = index_of(ctx)
    rows, missing = card_rows(index, card)
    if not card.unit_programs or missing:
        names = ", ".join(missing) if missing else ""
        ko = f"주요사업 카드 '{card.title}'의 결산 문장을 결산표의 단위사업과 연결하지 못했습니다" + (
            f" (결산표에 없는 사업: {names})" if names else ""
        )
        en = f"Program card '{card.title}' could not be matched to settlement-table rows" + (
            f" (not in the table: {names})" if names else ""
        )
        yield CardIssue("XREF004", Severity.WARNING, card, cs.src, "사업 연결", None, None, None, ko, en, ())
        return
    fig = figures(index, cs, rows)
    undisclosed = (
        not fig.includes_carry
        and fig.carried > 0
        and cs.spent == fig.to_card(fig.spent + fig.carried) != fig.to_card(fig.spent)
    )
    if undisclosed:  # judged as if the note were there; XREF010 reports the missing note
        fig = replace(fig, spent=fig.spent + fig.carried, includes_carry=True)
    related = tuple(r.src for r in rows)
    yield from _amount(card, cs, fig, "budget_current", cs.budget_current, fig.budget_current, related)
    yield from _amount(card, cs, fig, "spent", cs.spent, fig.spent, related)
    yield from _rate(card, cs, fig, related)
    yield from _note(ctx, card, cs, fig, related, undisclosed)


_LABEL = {"budget_current": ("예산현액", "current budget"), "spent": ("집행액", "spending")}


def _amount(
    card: ProgramCard,
    cs: CardSettlement,
    fig: CardFigures,
    field: str,
    stated: int | None,
    exact: int,
    related: tuple[Source | None, ...],
) -> Iterator[CardIssue]:
    if stated is None:
        return
    expected = fig.to_card(exact)
    if stated == expected:
        return
    ko_f, en_f = _LABEL[field]
    unit = fig.card_unit.value
    head = (
        f"주요사업 카드 '{card.title}'의 {ko_f} {stated:,}{unit}이 결산표 {exact:,}{fig.table_unit.value}"
        f"을 반올림한 {expected:,}{unit}과 다릅니다"
    )
    head_en = (
        f"Card '{card.title}': {en_f} {stated:,} {unit} but the table's {exact:,} {fig.table_unit.value} "
        f"rounds half-up to {expected:,}"
    )
    diff = str(stated - expected)
    if len(fig.rows) > 1 and stated == fig.each_rounded(field):
        yield CardIssue(
            "ROUND003", Severity.WARNING, card, cs.src, ko_f, str(stated), str(expected), diff,
            head + " (사업별로 먼저 반올림한 값을 더한 것으로 보입니다)",
            head_en + " (the rows were rounded one by one and then added)", related,
        )  # fmt: skip
    elif stated in fig.bounds(exact):
        yield CardIssue(
            "ROUND003", Severity.ERROR, card, cs.src, ko_f, str(stated), str(expected), diff,
            head + " (반올림이 아니라 절사 또는 올림한 값입니다)",
            head_en + " (truncated or rounded up instead of half-up)", related,
        )  # fmt: skip
    else:
        yield CardIssue(
            "XREF003",
            Severity.ERROR,
            card,
            cs.src,
            ko_f,
            str(stated),
            str(expected),
            diff,
            head,
            head_en,
            related,
        )


def _rate(
    card: ProgramCard, cs: CardSettlement, fig: CardFigures, related: tuple[Source | None, ...]
) -> Iterator[CardIssue]:
    if cs.rate is None or not fig.budget_current:
        return
    exact = rate(fig.spent, fig.budget_current, 1)
    if exact is None or cs.rate == exact:
        return
    places = places_of(cs.rate)
    full = Decimal(fig.spent * 100) / fig.budget_current
    card_spent, card_current = fig.to_card(fig.spent), fig.to_card(fig.budget_current)
    from_rounded = rate(card_spent, card_current, places) if card_current else None
    precision_only = places < 1 and round_half_up(full, places) == cs.rate
    diff = str(cs.rate - exact)
    tu = fig.table_unit.value
    basis_ko = (
        f"정확한 {tu} 단위 값은 {fig.spent:,} ÷ {fig.budget_current:,} × 100 = {full:.3f}% → {exact}%입니다"
    )
    if from_rounded == cs.rate:
        rule_id, severity = "ROUND002", Severity.WARNING
        ko = (
            f"주요사업 카드 '{card.title}'의 집행률 {cs.rate}%는 {fig.card_unit.value} 단위로 반올림한 "
            f"{card_spent:,}/{card_current:,}로 계산한 값입니다. {basis_ko}"
        )
        if places < 1:
            ko += " (집행률은 소수 첫째자리까지 표기합니다)"
        en = (
            f"Card '{card.title}': the rate {cs.rate}% was computed from the rounded {card_spent:,}/{card_current:,} "
            f"({fig.card_unit.value}); the exact rate is {exact}%"
        )
    elif precision_only:
        rule_id, severity = "ROUND002", Severity.WARNING
        ko = (
            f"주요사업 카드 '{card.title}'의 집행률 {cs.rate}%는 소수점 없이 반올림한 값입니다. {basis_ko} "
            "(집행률은 소수 첫째자리까지 표기합니다)"
        )
        en = f"Card '{card.title}': the rate {cs.rate}% is printed without its decimal; the exact rate is {exact}%"
    else:
        rule_id, severity = "XREF003", Severity.ERROR
        own = rate(cs.spent or 0, cs.budget_current or 0, places) if cs.budget_current else None
        ko = f"주요사업 카드 '{card.title}'의 집행률 {cs.rate}%가 결산표 금액으로 계산한 {exact}%와 다릅니다. {basis_ko}"
        en = f"Card '{card.title}': rate {cs.rate}% but the table's figures give {exact}%"
        if own == cs.rate:
            ko += f" (카드에 적힌 {cs.spent:,}/{cs.budget_current:,}로 계산한 값이지만 그 금액이 결산표와 다릅니다)"
            en += " (it follows the card's own figures, which disagree with the table)"
    yield CardIssue(
        rule_id, severity, card, cs.src, "집행률", str(cs.rate), str(exact), diff, ko, en, related
    )


def _note(
    ctx: RuleContext,
    card: ProgramCard,
    cs: CardSettlement,
    fig: CardFigures,
    related: tuple[Source | None, ...],
    undisclosed: bool,
) -> Iterator[CardIssue]:
    """'※ 사고이월액 413백만원 포함/별도' against the 이월 records of the covered programs."""
    index = index_of(ctx)
    names = {r.name for row in fig.rows for r in row.walk()}
    records = tuple(
        a.src for a in index.carries() if index.program(a.from_program) in fig.rows or a.from_program in names
    )
    carried_card = fig.to_card(fig.carried)
    if cs.note_amount is not None:
        if cs.note_amount == carried_card:
            return
        ko = (
            f"주요사업 카드 '{card.title}'의 주석 이월액 {cs.note_amount:,}{fig.card_unit.value}이 IV장 다음연도 이월 "
            f"기록 {fig.carried:,}{fig.table_unit.value}(≈{carried_card:,}{fig.card_unit.value})과 다릅니다"
        )
        en = (
            f"Card '{card.title}': the note states {cs.note_amount:,} {fig.card_unit.value} carried over, "
            f"the section IV records give {fig.carried:,} {fig.table_unit.value}"
        )
        yield CardIssue(
            "XREF010", Severity.ERROR, card, cs.src, "이월 주석", str(cs.note_amount), str(carried_card),
            str(cs.note_amount - carried_card), ko, en, related + records,
        )  # fmt: skip
        return
    if undisclosed:
        ko = (
            f"주요사업 카드 '{card.title}'의 집행액 {cs.spent:,}{fig.card_unit.value}에 다음연도 이월액 "
            f"{fig.carried:,}{fig.table_unit.value}이 포함되어 있으나 카드에 그 사실(※ 이월액 포함)이 없습니다"
        )
        en = f"Card '{card.title}': the spending includes {fig.carried:,} carried over without a note saying so"
        yield CardIssue(
            "XREF010", Severity.WARNING, card, cs.src, "이월 주석", None, str(carried_card), None, ko, en,
            related + records,
        )  # fmt: skip
