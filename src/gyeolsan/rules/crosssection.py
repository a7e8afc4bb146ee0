"""Cross-section rules (XREF): the same figure printed in two places must agree.

Headlines against tables (XREF001), section I against section IV (XREF002), program cards against
the 단위사업 rows (XREF003/004/010), 국고보조금 revenue against the program it funds (XREF005),
예산액 → 예산현액 against the adjustment records (XREF006), the section IV adjustment totals against
their records (XREF007), 집행잔액 reasons against their totals (XREF008), and the next-year table's
전년 column against this year's 예산액 (XREF009).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import product

from gyeolsan.model import BudgetLine, ChangeLine, Finding, Severity, Source
from gyeolsan.model.numbers import convert, rate
from gyeolsan.rules.catalogue import rule
from gyeolsan.rules.context import RuleContext
from gyeolsan.rules.helpers import SECTION_I, SECTION_IV, label, label_en, name_key, num, pct, signed, unit_of
from gyeolsan.rules.index import (
    Index,
    Move,
    index_of,
    note_texts,
    restatement_moves,
    row_key,
    table_rows,
)
from gyeolsan.rules.rounding import _cards, _headlines
from gyeolsan.rules.sums import Row

X = "crosssection"


@rule(
    "XREF001",
    X,
    "error",
    "문장의 금액·집행률이 표와 다름",
    "A figure in a sentence differs from the table",
    "총괄 문장의 금액과 집행률을 표의 합계 행과 같게 고치십시오.",
    "문장의 집행액 47,025,373천원이 부서별 세출결산 합계 47,025,374천원과 -1천원 다릅니다",
)
def headline_figures(ctx: RuleContext) -> Iterator[Finding]:
    """Figures printed at the table's precision in the summary sentences (I 결산, IV 세입·세출 총괄, 집행잔액)
    against the total rows; a difference within the rounding tolerance is a warning."""
    return _headlines(ctx, "XREF001")


# --- section I ↔ section IV --------------------------------------------------------------------------


@rule(
    "XREF002",
    X,
    "error",
    "I장 결산표와 IV장 부서별 표가 다름",
    "Section I settlement table and section IV division table disagree",
    "IV장 부서별 세출결산 표의 금액·집행률을 I장 결산표와 같게 고치십시오 (부서명 띄어쓰기는 무시합니다).",
    "부서별 세출결산 '뉴미디어 담당관' 집행액 5,623,622이(가) '18년 결산 5,623,262과(와) 다릅니다",
)
def section_tables(ctx: RuleContext) -> Iterator[Finding]:
    """Per division and total, every column printed in both tables (divisions matched without spaces)."""
    s = ctx.settlement
    first, fourth = s.settlement, s.expenditure.table if s.expenditure else None
    if first is None or fourth is None:
        return
    rows1, rows4 = table_rows(first), table_rows(fourth)
    tolerance = ctx.config.rounding_tolerance
    for line in fourth.lines:
        if line.kind not in ("total", "division"):
            continue
        key = row_key(line)
        twin = rows1.get(key)
        if twin is None:
            yield ctx.finding(
                "XREF002", line.src,
                f"IV장 부서별 표의 '{line.name}'이(가) I장 {first.title} 표에 없습니다",
                f"'{line.name}' of the section IV table is not in the section I table",
                severity=Severity.WARNING, section=fourth.section, table=fourth.title, row=line.name,
            )  # fmt: skip
            continue
        for f in ("budget", "budget_current", "spent", "carried_over", "unused", "rate"):
            a, b = getattr(line, f), getattr(twin, f)
            if a is None or b is None or a == b:
                continue
            if f != "rate" and _children_sum(first, twin, f) == a:
                continue  # the section I row is the wrong one: SUM001/SUM002 report it there
            if f == "rate" and not (_rate_consistent(line) and _rate_consistent(twin)):
                continue  # a rate that does not match its own row is reported by RATE001 at that row
            diff = a - b
            severity = Severity.WARNING if f != "rate" and abs(diff) <= tolerance else Severity.ERROR
            shown = (pct(a), pct(b), pct(diff)) if f == "rate" else (num(a), num(b), signed(diff))
            yield ctx.finding(
                "XREF002", line.src,
                f"{fourth.title} '{line.name}' {label(f)} {a:,}이(가) I장 {first.title} '{twin.name}' {b:,}과(와) 다릅니다",
                f"Section IV '{line.name}' {label_en(f)} {a:,} differs from section I {b:,}",
                severity=severity, stated=shown[0], expected=shown[1], difference=shown[2], related=(twin.src,),
                section=fourth.section, table=fourth.title, row=line.name, field=label(f),
            )  # fmt: skip
    for key, line1 in rows1.items():
        if line1.kind == "division" and key not in rows4:
            yield ctx.finding(
                "XREF002", fourth.src,
                f"I장 결산표의 부서 '{line1.name}'이(가) IV장 부서별 표에 없습니다",
                f"Division '{line1.name}' of the section I table is missing from the section IV table",
                severity=Severity.WARNING, related=(line1.src,), section=fourth.section, table=fourth.title,
                row=line1.name,
            )  # fmt: skip


def _rate_consistent(line: BudgetLine) -> bool:
    return bool(line.budget_current) and rate(line.spent or 0, line.budget_current or 0, 1) == line.rate


def _children_sum(table: object, line: BudgetLine, f: str) -> int | None:
    if line.children:
        return sum(getattr(c, f) or 0 for c in line.children)
    if line.kind == "total":
        divisions = [ln for ln in getattr(table, "lines", ()) if ln.kind == "division"]
        return sum(getattr(d, f) or 0 for d in divisions) if divisions else None
    return None


# --- cards -----------------------------------------------------------------------------------------


@rule(
    "XREF003",
    X,
    "error",
    "주요사업 카드의 결산 금액·집행률이 결산표와 다름",
    "Program card settlement line differs from the settlement table",
    "카드의 예산현액·집행액(백만원)과 집행률을 해당 단위사업 행(여러 개면 합계)과 같게 고치십시오.",
    "주요사업 카드 '민원서비스 품질관리를 통한 대민서비스 질 향상'의 집행액 57백만원이 결산표 55,393천원을 반올림한 "
    "55백만원과 다릅니다",
)
def card_figures(ctx: RuleContext) -> Iterator[Finding]:
    """The card line '예산현액 X백만원 중 Y백만원 집행(집행률 Z%)' against the 단위사업 rows it covers
    (exact 천원 sums, half-up to 백만원; the rate from the exact figures)."""
    return _cards(ctx, "XREF003")


@rule(
    "XREF004",
    X,
    "warning",
    "주요사업 카드를 결산표 사업과 연결하지 못함",
    "Program card not matched to settlement-table rows",
    "카드 제목을 결산표의 단위사업명과 같게 쓰거나, 카드가 다루는 단위사업을 밝히십시오.",
    "주요사업 카드 '시민감동 행정서비스'의 결산 문장을 결산표의 단위사업과 연결하지 못했습니다",
)
def card_unmapped(ctx: RuleContext) -> Iterator[Finding]:
    """Cards whose settlement line could not be resolved to 단위사업 rows on import."""
    return _cards(ctx, "XREF004")


@rule(
    "XREF010",
    X,
    "error",
    "카드의 이월액 주석이 이월 기록과 다름",
    "Card carry-over note differs from the carry-over records",
    "카드의 '※ 사고이월액 N백만원 포함/별도' 주석을 IV장 다음연도 이월 기록과 같게 고치고, 집행액에 이월액을 "
    "포함했다면 그 사실을 밝히십시오.",
    "주요사업 카드 '서울시 도시브랜드 마케팅'의 주석 이월액 431백만원이 IV장 다음연도 이월 기록 413,109천원(≈413백만원)과 다릅니다",
)
def card_carry_note(ctx: RuleContext) -> Iterator[Finding]:
    """'※ 사고이월액 413백만원 포함' against the 이월 records of the covered programs; spending that includes
    a carry-over without saying so is a warning."""
    return _cards(ctx, "XREF010")


# --- revenue ↔ programs ----------------------------------------------------------------------------


@rule(
    "XREF005",
    X,
    "warning",
    "국고보조금 수납액과 해당 사업 집행액이 다름",
    "Subsidy received differs from the spending of the program it funds",
    "보조금 수납액 = 해당 사업 집행액 (+ 이월액 + 반납액)이 되도록 확인하고, 차액(반납·미교부)을 밝히십시오.",
    "세입 '국고보조금' 수납액 989,470이(가) 보조 사업 '일반여권 발급업무 대행' 집행액 979,470과(와) 다릅니다",
)
def subsidy_program(ctx: RuleContext) -> Iterator[Finding]:
    """A 보조금 revenue line (its narrative names the program, e.g. '일반여권발급업무대행을 위한 외교부
    국고보조금') against the program's 집행액 (+ 다음연도 이월 + 보조금 반납)."""
    s = ctx.settlement
    rev = s.revenue
    if rev is None or s.settlement is None:
        return
    index = index_of(ctx)
    unit = unit_of(rev.unit)
    for line in rev.all_lines():
        if "보조금" not in line.name or line.children or line.received is None:
            continue
        found = _funded_program(ctx, index, line.name)
        if found is None:
            continue
        program, text_src = found
        spent = program.spent or 0
        carried = index.carried(program)
        returned = program.subsidy_returned or 0
        expected = convert(spent + carried + returned, index.unit, unit)
        if line.received == expected or line.received == convert(spent, index.unit, unit):
            continue
        diff = line.received - expected
        explained = _unused_mentions_subsidy(ctx, abs(diff))
        yield ctx.finding(
            "XREF005", line.src,
            f"세입 '{line.name}' 수납액 {line.received:,}이(가) 보조 사업 '{program.name}' 집행액 {spent:,}"
            + (f" + 이월 {carried:,}" if carried else "") + (f" + 반납 {returned:,}" if returned else "")
            + f" = {expected:,}과(와) {diff:+,} 다릅니다"
            + (" (집행잔액 사유에 같은 금액의 보조금이 있어 반납분으로 보입니다)" if explained else ""),
            f"Revenue '{line.name}' received {line.received:,} but the program '{program.name}' spent {expected:,}",
            severity=Severity.INFO if explained else None, stated=num(line.received), expected=num(expected),
            difference=signed(diff), related=(program.src, text_src), section=SECTION_IV, table=rev.title,
            row=line.name, field="수납액",
        )  # fmt: skip


def _funded_program(
    ctx: RuleContext, index: Index, revenue_name: str
) -> tuple[BudgetLine, Source | None] | None:
    rev = ctx.settlement.revenue
    if rev is None:
        return None
    key = name_key(revenue_name)
    texts: list[tuple[str, Source | None]] = [
        (i.src.text or i.name, i.src) for i in rev.items if name_key(i.name) == key
    ]
    texts += [(h.text, h.src) for h in rev.statements if key in name_key(h.text)]
    for text, src in texts:
        text_key = name_key(text)
        hits = [(k, rows) for k, rows in index.programs.items() if k and k in text_key]
        if hits:
            _, rows = max(hits, key=lambda kr: len(kr[0]))
            program = index.program(rows[0].name)
            if program is not None:
                return program, src
    return None


def _unused_mentions_subsidy(ctx: RuleContext, amount: int) -> bool:
    exp = ctx.settlement.expenditure
    if exp is None:
        return False
    return any(
        item.amount == amount and "보조금" in item.text
        for reason in exp.unused_reasons
        for item in reason.items
    )


# --- 예산액 → 예산현액 against the adjustment records ------------------------------------------------------


@rule(
    "XREF006",
    X,
    "warning",
    "예산액과 예산현액의 차이가 조정 기록으로 설명되지 않음",
    "Budget → current budget difference not explained by the adjustment records",
    "예산현액 = 예산액 ± 이용·전용·이체·변경사용 + 전년도 이월액입니다. 차이의 출처(전년도 이월, 이체 등)를 IV장에 "
    "밝히십시오.",
    "'18년 결산 '시민청 운영 및 확산' 예산현액 3,882,723이(가) 예산액 3,259,011보다 623,712 많으나 IV장 조정 기록"
    "(이용·전용·변경사용·이체·전년도 이월)에 이를 설명하는 항목이 없습니다",
)
def budget_reconciliation(ctx: RuleContext) -> Iterator[Finding]:
    """Per 단위사업 (or division without rows): 예산현액 − 예산액 = Σ 이용/전용/변경사용 (in − out) ± 이체 + 전년도
    이월. 전용 within a program nets to zero. An increase with no record at all is an undisclosed source (info,
    presumably a 전년도 이월); any other unexplained difference is a warning."""
    s = ctx.settlement
    table = s.settlement
    if table is None:
        return
    index = index_of(ctx)
    for line in table.all_lines():
        leaf = not line.children and line.kind in ("unit", "detail", "policy", "division")
        if not leaf or line.budget is None or line.budget_current is None:
            continue
        diff = line.budget_current - line.budget
        options, named, srcs = _contributions(ctx, index, line)
        sums = {sum(choice) for choice in product(*options)} if options else {0}
        if diff in sums:
            continue
        closest = min(sums, key=lambda v: abs(diff - v))
        expected = line.budget + closest
        if not named and diff > 0:
            severity = Severity.INFO
            ko = (
                f"{table.title} '{line.name}' 예산현액 {line.budget_current:,}이(가) 예산액 {line.budget:,}보다 "
                f"{diff:,} 많으나 IV장 조정 기록(이용·전용·변경사용·이체·전년도 이월)에 이를 설명하는 항목이 없습니다"
            )
            en = (
                f"{table.title} '{line.name}': the current budget exceeds the budget by {diff:,} but no adjustment "
                "record in section IV explains it (an undisclosed carry-over from the previous year?)"
            )
        else:
            severity = Severity.WARNING
            ko = (
                f"{table.title} '{line.name}' 예산현액 {line.budget_current:,} − 예산액 {line.budget:,} = {diff:+,}이(가) "
                f"IV장 조정 기록으로 설명되지 않습니다 (기록으로는 {closest:+,})"
            )
            en = (
                f"{table.title} '{line.name}': current budget − budget = {diff:+,} but the adjustment records give "
                f"{closest:+,}"
            )
        yield ctx.finding(
            "XREF006", line.src, ko, en, severity=severity, stated=num(line.budget_current), expected=num(expected),
            difference=signed(line.budget_current - expected), related=srcs, section=table.section,
            table=table.title, row=line.name, field="예산현액",
        )  # fmt: skip


def _contributions(
    ctx: RuleContext, index: Index, line: BudgetLine
) -> tuple[list[tuple[int, ...]], bool, tuple[Source | None, ...]]:
    """Possible signed amounts each record contributes to ``line``'s 예산현액 − 예산액."""
    key = name_key(line.name)
    by_division = line.kind == "division"
    options: list[tuple[int, ...]] = []
    srcs: list[Source | None] = []
    for adj in ctx.settlement.adjustments:
        if adj.kind == "이월" or adj.amount is None:
            continue
        a = convert(adj.amount, unit_of(adj.unit), index.unit)
        src_key = name_key(adj.from_division if by_division else adj.from_program)
        dst_key = name_key(adj.to_division if by_division else adj.to_program)
        if key not in (src_key, dst_key):
            continue
        srcs.append(adj.src)
        if adj.kind == "이체":  # the direction of a transfer record is not reliable: either way
            options.append((0, a, -a) if src_key == dst_key else (a, -a))
        elif src_key == dst_key:
            options.append((0,))
        else:
            options.append((-a,) if src_key == key else (a,))
    for carry in index.previous_carries():
        program = index.program(carry.program)
        if (by_division and program is not None and index.division_of(program) is line) or name_key(
            carry.program
        ) == key:
            options.append((convert(carry.amount, unit_of("천원"), index.unit),))
            srcs.append(carry.src)
    named = any(any(option) for option in options)  # a 전용 within the program nets to zero: explains nothing
    return options, named, tuple(srcs)


# --- section IV adjustment totals -----------------------------------------------------------------------


@rule(
    "XREF007",
    X,
    "error",
    "IV장 예산 변경 총괄(건수·금액)이 명세와 다름",
    "Section IV adjustment totals differ from the itemised records",
    "【예산 이용/전용/변경사용/이체/이월】의 건수와 금액을 아래 명세의 건수와 합계로 고치십시오 "
    "(없으면 '해당사항 없음').",
    "【예산 이체】 5건이라 했으나 명세는 2건(938,114 + 342,975 = 1,281,089)입니다",
)
def adjustment_totals(ctx: RuleContext) -> Iterator[Finding]:
    """Each 【…】 summary (count, amount, '해당사항 없음') against its itemised records; the 집행잔액 summary
    against the section IV total. A wrong count is a warning, a wrong amount an error."""
    exp = ctx.settlement.expenditure
    if exp is None:
        return
    index = index_of(ctx)
    records = index.records()
    summaries = sorted(exp.summaries, key=lambda x: x.src.line or 0)
    for n, summary in enumerate(summaries):
        if summary.kind == "집행잔액":
            yield from _unused_summary(ctx, summary)
            continue
        recs = [r for r in records if r.kind == summary.kind]
        kind = summary.kind if summary.kind != "이월" else "다음연도 이월"
        srcs = tuple(r.src for r in recs)
        if summary.none:
            if recs:
                yield ctx.finding(
                    "XREF007", summary.src,
                    f"【예산 {kind}】을 '해당사항 없음'이라 했으나 명세가 {len(recs)}건 있습니다",
                    f"The {summary.kind} summary says 'none' but {len(recs)} records are listed",
                    stated="해당사항 없음", expected=f"{len(recs)}건", related=srcs, section=SECTION_IV,
                    table="세출 집행내역", row=kind, field="건수",
                )  # fmt: skip
            continue
        if not recs:
            if summary.count or summary.amount:
                yield ctx.finding(
                    "XREF007", summary.src,
                    f"【예산 {kind}】 {summary.count or '?'}건 {summary.amount or 0:,}천원의 명세가 없습니다",
                    f"The {summary.kind} summary has no itemised records",
                    severity=Severity.WARNING, section=SECTION_IV, table="세출 집행내역", row=kind,
                )  # fmt: skip
            continue
        total = sum(r.amount or 0 for r in recs)
        if summary.amount is not None and summary.amount != total:
            yield ctx.finding(
                "XREF007", summary.src,
                f"【예산 {kind}】 금액 {summary.amount:,}이(가) 명세 {len(recs)}건의 합계 {total:,}과(와) 다릅니다",
                f"The {summary.kind} total {summary.amount:,} differs from the sum of its records {total:,}",
                stated=num(summary.amount), expected=num(total), difference=signed(summary.amount - total),
                related=srcs, section=SECTION_IV, table="세출 집행내역", row=kind, field="금액",
            )  # fmt: skip
        if summary.count is not None and summary.count != len(recs):
            nxt = summaries[n + 1].src.line if n + 1 < len(summaries) else None
            echoes = _count_echoes(ctx, summary.src.line, nxt, summary.count)
            amounts = " + ".join(f"{r.amount or 0:,}" for r in recs)
            yield ctx.finding(
                "XREF007", summary.src,
                f"【예산 {kind}】 {summary.count}건이라 했으나 명세는 {len(recs)}건({amounts} = {total:,})입니다",
                f"The {summary.kind} summary counts {summary.count} items but {len(recs)} records are listed",
                severity=Severity.WARNING, stated=str(summary.count), expected=str(len(recs)),
                difference=signed(summary.count - len(recs)), related=echoes + srcs, section=SECTION_IV,
                table="세출 집행내역", row=kind, field="건수",
            )  # fmt: skip


def _count_echoes(
    ctx: RuleContext, start: int | None, end: int | None, count: int
) -> tuple[Source | None, ...]:
    """Narrative lines under the same heading that repeat the count ('이체규모는 총 5건')."""
    exp = ctx.settlement.expenditure
    if exp is None or start is None:
        return ()
    out: list[Source | None] = []
    for h in exp.narrative:
        line = h.src.line or 0
        if line > start and (end is None or line < end) and f"{count}건" in h.text.replace(" ", ""):
            out.append(h.src)
    return tuple(out)


def _unused_summary(ctx: RuleContext, summary: object) -> Iterator[Finding]:
    s = ctx.settlement
    amount = getattr(summary, "amount", None)
    table = (s.expenditure.table if s.expenditure else None) or s.settlement
    total = table.root("total") if table else None
    if amount is None or total is None or total.unused is None or amount == total.unused:
        return
    src: Source = getattr(summary, "src")  # noqa: B009
    yield ctx.finding(
        "XREF007", src,
        f"【예산 집행잔액】 {amount:,}천원이 부서별 표의 집행잔액 합계 {total.unused:,}과(와) 다릅니다",
        f"The unused-balance summary {amount:,} differs from the table total {total.unused:,}",
        stated=num(amount), expected=num(total.unused), difference=signed(amount - total.unused),
        related=(total.src,), section=SECTION_IV, table="세출 집행내역", row="집행잔액", field="금액",
    )  # fmt: skip


# --- 집행잔액 reasons --------------------------------------------------------------------------------------


@rule(
    "XREF008",
    X,
    "error",
    "집행잔액 사유별 금액의 합이 맞지 않음",
    "Unused-balance reasons do not add up",
    "사유별 세부 금액의 합이 사유 금액과, 사유 금액의 합이 집행잔액 총액과 같도록 고치십시오 (일부만 적었다면 '등'을 밝히십시오).",
    "계획변경 등 집행사유 미발생 30,420천원이 세부 내역 합계 23,120 + 5,000 + 2,300 = 30,420과(와) … 다릅니다",
)
def unused_reasons(ctx: RuleContext) -> Iterator[Finding]:
    """Items of each 집행잔액 reason sum to the reason's amount; the reasons sum to the stated 집행잔액 total.
    A sum above the stated amount is an error, below it a warning (the list may be partial)."""
    s = ctx.settlement
    exp = s.expenditure
    if exp is None or not exp.unused_reasons:
        return
    for reason in exp.unused_reasons:
        amounts = [i.amount for i in reason.items]
        if reason.amount is None or not amounts or any(a is None for a in amounts):
            continue
        total = sum(a or 0 for a in amounts)
        if total != reason.amount:
            yield _reason_finding(
                ctx, reason.src, reason.reason, reason.amount, total, tuple(i.src for i in reason.items)
            )
    stated_total = _stated_unused_total(ctx)
    amounts = [r.amount for r in exp.unused_reasons]
    if stated_total is None or any(a is None for a in amounts):
        return
    total = sum(a or 0 for a in amounts)
    if total != stated_total[0]:
        yield _reason_finding(
            ctx,
            stated_total[1],
            "예산 집행잔액",
            stated_total[0],
            total,
            tuple(r.src for r in exp.unused_reasons),
        )


def _stated_unused_total(ctx: RuleContext) -> tuple[int, Source] | None:
    exp = ctx.settlement.expenditure
    if exp is None:
        return None
    summary = next((x for x in exp.summaries if x.kind == "집행잔액" and x.amount is not None), None)
    if summary is not None and summary.amount is not None:
        return summary.amount, summary.src
    table = exp.table or ctx.settlement.settlement
    total = table.root("total") if table else None
    if total is not None and total.unused is not None:
        return total.unused, total.src
    return None


def _reason_finding(
    ctx: RuleContext, src: Source, what: str, stated: int, total: int, related: tuple[Source | None, ...]
) -> Finding:
    severity = Severity.ERROR if total > stated else Severity.WARNING
    return ctx.finding(
        "XREF008", src,
        f"{what} {stated:,}천원이 세부 내역 합계 {total:,}과(와) {stated - total:+,} 다릅니다"
        + ("" if total > stated else " (일부 내역만 적었다면 '등'으로 밝히십시오)"),
        f"'{what}' states {stated:,} but its items add up to {total:,}",
        severity=severity, stated=num(stated), expected=num(total), difference=signed(stated - total),
        related=related, section=SECTION_IV, table="집행잔액", row=what, field="금액",
    )  # fmt: skip


# --- next-year table's 전년 column ------------------------------------------------------------------------


@rule(
    "XREF009",
    X,
    "warning",
    "다음연도 예산표의 전년 예산이 결산표 예산액과 다름",
    "Next-year table's previous-year budget differs from the settlement table",
    "다음연도 예산표의 전년 예산이 결산표 예산액과 다르면 조직개편·사업 재분류·이체 내역을 표 아래에 밝히십시오 "
    "(예: '※ 소통관리 및 시정정보 제공 170,000 → 시정 영상물 제작·관리').",
    "'19년 예산 '소통관리 및 시정정보 제공' 2018년 예산 3,070,298이(가) '18년 결산 예산액 3,240,298과(와) "
    "-170,000 다르며 조직개편·이체·주석으로 설명되지 않습니다",
)
def next_year_previous(ctx: RuleContext) -> Iterator[Finding]:
    """Rows matched by name (spaces and quotes ignored; 기본경비 by division). A difference explained by a
    reorganisation (a program of an abolished division, or exactly the amount of an abolished division's
    row), by an 이체 record or by a restatement note ('A 170,000 → B') is info; otherwise a warning."""
    s = ctx.settlement
    table, ny = s.settlement, s.next_year
    if table is None or ny is None:
        return
    index = index_of(ctx)
    settled = _leaves(table.lines)
    divisions = {name_key(d.name) for d in table.divisions} | {name_key(d.name) for d in ny.divisions}
    moves = [m for m in restatement_moves(note_texts(s)) if m.target not in divisions]
    abolished_amounts = {
        ln.budget for ln, div in settled.values() if div is not None and index.is_abolished(div) and ln.budget
    }
    transfers = {a.amount for a in s.adjustments if a.kind == "이체" and a.amount}
    matched: set[int] = set()
    for key, (row, division) in _leaves(ny.lines).items():
        pair = settled.get(key)
        prev = row.previous or 0
        if pair is None:
            if prev and not _moved_in(moves, key):
                yield _previous_finding(
                    ctx, row, prev, None, Severity.WARNING,
                    f"결산표에 없는 사업인데 전년 예산 {prev:,}이(가) 있습니다",
                    "has a previous-year budget but no row in the settlement table",
                )  # fmt: skip
            continue
        old, old_division = pair
        matched.add(id(old))
        budget = old.budget or 0
        diff = prev - budget
        moved_division = (
            division is not None
            and old_division is not None
            and name_key(division.name) != name_key(old_division.name)
        )
        if diff == 0 and not moved_division:
            continue
        in_abolished = old_division is not None and index.is_abolished(old_division)
        by_note = diff != 0 and _moved_in(moves, key) - _moved_out(moves, key) == diff
        if diff == 0:
            reason = "부서가 바뀌었습니다 (조직개편)" if in_abolished else "부서가 바뀌었습니다"
            severity = Severity.INFO
        elif in_abolished:
            reason, severity = "폐지된 부서의 사업이 재분류된 것으로 설명됩니다", Severity.INFO
        elif abs(diff) in abolished_amounts:
            reason, severity = "폐지된 부서의 같은 금액 항목이 옮겨 온 것으로 설명됩니다", Severity.INFO
        elif by_note:
            reason, severity = "표 주석의 재분류 내역으로 설명됩니다", Severity.INFO
        elif abs(diff) in transfers:
            reason, severity = "IV장 이체 기록으로 설명됩니다", Severity.INFO
        else:
            reason, severity = "조직개편·이체·주석으로 설명되지 않습니다", Severity.WARNING
        yield _previous_finding(ctx, row, prev, old, severity, reason, "")
    for key, (old, old_division) in settled.items():
        if id(old) in matched or not old.budget or key.startswith("#"):
            continue
        if (old_division is not None and index.is_abolished(old_division)) or _moved_out(moves, key):
            continue
        yield ctx.finding(
            "XREF009", old.src,
            f"{table.title} '{old.name}' (예산액 {old.budget:,})이(가) {ny.title} 표의 전년 예산에 없습니다",
            f"'{old.name}' (budget {old.budget:,}) is missing from the previous-year column of {ny.title}",
            severity=Severity.INFO, section=table.section, table=table.title, row=old.name, field="예산액",
        )  # fmt: skip


def _previous_finding(
    ctx: RuleContext,
    row: ChangeLine,
    prev: int,
    old: BudgetLine | None,
    severity: Severity,
    reason: str,
    en: str,
) -> Finding:
    s = ctx.settlement
    ny, table = s.next_year, s.settlement
    assert ny is not None and table is not None
    if old is None:
        return ctx.finding(
            "XREF009", row.src, f"{ny.title} '{row.name}' {reason}", f"{ny.title} '{row.name}' {en}",
            severity=severity, stated=num(prev), section=SECTION_I, table=ny.title, row=row.name,
            field="전년 예산",
        )  # fmt: skip
    budget = old.budget or 0
    diff = prev - budget
    return ctx.finding(
        "XREF009", row.src,
        f"{ny.title} '{row.name}' {ny.previous_year}년 예산 {prev:,}이(가) {table.title} 예산액 {budget:,}과(와) "
        f"{diff:+,} 다르며 {reason}" if diff else f"{ny.title} '{row.name}' {ny.previous_year}년 예산 {prev:,}: {reason}",
        f"{ny.title} '{row.name}': previous-year budget {prev:,} vs settlement-table budget {budget:,} ({diff:+,})",
        severity=severity, stated=num(prev), expected=num(budget), difference=signed(diff), related=(old.src,),
        section=SECTION_I, table=ny.title, row=row.name, field="전년 예산",
    )  # fmt: skip


def _leaves(lines: tuple[Row, ...]) -> dict[str, tuple[Row, Row | None]]:
    """Program rows without children, 기본경비 rows (by division) and the top rows, with their division."""
    out: dict[str, tuple[Row, Row | None]] = {}

    def walk(line: Row, division: Row | None) -> None:
        div = line if line.kind == "division" else division
        if line.kind in ("total", "business", "basic_total", "basic") or (
            not line.children and line.kind in ("unit", "detail", "policy")
        ):
            out.setdefault(row_key(line, div.name if div else None), (line, div))
        for child in line.children:
            walk(child, div)

    for root in lines:
        walk(root, None)
    return out


def _moved_in(moves: list[Move], key: str) -> int:
    return sum(m.amount for m in moves if m.target == key)


def _moved_out(moves: list[Move], key: str) -> int:
    """Amounts that left ``key`` (moves to a division, '… 127,620 → 시민소통담당관', were filtered out:
    they change the division, not the amount)."""
    return sum(m.amount for m in moves if m.source.endswith(key) and m.target != key)
