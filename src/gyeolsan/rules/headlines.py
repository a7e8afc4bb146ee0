"""Figures stated in headline sentences against the tables they summarise.

A figure printed at the table's precision (천원) must equal the table's value (XREF001; ±tolerance is
a warning, more an error). A figure printed at a coarser scale ("486억원", "554억 38백만원") must equal
the exact table value rounded half-up to that scale (ROUND004, error). Rates are recomputed from the
table totals at the printed precision (XREF001).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from gyeolsan.model import BudgetLine, Figure, Headline, Severity, Source
from gyeolsan.model.numbers import UNIT_FACTOR, Unit, format_eok, format_eok_baekman, rate, round_half_up
from gyeolsan.rules.context import RuleContext
from gyeolsan.rules.helpers import SECTION_I, SECTION_IV, label, label_en, places_of, unit_of
from gyeolsan.rules.index import index_of


@dataclass(frozen=True)
class Target:
    """What a headline figure should equal: candidate exact values (table unit) and where they are printed."""

    values: tuple[int, ...]
    unit: Unit
    related: tuple[Source | None, ...]
    what: str  # Korean description of the source, e.g. "'18년 결산 합계"


@dataclass(frozen=True)
class HeadlineIssue:
    rule: str
    severity: Severity
    headline: Headline
    figure: Figure
    field: str
    stated: str
    expected: str
    difference: str
    message: str
    message_en: str
    related: tuple[Source | None, ...]
    section: str | None


def headline_issues(ctx: RuleContext) -> list[HeadlineIssue]:
    return ctx.cached("headline_issues", lambda: list(_issues(ctx)))


def _budget_targets(
    line: BudgetLine | None, divisions: tuple[BudgetLine, ...], unit: Unit, what: str
) -> dict[str, Target]:
    if line is None:
        return {}
    out: dict[str, Target] = {}
    for f in ("budget", "budget_current", "spent", "unused"):
        stated = getattr(line, f)
        if stated is None:
            continue
        values = {stated}
        if divisions and all(getattr(d, f) is not None for d in divisions):
            values.add(sum(getattr(d, f) for d in divisions))
        out[f] = Target(tuple(sorted(values)), unit, (line.src,), what)
    return out


def _issues(ctx: RuleContext) -> Iterator[HeadlineIssue]:
    s = ctx.settlement
    index = index_of(ctx)
    if s.settlement and s.settlement.headline:
        t, head = s.settlement, s.settlement.headline
        total = t.root("total")
        targets = _budget_targets(total, t.divisions, unit_of(t.unit), f"{t.title} 합계")
        yield from _check(ctx, t.section or SECTION_I, head, targets)
    if s.next_year and s.next_year.headline:
        nt, nhead = s.next_year, s.next_year.headline
        ntotal = nt.root("total")
        if ntotal is not None and ntotal.current is not None:
            values = {ntotal.current}
            if nt.divisions:
                values.add(sum(d.current or 0 for d in nt.divisions))
            target = Target(tuple(sorted(values)), unit_of(nt.unit), (ntotal.src,), f"{nt.title} 합계")
            first = next((f for f in nhead.figures if f.unit == "원"), None)
            if first is not None:
                yield from _money(ctx, SECTION_I, nhead, first, "total", target)
    exp = s.expenditure
    table = (exp.table if exp else None) or s.settlement
    if exp and table:
        total = table.root("total")
        unit = unit_of(table.unit)
        targets = _budget_targets(total, table.divisions, unit, f"{table.title} 합계")
        if total is not None and "unused" not in targets and total.budget_current is not None:
            computed = (total.budget_current or 0) - (total.spent or 0) - index.carried(total)
            targets["unused"] = Target((computed,), unit, (total.src,), "예산현액 − 집행액 − 이월액")
        carried = sum(a.amount or 0 for a in index.carries())
        previous = sum(p.amount for p in index.previous_carries())
        if exp.headline:
            extra = dict(targets)
            extra["carried_over"] = Target(
                (carried,), unit, tuple(a.src for a in index.carries()), "다음연도 이월 기록"
            )
            extra["carried_previous"] = Target((previous,), unit, (), "전년도 이월 내역")
            yield from _check(ctx, SECTION_IV, exp.headline, extra)
        if exp.unused_headline:
            yield from _unused_headline(ctx, exp.unused_headline, targets)
    rev = s.revenue
    if rev and rev.headline:
        rtotal = next((ln for ln in rev.lines if ln.kind == "total"), None)
        if rtotal is not None:
            rtargets: dict[str, Target] = {}
            for f in ("budget", "budget_current", "levied", "received", "written_off", "uncollected"):
                v = getattr(rtotal, f)
                if v is not None or f == "uncollected":
                    rtargets[f] = Target((v or 0,), unit_of(rev.unit), (rtotal.src,), "세입결산 합계")
            yield from _check(ctx, SECTION_IV, rev.headline, rtargets)


def _check(
    ctx: RuleContext, section: str | None, head: Headline, targets: dict[str, Target]
) -> Iterator[HeadlineIssue]:
    for fig in head.figures:
        key = fig.key
        if fig.unit == "%":
            if key == "rate" and "spent" in targets and "budget_current" in targets:
                yield from _rate(ctx, section, head, fig, targets["spent"], targets["budget_current"])
            continue
        if fig.unit != "원":
            continue
        if key == "carried_over" and _previous_year(head.text, fig):
            key = "carried_previous"
        target = targets.get(key)
        if target is None or (key.startswith("carried") and not target.values[0]):
            continue
        yield from _money(ctx, section, head, fig, key, target)


def _previous_year(text: str, fig: Figure) -> bool:
    at = text.find(fig.text)
    before = text[max(0, at - 12) : at] if at >= 0 else ""
    return "전년도" in before


def _unused_headline(ctx: RuleContext, head: Headline, targets: dict[str, Target]) -> Iterator[HeadlineIssue]:
    """'예산현액인 X천원의 2.4%인 Y천원': the amount before the share is 예산현액, the one after 집행잔액."""
    figures = list(head.figures)
    share = next((i for i, f in enumerate(figures) if f.unit == "%"), None)
    if share is None:
        return
    before = [f for f in figures[:share] if f.unit == "원"]
    after = [f for f in figures[share + 1 :] if f.unit == "원"]
    if before and "budget_current" in targets:
        yield from _money(ctx, SECTION_IV, head, before[-1], "budget_current", targets["budget_current"])
    if after and "unused" in targets:
        yield from _money(ctx, SECTION_IV, head, after[0], "unused", targets["unused"])


def _money(
    ctx: RuleContext, section: str | None, head: Headline, fig: Figure, key: str, target: Target
) -> Iterator[HeadlineIssue]:
    factor = Decimal(UNIT_FACTOR[target.unit])
    field = "carried_over" if key == "carried_previous" else key
    lab = "전년도 이월액" if key == "carried_previous" else label(field)
    if fig.scale <= factor:  # printed at the table's precision: compare directly
        stated = int(fig.value / factor)
        best = min(target.values, key=lambda v: abs(stated - v))
        if stated == best:
            return
        diff = stated - best
        tolerance = ctx.config.rounding_tolerance
        severity = Severity.WARNING if abs(diff) <= tolerance else Severity.ERROR
        u = target.unit.value
        yield HeadlineIssue(
            "XREF001", severity, head, fig, lab, str(stated), str(best), str(diff),
            f"문장의 {lab} {stated:,}{u}이 {target.what} {best:,}{u}과 {diff:+,}{u} 다릅니다",
            f"The sentence states {label_en(field)} {stated:,} {u} but the {target.what} is {best:,} {u} ({diff:+,})",
            target.related, section,
        )  # fmt: skip
        return
    expected = {v: round_half_up(Decimal(v) * factor / fig.scale, 0) * fig.scale for v in target.values}
    if fig.value in expected.values():
        return
    best = min(target.values, key=lambda v: abs(fig.value - expected[v]))
    shown = _like(fig, best, target.unit)
    shown_diff = _like_difference(fig, fig.value - expected[best])
    yield HeadlineIssue(
        "ROUND004", Severity.ERROR, head, fig, lab, fig.text, shown, shown_diff,
        f"문장의 {lab} {fig.text}이 {target.what} {best:,}{target.unit.value}을 같은 단위로 반올림한 {shown}과 다릅니다"
        f" (차이 {shown_diff})",
        f"The sentence states {label_en(field)} {fig.text} but the {target.what} {best:,} {target.unit.value} rounds "
        f"half-up to {shown} (off by {shown_diff})",
        target.related, section,
    )  # fmt: skip


def _like(fig: Figure, value: int, unit: Unit) -> str:
    """Print ``value`` (table unit) the way ``fig`` is printed: '486억원', '544억 38백만원', '4,079백만원'."""
    if fig.scale == 100_000_000:
        return format_eok(value, unit)
    if fig.scale == 1_000_000 and "억" in fig.text:
        return format_eok_baekman(value, unit)
    won = round_half_up(Decimal(value) * UNIT_FACTOR[unit] / fig.scale, 0) * fig.scale
    if fig.scale == 1_000_000:
        return f"{int(won / 1_000_000):,}백만원"
    return f"{int(won):,}원"


def _like_difference(fig: Figure, diff_won: Decimal) -> str:
    sign = "-" if diff_won < 0 else ""
    text = _like(fig, int(abs(diff_won)), Unit.WON)
    return sign + text


def _rate(
    ctx: RuleContext, section: str | None, head: Headline, fig: Figure, spent: Target, current: Target
) -> Iterator[HeadlineIssue]:
    places = places_of(fig.value)
    options = {rate(sp, cu, places) for sp in spent.values for cu in current.values if cu}
    if fig.value in options or not options:
        return
    expected = rate(spent.values[0], current.values[0], places)
    if expected is None:
        return
    diff = fig.value - expected
    yield HeadlineIssue(
        "XREF001", Severity.ERROR, head, fig, "집행률", str(fig.value), str(expected), str(diff),
        f"문장의 집행률 {fig.value}%가 {spent.what}의 집행액 {spent.values[0]:,} ÷ 예산현액 {current.values[0]:,}로 "
        f"계산한 {expected}%와 다릅니다",
        f"The sentence states a rate of {fig.value}% but the table totals give {expected}%",
        spent.related, section,
    )  # fmt: skip
