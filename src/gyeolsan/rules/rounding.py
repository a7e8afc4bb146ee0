"""Rounding rules (ROUND): tell a rounding artefact from a genuine error.

- ROUND001 (info): a subtotal or derived amount off by at most ``config.rounding_tolerance`` (per-row
  rounding of 원 amounts to 천원).
- ROUND002 (warning): a card rate computed from figures rounded to 백만원 (or printed without its
  decimal) instead of the exact 천원 figures.
- ROUND003: a card amount that is not the half-up rounding of the table's 천원 figure (error when
  truncated/rounded up, warning when the rows were rounded one by one and added).
- ROUND004 (error): a headline figure at a coarse scale (억원, "X억 Y백만원") that is not the exact
  total rounded half-up to that scale.
- ROUND005 (info): a printed rate that the unrounded 원 amounts could produce.
"""

from __future__ import annotations

from collections.abc import Iterator

from gyeolsan.model import Finding
from gyeolsan.rules.cards import card_issues
from gyeolsan.rules.catalogue import rule
from gyeolsan.rules.checks import amount_checks, rate_checks
from gyeolsan.rules.context import RuleContext
from gyeolsan.rules.headlines import headline_issues
from gyeolsan.rules.helpers import SECTION_II, label, num, pct, signed

R = "rounding"


def _rounding_amounts(ctx: RuleContext) -> Iterator[Finding]:
    tolerance = ctx.config.rounding_tolerance
    for c in amount_checks(ctx):
        if not c.rounding_applies or abs(c.difference) > tolerance:
            continue
        yield ctx.finding(
            "ROUND001",
            c.row.src,
            c.message,
            c.message_en,
            stated=num(c.stated),
            expected=num(c.expected),
            difference=signed(c.difference),
            related=c.related,
            section=c.section,
            table=c.table,
            row=c.row.name,
            field=label(c.field),
        )


def _rounding_rates(ctx: RuleContext) -> Iterator[Finding]:
    for c in rate_checks(ctx):
        if c.kind != "rounding":
            continue
        yield ctx.finding(
            "ROUND005",
            c.row.src,
            c.message,
            c.message_en,
            stated=pct(c.stated),
            expected=pct(c.expected, c.places),
            difference=pct(c.difference),
            related=c.related,
            section=c.section,
            table=c.table,
            row=c.row.name,
            field=label(c.field),
        )


def _cards(ctx: RuleContext, rule_id: str) -> Iterator[Finding]:
    for i in card_issues(ctx):
        if i.rule != rule_id:
            continue
        yield ctx.finding(
            rule_id,
            i.src,
            i.message,
            i.message_en,
            severity=i.severity,
            stated=i.stated,
            expected=i.expected,
            difference=i.difference,
            related=i.related,
            section=SECTION_II,
            table=i.card.title,
            row=", ".join(i.card.unit_programs) or i.card.title,
            field=i.field,
        )


def _headlines(ctx: RuleContext, rule_id: str) -> Iterator[Finding]:
    for i in headline_issues(ctx):
        if i.rule != rule_id:
            continue
        yield ctx.finding(
            rule_id,
            i.headline.src,
            i.message,
            i.message_en,
            severity=i.severity,
            stated=i.stated,
            expected=i.expected,
            difference=i.difference,
            related=i.related,
            section=i.section,
            table="문장",
            row=i.figure.text,
            field=i.field,
        )


@rule(
    "ROUND001",
    R,
    "info",
    "합계의 끝수 차이 (±허용오차 이내)",
    "Subtotal off by per-row rounding (within tolerance)",
    "원 단위 금액을 행마다 천원으로 반올림하면 합계가 1~2천원 다를 수 있습니다. 원 단위 자료로 합계를 확인하거나 "
    "끝수 조정 사실을 주석으로 밝히십시오.",
    "'18년 결산 '뉴미디어담당관' 집행액 5,623,262이(가) 하위 항목 합계 5,623,263과(와) -1 다릅니다 "
    "(행별 끝수 처리로 생기는 차이로 보입니다)",
)
def rounding_subtotals(ctx: RuleContext) -> Iterator[Finding]:
    """Subtotals, 미수납액, 증감 and 집행잔액 that differ by at most ``config.rounding_tolerance`` (info)."""
    return _rounding_amounts(ctx)


@rule(
    "ROUND002",
    R,
    "warning",
    "카드 집행률을 반올림한 백만원 금액으로 계산함",
    "Card rate computed from amounts rounded to millions",
    "집행률은 천원 단위 정확한 금액(집행액 ÷ 예산현액)으로 계산해 소수 첫째자리까지 표기하십시오.",
    "집행률 97.1%는 백만원 단위로 반올림한 3,145/3,240로 계산한 값입니다. 천원 단위 정확한 값은 "
    "3,144,617 ÷ 3,240,298 × 100 = 97.047% → 97.0%입니다",
)
def card_rate_basis(ctx: RuleContext) -> Iterator[Finding]:
    """A card's 집행률 that only the rounded 백만원 figures (or a missing decimal) explain."""
    return _cards(ctx, "ROUND002")


@rule(
    "ROUND003",
    R,
    "error",
    "카드 백만원 금액의 반올림 오류",
    "Card amount is not the half-up rounding of the table",
    "카드의 백만원 금액은 결산표 천원 금액(여러 사업이면 그 합)을 1,000으로 나눠 사사오입한 값입니다.",
    "주요사업 카드 '뉴미디어 웹사이트 운영 강화'의 집행액 1,605백만원이 결산표 1,604,462천원을 반올림한 "
    "1,604백만원과 다릅니다 (반올림이 아니라 절사 또는 올림한 값입니다)",
)
def card_amount_rounding(ctx: RuleContext) -> Iterator[Finding]:
    """Card 예산현액/집행액 one off the half-up value (truncated or rounded up: error), or equal to the sum of
    rows rounded one by one (warning)."""
    return _cards(ctx, "ROUND003")


@rule(
    "ROUND004",
    R,
    "error",
    "억원·백만원 단위 문장 금액이 합계의 반올림 값과 다름",
    "Headline figure in 억원/백만원 is not the total rounded to that scale",
    "문장의 금액은 표의 정확한 합계를 표기 단위(억원, 백만원)로 사사오입한 값이어야 합니다.",
    "문장의 합계 554억 38백만원이 '19년 예산 합계 54,438,155천원을 같은 단위로 반올림한 544억 38백만원과 다릅니다"
    " (차이 10억원)",
)
def headline_scale(ctx: RuleContext) -> Iterator[Finding]:
    """Headline amounts printed in 억원 or 'X억 Y백만원' (I, IV) against the exact table totals."""
    return _headlines(ctx, "ROUND004")


@rule(
    "ROUND005",
    R,
    "info",
    "원 단위 끝수로 설명되는 비율 차이",
    "Rate difference explained by rounding of the amounts",
    "천원 단위로 반올림한 금액으로 다시 계산하면 다르지만, 원 단위 금액으로는 표기한 비율이 나올 수 있습니다. "
    "원 단위 자료로 확인하십시오.",
    "'18년 결산 '시정홍보 지원' 집행률 49.9%는 집행액 1,998 ÷ 예산현액 4,000 × 100 = 49.950%를 소수 첫째자리에서 "
    "반올림한 50.0%와 다릅니다. 원 단위 금액의 끝수 처리로 설명될 수 있는 차이입니다",
)
def rate_rounding(ctx: RuleContext) -> Iterator[Finding]:
    """집행률/증감률 that differ from the rate of the printed 천원 amounts but that the unrounded 원 amounts
    (each ±0.5천원) could give."""
    return _rounding_rates(ctx)
