"""Cross-section rules (XREF): the same figure printed in two places must agree."""

from __future__ import annotations

import pytest
from tests.rules.conftest import CLEAN, at, edited, findings_of, load_fixture, mutate, show

from gyeolsan.model import Adjustment, ExpenditureSection, Severity

C = "clean_culture_2021.txt"

# (rule, fixture, edits, line, expected, severity)
CASES = [
    ("XREF001", C, [(372, "47,509,601천원", "47,509,602천원")], 372, "47509601", "warning"),
    ("XREF001", C, [(372, "47,509,601천원", "47,519,601천원")], 372, "47509601", "error"),
    ("XREF001", C, [(372, "95.4%", "95.5%")], 372, "95.4", "error"),
    ("XREF002", C, [(377, "11,659,491", "11,659,591")], 377, "11659491", "error"),
    ("XREF003", C, [(211, "2,717백만원", "2,700백만원")], 211, "2717", "error"),
    ("XREF003", C, [(211, "95.5%", "96.5%")], 211, "95.5", "error"),
    ("XREF007", C, [(387, "2건 125,300천원", "2건 125,000천원")], 387, "125300", "error"),
    ("XREF007", "sample", [], 979, "2", "warning"),
    ("XREF008", C, [(412, "246,705천원", "246,805천원")], 412, "246705", "warning"),
    ("XREF009", C, [(141, "1,932,000\t1,932,000", "1,933,000\t1,932,000")], 141, "1932000", "warning"),
    ("XREF010", "sample", [(694, "413백만원", "431백만원")], 692, "413", "error"),
]


@pytest.mark.parametrize(("rule", "name", "edits", "line", "expected", "severity"), CASES)
def test_rule_fires(rule, name, edits, line, expected, severity, sample_path):  # type: ignore[no-untyped-def]
    findings = findings_of(edited(name, *edits))
    hits = at(findings, rule, line)
    assert hits, f"{rule} did not fire at line {line}:\n" + show(findings)
    assert any(f.expected == expected and f.severity.value == severity for f in hits), show(hits)


XREF = [f"XREF{n:03d}" for n in range(1, 11)]


@pytest.mark.parametrize("name", CLEAN)
def test_silent_on_clean_fixtures(name):  # type: ignore[no-untyped-def]
    findings = findings_of(load_fixture(name), rules=XREF)
    assert not findings, show(findings)


# --- on the sample ---------------------------------------------------------------------------------------


def test_headline_spent_one_thousand_off_is_a_warning(sample_part1):  # type: ignore[no-untyped-def]
    f = at(sample_part1, "XREF001", 953)[0]
    assert (f.severity, f.stated, f.expected, f.difference) == (
        Severity.WARNING,
        "47025373",
        "47025374",
        "-1",
    )
    assert not at(sample_part1, "XREF001", 120) and not at(sample_part1, "XREF001", 923)


def test_card_with_wrong_spending_and_rate(sample_part1):  # type: ignore[no-untyped-def]
    hits = {f.location.field: f for f in at(sample_part1, "XREF003", 782)}
    assert (hits["집행액"].stated, hits["집행액"].expected) == ("57", "55")
    assert (hits["집행률"].stated, hits["집행률"].expected) == ("89", "86.1")
    assert "57/64" in hits["집행률"].message  # the rate follows the card's own wrong figure
    assert {r.line for r in hits["집행률"].related} == {160}


def test_card_covering_several_rows_and_carry_over(sample_part1):  # type: ignore[no-untyped-def]
    # 407 covers 130+132+137 (only its rate is off, from rounded figures); 692 includes 사고이월 413백만원.
    assert not [
        f for f in sample_part1 if f.rule.startswith("XREF") and f.location.line in (378, 407, 431, 692)
    ]


def test_transfer_count(sample_part1):  # type: ignore[no-untyped-def]
    f = at(sample_part1, "XREF007", 979)[0]
    assert (f.stated, f.expected) == ("5", "2")
    assert {981, 982} <= {r.line for r in f.related}


def test_undisclosed_increase_is_info_and_explained_transfers_are_silent(sample_part1):  # type: ignore[no-untyped-def]
    found = {f.location.line: f for f in sample_part1 if f.rule == "XREF006"}
    assert set(found) == {131, 144}
    assert all(f.severity is Severity.INFO for f in found.values())
    assert found[131].expected == "3259011" and found[144].expected == "1502199"


def test_next_year_previous_column(sample_part1):  # type: ignore[no-untyped-def]
    got = {f.location.line: (f.severity.value, f.expected) for f in sample_part1 if f.rule == "XREF009"}
    warnings = {line for line, (sev, _) in got.items() if sev == "warning"}
    assert warnings == {186, 188, 189, 194, 199, 202, 203}
    assert got[191] == ("info", "63500") and got[223] == (
        "info",
        "20900",
    )  # moved with the abolished division
    assert got[192] == ("info", "252426")  # a program of the abolished division
    assert got[196] == ("info", "513672")  # exactly the abolished division's 기본경비 (20,159)
    assert got[130][0] == "info"  # 희망서울 재능나눔 missing from the '19 table


def test_restatement_note_explains_the_differences(corrected):  # type: ignore[no-untyped-def]
    found = [f for f in findings_of(corrected, rules=["XREF009"])]
    assert not [f for f in found if f.severity is not Severity.INFO], show(found)
    assert {186, 188, 189, 194, 199, 202, 203} <= {f.location.line for f in found}


def test_subsidy_revenue_matches_the_program(sample, culture):  # type: ignore[no-untyped-def]
    assert not findings_of(sample, rules=["XREF005"]) and not findings_of(culture, rules=["XREF005"])
    changed = mutate(culture, 353, received=481360, uncollected=0)
    f = at(findings_of(changed, rules=["XREF005"]), "XREF005", 353)
    assert f and f[0].expected == "471360" and f[0].severity is Severity.WARNING
    assert {r.line for r in f[0].related} >= {103}


def test_subsidy_difference_named_in_the_unused_reasons_is_info(culture):  # type: ignore[no-untyped-def]
    changed = mutate(culture, 353, received=471360 + 14640)
    f = findings_of(changed, rules=["XREF005"])
    assert [x.severity for x in f] == [Severity.INFO], show(f)


def test_card_not_matched(culture):  # type: ignore[no-untyped-def]
    cards = list(culture.cards)
    cards[0] = cards[0].model_copy(update={"unit_programs": ("없는 사업",)})
    f = findings_of(culture.model_copy(update={"cards": tuple(cards)}), rules=["XREF004", "XREF003"])
    assert [(x.rule, x.severity) for x in f] == [("XREF004", Severity.WARNING)]
    assert "없는 사업" in f[0].message


def test_budget_difference_not_matching_the_transfer(culture):  # type: ignore[no-untyped-def]
    changed = mutate(culture, 401, amount=400000)
    f = at(findings_of(changed, rules=["XREF006"]), "XREF006", 112)
    assert f and f[0].severity is Severity.WARNING and f[0].expected == "3615600", show(f)


def test_previous_year_carry_over_explains_the_budget(build):  # type: ignore[no-untyped-def]
    mobility = load_fixture("clean_mobility_2019_carryover.txt")
    assert not findings_of(mobility, rules=["XREF006", "XREF007", "SUM008"])
    row = build.line("unit", "자전거도로 정비", 2760000, 3180000, 2874352, "90.4", at=86)
    s = build.settlement(settlement=build.table(row), expenditure=ExpenditureSection())
    assert [f.severity for f in findings_of(s, rules=["XREF006"])] == [Severity.INFO]  # undisclosed
    prev = Adjustment(
        kind="이월", reason="전년도('18년) 이월액 420,000천원(자전거도로 정비 사고이월 420,000천원)은 예산현액에 포함",
        amount=420000, src=build.src(268),
    )  # fmt: skip
    s2 = s.model_copy(update={"expenditure": ExpenditureSection(adjustments=(prev,))})
    assert not findings_of(s2, rules=["XREF006", "XREF007"])


def test_adjustment_summary_none_but_records(culture):  # type: ignore[no-untyped-def]
    changed = mutate(culture, 387, none=True, count=None, amount=None)
    f = at(findings_of(changed, rules=["XREF007"]), "XREF007", 387)
    assert f and f[0].severity is Severity.ERROR and f[0].expected == "2건"


def test_unused_reasons_exceeding_the_total_is_an_error(culture):  # type: ignore[no-untyped-def]
    changed = edited(C, (412, "246,705천원", "246,805천원"))
    # the total is the 【예산 집행잔액】 line when its amount was read, else the section IV total row
    f = [x for x in findings_of(changed, rules=["XREF008"]) if x.location.line in (376, 408)]
    assert f and f[0].severity is Severity.ERROR and f[0].expected == "2290069", show(f)


def test_card_spending_with_an_undisclosed_carry_over(build):  # type: ignore[no-untyped-def]
    row = build.line("unit", "A사업", 5000000, 5000000, 3000000, "60.0", at=12)
    carry = Adjustment(
        kind="이월", carry_kind="사고이월", from_program="A사업", amount=1000000, src=build.src(95)
    )
    card = build.card("A사업", ("A사업",), current=5000, spent=4000, rate="80.0", at=40, unit="백만원")
    s = build.settlement(
        settlement=build.table(row), cards=(card,), expenditure=ExpenditureSection(adjustments=(carry,))
    )
    f = findings_of(s, rules=["XREF003", "XREF010", "ROUND002", "ROUND003"])
    assert [(x.rule, x.severity) for x in f] == [("XREF010", Severity.WARNING)], show(f)
    noted = card.model_copy(
        update={
            "settlement": card.settlement.model_copy(
                update={"note": "사고이월액 1,000백만원 포함", "note_amount": 1000}
            )
        }
    )
    assert not findings_of(s.model_copy(update={"cards": (noted,)}), rules=["XREF003", "XREF010"])


def test_division_missing_from_section_iv(sample):  # type: ignore[no-untyped-def]
    table = sample.expenditure.table
    fewer = table.model_copy(update={"lines": tuple(ln for ln in table.lines if "신속" not in ln.name)})
    s = sample.model_copy(update={"expenditure": sample.expenditure.model_copy(update={"table": fewer})})
    f = [x for x in findings_of(s, rules=["XREF002"]) if "신속행정" in x.message]
    assert f and f[0].severity is Severity.WARNING and {r.line for r in f[0].related} == {165}


def test_a_wrong_rate_in_one_table_is_reported_once_at_that_row():  # type: ignore[no-untyped-def]
    findings = findings_of(edited(C, (378, "97.8", "97.9")))
    assert [(f.rule, f.location.line, f.expected) for f in findings] == [("RATE001", 378, "97.8")], show(
        findings
    )
