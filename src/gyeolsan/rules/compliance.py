"""Compliance rules (COMP0xx): what the law and the council's rules require of the budget changes.

- 전용 must be reported to the standing committee every quarter (서울: 서울특별시의회 기본 조례 제55조의3;
  ``config.transfer_report_rule``), at the latest ``config.transfer_report_months`` after its quarter ends;
- 사고이월 cannot be carried over again (지방재정법 제50조);
- 이용 needs the council's prior approval (지방재정법 제47조), 명시이월 too (지방재정법 제50조 ①);
- 징수결정 above 예산현액 and a very low 집행률 are worth a note; so are recommendations still 추진중.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from gyeolsan.model import Adjustment, AuditRecommendation, DateText, Finding, Settlement, Severity, Source
from gyeolsan.model.numbers import format_rate, rate
from gyeolsan.rules.catalogue import rule
from gyeolsan.rules.context import RuleContext
from gyeolsan.rules.text import SECTION_I, SECTION_III, SECTION_IV, dates_in, month_index, name_key

# ----------------------------------------------------------------------------- 전용 reports

_REPORTED = re.compile(r"보고")


def _report_date_in(text: str) -> DateText | None:
    """The date just before '… 보고' in a record's own text ("'21. 7. 6. 문화체육관광위원회 보고")."""
    best = None
    for span in dates_in(text):
        tail = text[span.end : span.end + 25]
        nxt = dates_in(tail)
        cut = tail[: nxt[0].start] if nxt else tail
        if _REPORTED.search(cut) and "전용일" not in text[max(0, span.start - 5) : span.start]:
            best = span.date
    return best


def transfer_dates(adj: Adjustment) -> tuple[DateText | None, DateText | None]:
    """(전용일, 보고일) of a 전용 record: the model's fields, else read from the record's own text."""
    text = " ".join(t for t in (adj.reason, adj.src.text) if t)
    decided = adj.date
    if decided is None:
        m = re.search(r"전용일\s*", text)
        found = dates_in(text[m.end() :]) if m else []
        decided = found[0].date if found else None
    return decided, adj.reported_on or _report_date_in(text)


def report_due(decided: DateText, months: int) -> tuple[int, int, int] | None:
    """(year, month, quarter) by which a 전용 of ``decided`` must be reported; None if the month is unknown."""
    if decided.year is None or decided.quarter is None:
        return None
    index = decided.year * 12 + decided.quarter * 3 - 1 + months  # month index of the last allowed month
    year, month0 = divmod(index, 12)
    return year, month0 + 1, month0 // 3 + 1


def _yy(year: int) -> str:
    return f"'{year % 100:02d}"


def _transfer_audits(s: Settlement) -> list[AuditRecommendation]:
    return [a for a in s.audits if "전용" in a.title + " ".join(a.content) and "보고" in _audit_text(a)]


def _audit_text(a: AuditRecommendation) -> str:
    return " ".join((a.title, *a.content, *a.action))


def _covering_audit(s: Settlement, adj: Adjustment, reported: DateText) -> AuditRecommendation | None:
    """A recommendation that gives this 전용's report date and names it (its date, amount or program),
    or gives the report date of the only 전용 reported that month."""
    same_month = [
        a
        for a in s.adjustments
        if a.kind == "전용" and month_index(transfer_dates(a)[1] or reported) == month_index(reported)
    ]
    for audit in _transfer_audits(s):
        text = _audit_text(audit)
        mentions = [d.date for d in dates_in(text)]
        if not any(month_index(d) == month_index(reported) for d in mentions):
            continue
        named = (adj.amount is not None and f"{adj.amount:,}" in text) or any(
            p and name_key(p) in name_key(text) for p in (adj.from_program, adj.to_program)
        )
        dated = adj.date is not None and any(month_index(d) == month_index(adj.date) for d in mentions)
        if named or dated or same_month == [adj]:
            return audit
    return None


def _summary_src(s: Settlement, kind: str) -> Source | None:
    if s.expenditure is None:
        return None
    return next((x.src for x in s.expenditure.summaries if x.kind == kind), None)


@rule(
    "COMP001",
    "compliance",
    Severity.WARNING,
    "예산 전용의 상임위원회 보고가 늦음",
    "Budget transfer (전용) reported to the standing committee late",
    "전용은 분기별로 소관 상임위원회에 보고해야 합니다. 보고 시기를 확인하고 지연 사유를 적으십시오",
    "'18. 2월 전용을 '18. 11월에 보고: 서울특별시의회 기본 조례 제55조의3에 따라 '18. 2분기 이내 보고 대상",
)
def transfer_reported_late(ctx: RuleContext) -> Iterable[Finding]:
    """A 전용 must be reported by the end of ``transfer_report_months`` after the end of its quarter.

    Reported in time → silent; reported late → warning, or info when a 시정권고 about this very 전용 is
    reported as done (the report itself discloses and explains the delay)."""
    s, cfg = ctx.settlement, ctx.config
    for adj in s.adjustments:
        if adj.kind != "전용":
            continue
        decided, reported = transfer_dates(adj)
        if decided is None or reported is None:
            continue  # COMP002
        due = report_due(decided, cfg.transfer_report_months)
        if due is None or month_index(reported) is None:
            continue
        year, month, quarter = due
        if month_index(reported) <= year * 12 + month - 1:  # type: ignore[operator]
            continue
        audit = _covering_audit(s, adj, reported)
        disclosed = audit is not None and (audit.status or "").startswith("추진완료")
        where = audit.src if audit is not None else adj.src
        related = (adj.src, _summary_src(s, "전용")) if audit is not None else (_summary_src(s, "전용"),)
        expected = f"{_yy(year)}. {quarter}분기 이내 ({_yy(year)}. {month}월까지, 전용일 {decided.text})"
        note = " 시정권고 조치결과에서 지연을 밝히고 추진완료로 보고하였습니다." if disclosed else ""
        yield ctx.finding(
            "COMP001",
            where,
            f"{decided.text} 전용({adj.from_item or ''}→{adj.to_item or ''} {adj.amount or 0:,}{adj.unit})을 "
            f"{reported.text}에 보고: {cfg.transfer_report_rule}에 따라 {expected.split(' (')[0]} 보고 대상입니다.{note}",
            f"The transfer of {decided.text} was reported in {reported.text}; under {cfg.transfer_report_rule} "
            f"it was due by {year}-{month:02d} (quarterly reporting)."
            + (" The report discloses the delay as a resolved recommendation." if disclosed else ""),
            severity=Severity.INFO if disclosed else None,
            stated=reported.text,
            expected=expected,
            related=related,
            section=SECTION_III if audit is not None else SECTION_IV,
            row=adj.from_program or adj.to_program,
            field="전용 보고",
        )


@rule(
    "COMP002",
    "compliance",
    Severity.WARNING,
    "예산 전용의 상임위원회 보고일이 없음",
    "Budget transfer (전용) without a report date",
    "전용 결정일과 상임위원회 보고일을 함께 적으십시오",
    "전용 1건(사무관리비→시설비 53,660천원)의 상임위원회 보고일이 적혀 있지 않습니다",
)
def transfer_report_missing(ctx: RuleContext) -> Iterable[Finding]:
    """Every 전용 record should state when it was decided and when it was reported to the committee."""
    for adj in ctx.settlement.adjustments:
        if adj.kind != "전용":
            continue
        decided, reported = transfer_dates(adj)
        if reported is not None:
            continue
        what = f"{adj.from_item or ''}→{adj.to_item or ''} {adj.amount or 0:,}{adj.unit}"
        yield ctx.finding(
            "COMP002",
            adj.src,
            f"전용({what}, 전용일 {decided.text if decided else '미기재'})의 상임위원회 보고일이 없습니다 "
            f"({ctx.config.transfer_report_rule})",
            f"The transfer ({what}) has no standing-committee report date",
            row=adj.from_program,
            field="전용 보고",
            section=SECTION_IV,
        )


@rule(
    "COMP003",
    "compliance",
    Severity.WARNING,
    "전용 보고 지연에 대한 시정권고를 추진완료로 보고했으나 같은 해 전용이 다시 늦게 보고됨",
    "Recommendation on transfer reporting marked done, yet other transfers were again reported late",
    "시정권고 조치결과의 추진상황을 다시 확인하십시오",
    "시정권고 1(예산 전용 의회 보고)을 추진완료로 보고했으나 '19. 5월 전용이 '19. 12월에 보고되었습니다",
)
def transfer_recommendation_repeated(ctx: RuleContext) -> Iterable[Finding]:
    """A 시정권고 about late 전용 reports, while *other* 전용 records of the year are again late."""
    s, cfg = ctx.settlement, ctx.config
    audits = _transfer_audits(s)
    if not audits:
        return
    for adj in s.adjustments:
        if adj.kind != "전용":
            continue
        decided, reported = transfer_dates(adj)
        if decided is None or reported is None or _covering_audit(s, adj, reported) is not None:
            continue
        due = report_due(decided, cfg.transfer_report_months)
        if due is None or month_index(reported) is None:
            continue
        if month_index(reported) <= due[0] * 12 + due[1] - 1:  # type: ignore[operator]
            continue
        audit = audits[0]
        yield ctx.finding(
            "COMP003",
            audit.src,
            f"시정권고 {audit.number}({audit.title})의 조치결과가 '{audit.status or '-'}'이나, "
            f"{decided.text} 전용이 또 {reported.text}에야 보고되었습니다",
            f"Recommendation {audit.number} on transfer reporting is '{audit.status or '-'}', but the transfer "
            f"of {decided.text} was again reported late ({reported.text})",
            stated=audit.status,
            related=(adj.src,),
            section=SECTION_III,
            row=audit.title,
            field="추진현황",
        )


# ----------------------------------------------------------------------------- carry-overs and 이용


def is_carry_in(adj: Adjustment) -> bool:
    """A record that describes money carried *into* this year (a note on 전년도 이월), not out of it."""
    text = adj.reason or adj.src.text or ""
    if adj.previous_year:
        return True
    return "전년도" in text or "예산현액에 포함" in text


def _program_names(s: Settlement) -> list[str]:
    names: list[str] = []
    for table in (s.settlement, s.next_year):
        if table is not None:
            names += [ln.name for ln in table.all_lines() if ln.kind in ("policy", "unit", "detail")]
    return sorted(set(names), key=len, reverse=True)


def _previous_accident_programs(s: Settlement) -> dict[str, Source]:
    """Programs carried into this year by 사고이월: named in a 전년도 이월 note, or a card's "'YY년 사고이월분"."""
    out: dict[str, Source] = {}
    names = _program_names(s)
    for adj in s.adjustments:
        if adj.kind != "이월" or not is_carry_in(adj):
            continue
        for part in re.split(r"[,，/]|\)|\(", adj.reason or adj.src.text or ""):
            if "사고이월" in part:
                for name in names:
                    if name_key(name) in name_key(part):
                        out.setdefault(name_key(name), adj.src)
                        break
    previous = f"{(s.meta.fiscal_year - 1) % 100:02d}"
    mark = re.compile(rf"['’‘]?\s*{previous}\s*년\s*(?:도\s*)?사고\s*이월")
    for card in s.cards:
        for section in card.sections:
            for block in section.blocks:
                if block.type == "bullet" and mark.search(block.text):
                    for program in card.unit_programs:
                        out.setdefault(name_key(program), block.src)
    return out


@rule(
    "COMP004",
    "compliance",
    Severity.WARNING,
    "사고이월된 예산을 다시 사고이월함",
    "Budget carried over by 사고이월 is carried over again",
    "사고이월한 경비는 다음 연도에 다시 이월할 수 없습니다(지방재정법 제50조). 이월 내역을 확인하십시오",
    "서울시 도시브랜드 마케팅: '17년 사고이월분이 '18년에 다시 사고이월되었습니다",
)
def accident_carry_again(ctx: RuleContext) -> Iterable[Finding]:
    """A 사고이월 out of this year for a program whose money came in by 사고이월 from the previous year."""
    s = ctx.settlement
    previous = _previous_accident_programs(s)
    if not previous:
        return
    for adj in s.adjustments:
        if adj.kind != "이월" or adj.carry_kind != "사고이월" or is_carry_in(adj) or not adj.from_program:
            continue
        evidence = previous.get(name_key(adj.from_program))
        if evidence is None:
            continue
        yield ctx.finding(
            "COMP004",
            adj.src,
            f"'{adj.from_program}'은(는) 전년도에서 사고이월된 사업인데 다시 사고이월({adj.amount or 0:,}{adj.unit})"
            "되었습니다 (지방재정법 제50조: 사고이월 경비는 다시 이월할 수 없음)",
            f"'{adj.from_program}' was carried in by 사고이월 and is carried over again by 사고이월",
            related=(evidence,),
            section=SECTION_IV,
            row=adj.from_program,
            field="사고이월",
        )


@rule(
    "COMP005",
    "compliance",
    Severity.WARNING,
    "의회 승인 없는 예산 이용",
    "Budget 이용 without council approval",
    "이용은 지방의회의 사전 의결(승인)을 받아야 합니다(지방재정법 제47조). 승인 일자·회기를 적으십시오",
    "교통수요관리 추진 → 공공자전거 확충 350,000천원 이용에 의회 승인 기록이 없습니다",
)
def use_without_approval(ctx: RuleContext) -> Iterable[Finding]:
    """이용 (between 정책사업 or higher) needs the council's prior approval; a record must say when."""
    for adj in ctx.settlement.adjustments:
        if adj.kind != "이용" or adj.approved_on is not None:
            continue
        text = " ".join(t for t in (adj.reason, adj.src.text) if t)
        if re.search(r"의회\s*(?:의\s*)?(?:승인|의결)", text):
            continue
        yield ctx.finding(
            "COMP005",
            adj.src,
            f"이용({adj.from_program or '?'} → {adj.to_program or '?'} {adj.amount or 0:,}{adj.unit})에 "
            "의회 승인 일자가 없습니다",
            f"이용 ({adj.from_program} → {adj.to_program}) has no council approval",
            section=SECTION_IV,
            row=adj.from_program,
            field="의회 승인",
        )


@rule(
    "COMP006",
    "compliance",
    Severity.INFO,
    "명시이월의 사전 승인 기록 확인 필요",
    "명시이월 without a recorded prior approval",
    "명시이월은 세입세출예산에 명시하여 미리 의회 승인을 받아야 합니다(지방재정법 제50조). 승인 근거를 적으십시오",
    "대중교통 환승체계 개선 명시이월 1,050,000천원: 의회 사전 승인 기록이 보고서에 없습니다",
)
def explicit_carry_without_approval(ctx: RuleContext) -> Iterable[Finding]:
    """명시이월 must be approved in advance; approval after the fiscal year → warning, not stated → info."""
    fy = ctx.settlement.meta.fiscal_year
    for adj in ctx.settlement.adjustments:
        if adj.kind != "이월" or adj.carry_kind != "명시이월" or is_carry_in(adj):
            continue
        approved = adj.approved_on
        if approved is not None and approved.year is not None and approved.year <= fy:
            continue
        late = approved is not None
        yield ctx.finding(
            "COMP006",
            adj.src,
            f"명시이월({adj.from_program or '?'} {adj.amount or 0:,}{adj.unit})"
            + (
                f"의 의회 승인({approved.text})이 회계연도 이후입니다"
                if late and approved is not None
                else "의 의회 사전 승인 근거가 보고서에 없습니다"
            ),
            f"명시이월 of {adj.from_program}: "
            + ("approved only after the fiscal year" if late else "no prior council approval stated"),
            severity=Severity.WARNING if late else None,
            stated=approved.text if approved else None,
            section=SECTION_IV,
            row=adj.from_program,
            field="의회 승인",
        )


# ----------------------------------------------------------------------------- revenue, rates, audits


@rule(
    "COMP007",
    "compliance",
    Severity.INFO,
    "징수결정액이 예산현액보다 많음",
    "Amount levied (징수결정액) exceeds the current budget (예산현액)",
    "허용되지만, 초과 사유를 주석으로 밝히는 것이 좋습니다",
    "임시적세외수입 징수결정액 6,675,456천원이 예산현액 6,658,456천원보다 17,000천원 많습니다",
)
def levied_above_budget(ctx: RuleContext) -> Iterable[Finding]:
    """징수결정 > 예산현액 is allowed but worth a note; reported at the lowest revenue line where it happens."""
    rev = ctx.settlement.revenue
    if rev is None:
        return

    def exceeds(line) -> bool:  # type: ignore[no-untyped-def]
        return line.levied is not None and line.levied > (line.budget_current or 0)

    explained = any("징수결정" in note for note in rev.notes)
    roots = [ln for ln in rev.lines if ln.kind != "total"]
    for line in rev.all_lines():
        kids = roots if line.kind == "total" and not line.children else line.children
        if not exceeds(line) or any(exceeds(child) for child in kids):
            continue
        over = (line.levied or 0) - (line.budget_current or 0)
        yield ctx.finding(
            "COMP007",
            line.src,
            f"{line.name} 징수결정액 {line.levied:,}{rev.unit}이(가) 예산현액 {line.budget_current or 0:,}{rev.unit}"
            f"보다 {over:,}{rev.unit} 많습니다" + (" (보고서에 사유 주석 있음)" if explained else ""),
            f"{line.name}: levied {line.levied:,} exceeds the current budget {line.budget_current or 0:,} by {over:,}",
            stated=f"{line.levied:,}",
            difference=f"{over:,}",
            section=SECTION_IV,
            table="세입결산",
            row=line.name,
            field="징수결정액",
        )


@rule(
    "COMP008",
    "compliance",
    Severity.INFO,
    "집행률이 매우 낮음",
    "Very low execution rate",
    "집행 부진 사유(이월·계획 변경 등)를 설명하십시오",
    "근현대생활사박물관 건립 집행률 41.2%(기준 60% 미만)",
)
def low_execution_rate(ctx: RuleContext) -> Iterable[Finding]:
    """집행률 computed from the amounts (집행액 ÷ 예산현액) below ``config.low_rate_threshold`` percent."""
    table = ctx.settlement.settlement
    if table is None:
        return
    threshold = ctx.config.low_rate_threshold
    for line in table.all_lines():
        if line.kind not in ("division", "unit", "detail") or not line.budget_current or line.spent is None:
            continue
        computed = rate(line.spent, line.budget_current)
        if computed is None or computed >= threshold:
            continue
        carried = f", 다음연도 이월 {line.carried_over:,}{table.unit}" if line.carried_over else ""
        yield ctx.finding(
            "COMP008",
            line.src,
            f"{line.name} 집행률 {format_rate(computed)}%가 기준 {threshold}%보다 낮습니다{carried}",
            f"{line.name}: execution rate {computed}% is below {threshold}%",
            stated=format_rate(computed),
            section=SECTION_I,
            table=table.title,
            row=line.name,
            field="집행률",
        )


@rule(
    "COMP009",
    "compliance",
    Severity.INFO,
    "시정권고사항이 아직 추진중",
    "Audit recommendation still in progress (추진중)",
    "다음 결산 때 후속 조치 결과를 보고해야 합니다",
    "시정권고 2(근현대생활사박물관 건립사업 집행률 제고)가 '추진중'입니다",
)
def recommendation_in_progress(ctx: RuleContext) -> Iterable[Finding]:
    """A 시정·권고 whose status is 추진중 needs follow-up in next year's report."""
    for audit in ctx.settlement.audits:
        status = audit.status or ""
        if "추진중" not in status.replace(" ", ""):
            continue
        yield ctx.finding(
            "COMP009",
            audit.src,
            f"시정권고 {audit.number}({audit.title})의 조치가 '{status}'입니다: 후속 조치 결과 보고가 필요합니다",
            f"Recommendation {audit.number} ({audit.title}) is still in progress: follow-up needed",
            stated=status,
            section=SECTION_III,
            row=audit.title,
            field="추진현황",
        )
