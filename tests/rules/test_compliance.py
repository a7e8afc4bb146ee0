"""COMP rules: 전용 reports, 사고이월 carried again, 이용 and 명시이월 approvals, revenue, low rates, 추진중."""

from __future__ import annotations

import pytest
from tests.paths import FIXTURES
from tests.rules._helpers import (
    audit,
    bullet,
    card,
    date,
    parse_text,
    read_text,
    rule_findings,
    settlement,
    src,
    transfer,
)

from gyeolsan.io.load import load_any
from gyeolsan.model import (
    Adjustment,
    BudgetLine,
    BudgetTable,
    ExpenditureSection,
    RevenueLine,
    RevenueSection,
)
from gyeolsan.rules.compliance import report_due, transfer_dates
from gyeolsan.rules.config import RuleConfig


def _with(*adjustments: Adjustment, **kw: object):  # type: ignore[no-untyped-def]
    return settlement(expenditure=ExpenditureSection(adjustments=adjustments), **kw)


# ----------------------------------------------------------------------------- COMP001 / COMP002


def test_report_due_is_months_after_the_quarter():
    assert report_due(date("'18. 2월"), 3) == (2018, 6, 2)
    assert report_due(date("'21. 8. 23."), 3) == (2021, 12, 4)
    assert report_due(date("'21. 11. 2."), 3) == (2022, 3, 1)
    assert report_due(date("'21. 11. 2."), 0) == (2021, 12, 4)


def test_dates_read_from_the_record_text_when_the_model_has_none():
    text = "근현대생활사박물관 건립 : 사무관리비 → 시설비 85,300천원 (전용일 '21. 4. 12., 2분기 전용분 '21. 7. 6. 문화체육관광위원회 보고)"
    decided, reported = transfer_dates(transfer(390, None, None, text))
    assert (decided.text, reported.text) == ("'21. 4. 12.", "'21. 7. 6.")  # type: ignore[union-attr]


def test_late_report_is_a_warning():
    [f] = rule_findings(_with(transfer(973, "'18. 2월", "'18. 11월")), "COMP001")
    assert f.severity.value == "warning" and f.location.line == 973
    assert f.stated == "'18. 11월" and f.expected.startswith("'18. 2분기 이내")  # type: ignore[union-attr]
    assert "서울특별시의회 기본 조례 제55조의3" in f.message


def test_report_in_time_is_silent():
    assert rule_findings(_with(transfer(973, "'18. 2월", "'18. 6월")), "COMP001") == []


def test_the_governing_rule_and_deadline_are_configurable():
    cfg = RuleConfig(transfer_report_rule="부산광역시의회 기본 조례", transfer_report_months=6)
    assert rule_findings(_with(transfer(973, "'18. 2월", "'18. 9월")), "COMP001", cfg) == []
    [f] = rule_findings(_with(transfer(973, "'18. 2월", "'18. 11월")), "COMP001", cfg)
    assert "부산광역시의회 기본 조례" in f.message


def test_late_report_disclosed_in_a_resolved_recommendation_is_info_at_the_audit_line():
    rec = audit(
        910,
        "예산 전용 의회 보고 미이행",
        ["「시민청 운영 및 확산 예산 전용」 1건, '18. 11월 보고 (전용일 '18. 2월)"],
        ["▶ 추진완료 ('18. 11월 상임 위원회 보고 )"],
    )
    [f] = rule_findings(_with(transfer(973, "'18. 2월", "'18. 11월"), audits=(rec,)), "COMP001")
    assert (f.severity.value, f.location.line) == ("info", 910)
    assert 973 in [r.line for r in f.related]


def test_missing_report_date_is_a_warning():
    [f] = rule_findings(_with(transfer(973, "'18. 2월", None)), "COMP002")
    assert f.severity.value == "warning" and f.location.line == 973
    assert rule_findings(_with(transfer(973, "'18. 2월", "'18. 5월")), "COMP002") == []


def test_recommendation_done_but_other_transfers_late_again():
    rec = audit(
        910,
        "예산 전용 의회 보고 미이행",
        ["예산 전용을 분기별로 상임위원회에 보고하지 않음 (전용일 '17. 3월, '17. 12월 보고)"],
        ["▶ 추진완료 ('18. 1월 상임위원회 보고)"],
    )
    late = transfer(973, "'18. 5월", "'18. 12월", program="다른 사업", amount=1000)
    [f] = rule_findings(_with(late, audits=(rec,)), "COMP003")
    assert f.location.line == 910 and [r.line for r in f.related] == [973]
    in_time = transfer(973, "'18. 5월", "'18. 7월", program="다른 사업", amount=1000)
    assert rule_findings(_with(in_time, audits=(rec,)), "COMP003") == []
    assert rule_findings(_with(late), "COMP003") == []  # no such recommendation


# ----------------------------------------------------------------------------- COMP004 사고이월


def _mobility(note_program: str = "자전거도로 정비", card_mark: str = "'19년 사고이월분") -> str:
    text = read_text(FIXTURES / "clean_mobility_2019_carryover.txt")
    text = text.replace("자전거도로 정비 사고이월 420,000천원", f"{note_program} 사고이월 420,000천원")
    return text.replace("('19년 사고이월분)", f"({card_mark})")


def test_accident_carry_of_a_program_carried_in_by_accident_carry():
    found = rule_findings(parse_text(_mobility(note_program="공공자전거 확충")).settlement, "COMP004")
    assert [(f.location.line, f.location.row) for f in found] == [(267, "공공자전거 확충")]
    assert [r.line for r in found[0].related] == [268]


def test_accident_carry_named_by_a_card_note():
    found = rule_findings(parse_text(_mobility(card_mark="'18년 사고이월분")).settlement, "COMP004")
    assert [(f.location.line, [r.line for r in f.related]) for f in found] == [(267, [188])]


def test_accident_carry_of_other_programs_is_silent():
    assert rule_findings(parse_text(_mobility()).settlement, "COMP004") == []


# ----------------------------------------------------------------------------- COMP005 / COMP006


def _use(approved: str | None, text: str = "교통수요관리 추진 → 공공자전거 확충 : 350,000천원") -> Adjustment:
    return Adjustment(
        kind="이용",
        from_program="교통수요관리 추진",
        to_program="공공자전거 확충",
        amount=350000,
        approved_on=date(approved) if approved else None,
        reason=text,
        src=src(248, text),
    )


def test_use_without_approval():
    [f] = rule_findings(_with(_use(None)), "COMP005")
    assert f.location.line == 248 and f.severity.value == "warning"
    assert rule_findings(_with(_use("'19. 9. 20.")), "COMP005") == []
    assert rule_findings(_with(_use(None, "… 350,000천원 (시의회 승인, 제289회 임시회)")), "COMP005") == []


def _explicit(approved: str | None) -> Adjustment:
    return Adjustment(
        kind="이월",
        carry_kind="명시이월",
        from_program="대중교통 환승체계 개선",
        amount=1050000,
        approved_on=date(approved) if approved else None,
        src=src(266, "명시이월 하였습니다.(시설비 1,050,000천원)"),
    )


def test_explicit_carry_approval():
    [info] = rule_findings(_with(_explicit(None), fiscal_year=2019), "COMP006")
    assert info.severity.value == "info"
    [late] = rule_findings(_with(_explicit("'20. 2. 3."), fiscal_year=2019), "COMP006")
    assert late.severity.value == "warning"
    assert rule_findings(_with(_explicit("'19. 12. 13."), fiscal_year=2019), "COMP006") == []


# ----------------------------------------------------------------------------- COMP007 / COMP008 / COMP009


def _revenue(levied: int, budget: int) -> RevenueSection:
    item = RevenueLine(kind="item", name="임시적세외수입", budget_current=budget, levied=levied, src=src(932))
    cat = RevenueLine(
        kind="category", name="세외수입", budget_current=budget, levied=levied, children=(item,), src=src(930)
    )
    total = RevenueLine(kind="total", name="합계", budget_current=budget, levied=levied, src=src(929))
    return RevenueSection(lines=(total, cat))


def test_levied_above_budget_at_the_lowest_line_only():
    [f] = rule_findings(settlement(revenue=_revenue(6_675_456, 6_658_456)), "COMP007")
    assert (f.location.line, f.difference, f.severity.value) == (932, "17,000", "info")
    assert rule_findings(settlement(revenue=_revenue(6_658_456, 6_658_456)), "COMP007") == []


def _table(spent: int) -> BudgetTable:
    unit = BudgetLine(
        kind="unit", name="근현대생활사박물관 건립", budget_current=1000, spent=spent, src=src(123)
    )
    return BudgetTable(key="settlement", title="'21년 결산", lines=(unit,))


def test_low_execution_rate():
    [f] = rule_findings(settlement(settlement=_table(412)), "COMP008")
    assert (f.location.line, f.stated) == (123, "41.2")
    assert rule_findings(settlement(settlement=_table(600)), "COMP008") == []
    assert (
        len(rule_findings(settlement(settlement=_table(600)), "COMP008", RuleConfig(low_rate_threshold=70)))
        == 1
    )


def test_recommendation_in_progress():
    s = settlement(audits=(audit(335, "집행률 제고", ["권고"], ["▶ 추진중"], status="추진중"),))
    [f] = rule_findings(s, "COMP009")
    assert f.location.line == 335 and f.severity.value == "info"
    done = settlement(audits=(audit(335, "집행률 제고", ["권고"], ["▶ 추진완료"]),))
    assert rule_findings(done, "COMP009") == []


# ----------------------------------------------------------------------------- real reports

COMP = [f"COMP00{i}" for i in range(1, 10)]


def test_sample_compliance_findings(sample_path):
    s = load_any(sample_path).settlement
    found = {(f.rule, f.location.line, f.severity.value) for rid in COMP for f in rule_findings(s, rid)}
    assert found == {("COMP001", 910, "info"), ("COMP007", 932, "info")}


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("clean_*.txt")))
def test_clean_fixtures_give_no_compliance_warning(name):
    s = load_any(FIXTURES / name).settlement
    bad = [f for rid in COMP for f in rule_findings(s, rid) if f.severity.value != "info"]
    assert bad == []


def test_card_notes_are_read_from_bullets():
    s = settlement(
        cards=(card(bullet(188, "납품 지연 물량('18년 사고이월분) 조기 도입"), title="공공자전거 확충"),)
    )
    assert rule_findings(s, "COMP004") == []  # no carry-over record: nothing to compare
