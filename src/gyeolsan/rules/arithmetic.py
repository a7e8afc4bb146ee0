"""Arithmetic rules (SUM, RATE): subtotals, derived amounts and rates recomputed from the printed rows.

Differences within ``config.rounding_tolerance`` are left to ROUND001 / ROUND005 (rounding.py);
what is reported here is wrong beyond rounding.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from gyeolsan.model import Finding, Headcount, Severity, StaffingRow
from gyeolsan.model.numbers import rate
from gyeolsan.rules.catalogue import rule
from gyeolsan.rules.checks import amount_checks, rate_checks
from gyeolsan.rules.context import RuleContext
from gyeolsan.rules.helpers import SECTION_I, SECTION_IV, label, num, pct, pct_ko, places_of, signed
from gyeolsan.rules.sql import RATE_SQL, SUM_TOP_SQL, SUM_TREE_SQL

A = "arithmetic"


def _amounts(ctx: RuleContext, rule_id: str) -> Iterator[Finding]:
    tolerance = ctx.config.rounding_tolerance
    for c in amount_checks(ctx):
        if c.rule != rule_id or abs(c.difference) <= tolerance:
            continue
        yield ctx.finding(
            rule_id,
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


def _rates(ctx: RuleContext, rule_id: str) -> Iterator[Finding]:
    for c in rate_checks(ctx):
        if c.rule != rule_id or c.kind == "rounding":
            continue
        severity = Severity.ERROR if c.kind == "error" else Severity.WARNING
        yield ctx.finding(
            rule_id,
            c.row.src,
            c.message,
            c.message_en,
            severity=severity,
            stated=pct(c.stated),
            expected=pct(c.expected, c.places) if c.kind != "convention" else ctx.config.new_item_rate,
            difference=pct(c.difference) if c.kind != "convention" else None,
            related=c.related,
            section=c.section,
            table=c.table,
            row=c.row.name,
            field=label(c.field),
        )


@rule(
    "SUM001",
    A,
    "error",
    "세출결산표 소계가 하위 항목의 합과 다름",
    "Settlement-table subtotal differs from the sum of its rows",
    "소계 행 또는 틀린 하위 행의 금액을 고치십시오. 표의 모든 소계는 하위 항목의 합이어야 합니다.",
    "'18년 결산 '평생학습 기회 확대' 집행액 5,276,015이(가) 하위 항목 합계 5,276,022과(와) -7 다릅니다. "
    "'문해교육 지원' 집행액 452,925이(가) 452,918이어야 합계가 맞고 다른 근거(집행잔액 사유 금액)와도 일치합니다",
    sql=SUM_TREE_SQL,
)
def subtotal_children(ctx: RuleContext) -> Iterator[Finding]:
    """Every subtotal row (부서, 정책사업, …) of the settlement and section IV tables equals the sum of its
    children in every column. When one child is contradicted by an independent source (its 집행률, the
    program card, a 집행잔액 reason, section IV) and the difference corrects it, that child is reported."""
    return _amounts(ctx, "SUM001")


@rule(
    "SUM002",
    A,
    "error",
    "합계가 사업예산+기본경비 또는 부서 합계와 다름",
    "Grand total differs from business + basic expenses or from the sum of divisions",
    "합계 = 사업예산 + 기본경비 = 부서 합계, 사업예산 = 정책사업 합계, 기본경비 = 부서별 기본경비 합계가 되도록 고치십시오.",
    "'18년 결산 '사업예산' 집행액 46,368,125이(가) 정책사업 합계 46,368,117과(와) +8 다릅니다",
    sql=SUM_TOP_SQL,
)
def subtotal_totals(ctx: RuleContext) -> Iterator[Finding]:
    """합계 = 사업예산 + 기본경비 = Σ 부서; 사업예산 = Σ 정책사업; 기본경비 = Σ 부서 기본경비 (each column)."""
    return _amounts(ctx, "SUM002")


@rule(
    "SUM003",
    A,
    "error",
    "다음연도 예산표 소계가 하위 항목의 합과 다름",
    "Next-year budget table subtotal differs from the sum of its rows",
    "전년·당해·증감 열의 소계와 합계를 하위 항목의 합으로 고치십시오.",
    "'19년 예산 '시민소통담당관' 당해 예산 15,947,029이(가) 하위 항목 합계 15,946,029과(와) +1,000 다릅니다",
)
def next_year_subtotals(ctx: RuleContext) -> Iterator[Finding]:
    """Subtotals and totals of the next-year table (전년, 당해, 증감 columns)."""
    return _amounts(ctx, "SUM003")


@rule(
    "SUM004",
    A,
    "error",
    "인력 현황표 합계 불일치",
    "Staffing table totals do not add up",
    "총계 = 직렬별 인원의 합, 계 = 부서별 인원의 합, 본문의 정원/현원 = 계 행이 되도록 고치십시오.",
    "인력 현황 '시민봉사담당관' 정원 총계 41이(가) 직렬별 합계 42와 다릅니다",
)
def staffing_totals(ctx: RuleContext) -> Iterator[Finding]:
    """Staffing: 총계 = Σ 직렬 per row (정원, 현원); 계 row = Σ 부서 per column; '130명/124명' = 계 row."""
    table = ctx.settlement.staffing
    if table is None:
        return
    total_row = next((r for r in table.rows if r.is_total), None)
    rows = [r for r in table.rows if not r.is_total]
    for row in table.rows:
        for f in ("quota", "current"):
            series = [getattr(h, f) for h in row.by_series]
            stated = getattr(row.total, f)
            if stated is None or all(v is None for v in series):
                continue
            computed = sum(v or 0 for v in series)
            if stated != computed:
                yield _staff(ctx, row, f, stated, computed, "직렬별 합계", "sum of job series", ())
    if total_row is None or not rows:
        return
    columns: list[tuple[str, str, int | None]] = [("총계", "total", None)]
    columns += [(name, name, i) for i, name in enumerate(table.series)]
    for col_ko, col_en, i in columns:
        for f in ("quota", "current"):
            stated = _head(total_row, i, f)
            values = [_head(r, i, f) for r in rows]
            if stated is None and all(v is None for v in values):
                continue
            computed = sum(v or 0 for v in values)
            if (stated or 0) != computed:
                yield _staff(
                    ctx, total_row, f, stated or 0, computed, f"부서별 합계({col_ko})",
                    f"sum of divisions ({col_en})", tuple(r.src for r in rows),
                )  # fmt: skip
    stated_pairs = (("quota", table.stated_quota), ("current", table.stated_current))
    for f, stated in stated_pairs:
        computed = getattr(total_row.total, f)
        if stated is not None and computed is not None and stated != computed:
            ko_f = "정원" if f == "quota" else "현원"
            yield ctx.finding(
                "SUM004",
                table.src,
                f"인력 현황 문장의 {ko_f} {stated}명이 표의 계 {computed}명과 다릅니다",
                f"The staffing line states {stated} ({f}) but the table total is {computed}",
                stated=str(stated),
                expected=str(computed),
                difference=signed(stated - computed),
                related=(total_row.src,),
                section=SECTION_I,
                table="인력 현황",
                row="계",
                field=ko_f,
            )


def _head(row: StaffingRow, i: int | None, f: str) -> int | None:
    h: Headcount | None = row.total if i is None else (row.by_series[i] if i < len(row.by_series) else None)
    return None if h is None else getattr(h, f)


def _staff(
    ctx: RuleContext,
    row: StaffingRow,
    f: str,
    stated: int,
    computed: int,
    what: str,
    what_en: str,
    related: tuple,
) -> Finding:  # type: ignore[type-arg]
    ko_f = "정원" if f == "quota" else "현원"
    return ctx.finding(
        "SUM004",
        row.src,
        f"인력 현황 '{row.name}' {ko_f} {stated}명이 {what} {computed}명과 다릅니다",
        f"Staffing '{row.name}' {f} {stated} differs from the {what_en} {computed}",
        stated=str(stated),
        expected=str(computed),
        difference=signed(stated - computed),
        related=related,
        section=SECTION_I,
        table="인력 현황",
        row=row.name,
        field=ko_f,
    )


@rule(
    "SUM005",
    A,
    "error",
    "세입결산표 소계가 하위 항목의 합과 다름",
    "Revenue table subtotal differs from the sum of its rows",
    "세입 합계와 구분별 소계를 하위 항목의 합으로 고치십시오.",
    "세입결산 '세외수입' 수납액 6,899,360이(가) 하위 항목 합계 6,899,260과(와) +100 다릅니다",
)
def revenue_subtotals(ctx: RuleContext) -> Iterator[Finding]:
    """Revenue: 합계 = Σ 구분, 세외수입 = 경상적 + 임시적, in every column."""
    return _amounts(ctx, "SUM005")


@rule(
    "SUM006",
    A,
    "error",
    "미수납액 ≠ 징수결정액 − 수납액 − 불납결손액",
    "Uncollected ≠ levied − received − written off",
    "미수납액을 징수결정액 − 수납액 − 불납결손액으로 고치십시오.",
    "세입결산 '경상적세외수입' 미수납액 76이(가) 징수결정액 223,896 − 수납액 223,830 − 불납결손액 0 = 66과(와) 다릅니다",
)
def uncollected(ctx: RuleContext) -> Iterator[Finding]:
    """미수납액 = 징수결정액 − 수납액 − 불납결손액 on every revenue row."""
    return _amounts(ctx, "SUM006")


@rule(
    "SUM007",
    A,
    "error",
    "증감 ≠ 당해 예산 − 전년 예산",
    "Change ≠ current − previous budget",
    '증감 열을 당해 예산 − 전년 예산으로 고치십시오 (감소는 △, 0은 "-").',
    "'19년 예산 '시정 영상물 제작·관리' 증감 △11,070이(가) 2019년 535,770 − 2018년 547,470 = △11,700과(와) 다릅니다",
)
def change_amounts(ctx: RuleContext) -> Iterator[Finding]:
    """증감 = 당해 − 전년 in the next-year table ("-" = 0)."""
    return _amounts(ctx, "SUM007")


@rule(
    "SUM008",
    A,
    "error",
    "집행잔액 ≠ 예산현액 − 집행액 − 다음연도 이월액",
    "Unused balance ≠ current budget − spending − carried over",
    "집행잔액을 예산현액 − 집행액 − 다음연도 이월액(− 보조금 반납)으로 고치거나 이월 내역을 밝히십시오.",
    "부서별 세출결산 '도시브랜드 담당관' 집행잔액 542,943이(가) 예산현액 3,793,409 − 집행액 3,250,466 − "
    "다음연도 이월액 413,109 = 129,834과(와) 다릅니다",
)
def unused_balance(ctx: RuleContext) -> Iterator[Finding]:
    """집행잔액 = 예산현액 − 집행액 − 다음연도 이월 (the 이월 records of each division; the total uses all)."""
    return _amounts(ctx, "SUM008")


@rule(
    "RATE001",
    A,
    "error",
    "집행률 재계산 불일치",
    "Execution rate does not match 집행액 ÷ 예산현액",
    "집행률은 집행액 ÷ 예산현액 × 100을 소수 첫째자리까지 반올림(사사오입)한 값입니다. "
    "이월액을 포함한 집행률이라면 표에 밝히십시오.",
    "'18년 결산 '뉴미디어담당관' 집행률 96.3%는 집행액 5,623,262 ÷ 예산현액 5,842,649 × 100 = 96.245%를 "
    "소수 첫째자리에서 반올림한 96.2%와 다릅니다 (소수 둘째자리에서 먼저 반올림한 이중 반올림으로 보입니다)",
    sql=RATE_SQL,
)
def execution_rate(ctx: RuleContext) -> Iterator[Finding]:
    """집행률 of every row of the settlement and section IV tables, from its own 집행액 and 예산현액."""
    return _rates(ctx, "RATE001")


@rule(
    "RATE002",
    A,
    "error",
    "증감률 재계산 불일치",
    "Change rate does not match (current − previous) ÷ previous",
    "증감률은 (당해 − 전년) ÷ 전년 × 100을 소수 둘째자리까지 반올림한 값입니다. 신규 항목은 설정값"
    "(new_item_rate), 폐지 항목은 △100으로 표기합니다.",
    "'21년 예산 '평생학습관 운영 지원' 증감률 4.87%는 (당해 1,930,000 − 전년 1,842,000) ÷ 전년 × 100을 "
    "소수 셋째자리에서 반올림한 4.78%와 다릅니다",
)
def change_rate_rule(ctx: RuleContext) -> Iterator[Finding]:
    """증감률 of every row of the next-year table; a new item prints ``config.new_item_rate`` (never a division
    by zero), an abolished one △100, an unchanged one "-"."""
    return _rates(ctx, "RATE002")


@rule(
    "RATE003",
    A,
    "error",
    "본문의 비율(예산현액의 X%)이 금액과 맞지 않음",
    "A stated share does not match its amounts",
    "비율 = 부분 금액 ÷ 기준 금액 × 100을 표기 자릿수까지 반올림한 값으로 고치십시오.",
    "예산 집행잔액 문장의 비율 2.5%는 1,184,378 ÷ 48,622,861 × 100 = 2.436%를 반올림한 2.4%와 다릅니다",
)
def stated_share(ctx: RuleContext) -> Iterator[Finding]:
    """'예산현액인 X천원의 2.4%인 Y천원' in section IV: the share recomputed from the two amounts."""
    exp = ctx.settlement.expenditure
    if exp is None or exp.unused_headline is None:
        return
    head = exp.unused_headline
    figures = list(head.figures)
    for i, fig in enumerate(figures):
        if fig.unit != "%":
            continue
        before = [f for f in figures[:i] if f.unit == "원"]
        after = [f for f in figures[i + 1 :] if f.unit == "원"]
        if not before or not after:
            continue
        base, part = int(before[-1].value), int(after[0].value)
        places = places_of(fig.value)
        expected = rate(part, base, places)
        if expected is None or expected == fig.value:
            continue
        exact = Decimal(part * 100) / base
        yield ctx.finding(
            "RATE003",
            head.src,
            f"집행잔액 문장의 비율 {pct_ko(fig.value)}%는 {part // 1000:,} ÷ {base // 1000:,} × 100 = {exact:.3f}%를 "
            f"반올림한 {pct_ko(expected, places)}%와 다릅니다",
            f"The stated share {fig.value}% does not match {part:,} / {base:,} × 100 = {exact:.3f}% "
            f"(rounded: {expected}%)",
            stated=pct(fig.value),
            expected=pct(expected, places),
            difference=pct(fig.value - expected),
            section=SECTION_IV,
            table="집행잔액",
            field="비율",
        )
