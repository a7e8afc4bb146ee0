"""Rounding rules (ROUND): a rounding artefact is told from a genuine error."""

from __future__ import annotations

import pytest
from tests.rules.conftest import CLEAN, at, edited, findings_of, load_fixture, show

from gyeolsan.model import Severity
from gyeolsan.rules.config import RuleConfig

C = "clean_culture_2021.txt"

# (rule, fixture, edits, line, expected, severity)
CASES = [
    ("ROUND001", C, [(101, "2,716,842", "2,716,843")], 100, "5131946", "info"),
    ("ROUND002", "sample", [], 319, "97.0", "warning"),
    ("ROUND003", C, [(211, "2,717백만원", "2,716백만원")], 211, "2717", "error"),
    ("ROUND004", C, [(93, "498억원", "497억원")], 93, "498억원", "error"),
    ("ROUND004", C, [(129, "429억 25백만원", "429억 24백만원")], 129, "429억 25백만원", "error"),
]


@pytest.mark.parametrize(("rule", "name", "edits", "line", "expected", "severity"), CASES)
def test_rule_fires(rule, name, edits, line, expected, severity, sample_path):  # type: ignore[no-untyped-def]
    findings = findings_of(edited(name, *edits))
    hits = at(findings, rule, line)
    assert hits, f"{rule} did not fire at line {line}:\n" + show(findings)
    assert any(f.expected == expected and f.severity.value == severity for f in hits), show(hits)


@pytest.mark.parametrize("name", CLEAN)
def test_silent_on_clean_fixtures(name):  # type: ignore[no-untyped-def]
    rules = ["ROUND001", "ROUND002", "ROUND003", "ROUND004", "ROUND005"]
    findings = findings_of(load_fixture(name), rules=rules)
    assert not findings, show(findings)


def test_subtotal_rounding_on_the_sample_is_info(sample_part1):  # type: ignore[no-untyped-def]
    notes = {f.location.line: f for f in sample_part1 if f.rule == "ROUND001"}
    assert set(notes) == {124, 125, 139, 140, 152, 166}
    assert all(f.severity is Severity.INFO for f in notes.values())
    assert (notes[124].stated, notes[124].expected, notes[124].difference) == ("46368115", "46368117", "-2")
    assert set(r.line for r in notes[139].related) == {140, 150}


def test_tolerance_is_configurable(sample):  # type: ignore[no-untyped-def]
    strict = findings_of(sample, RuleConfig(rounding_tolerance=0), rules=["ROUND001", "SUM001", "SUM002"])
    assert not [f for f in strict if f.rule == "ROUND001"]
    assert {f.location.line for f in strict if f.severity is Severity.ERROR} >= {124, 125, 139, 140, 152, 166}


def test_card_rate_from_rounded_figures_names_the_basis(sample_part1):  # type: ignore[no-untyped-def]
    f = at(sample_part1, "ROUND002", 319)[0]
    assert "3,145/3,240" in f.message and "97.0%" in f.message and "백만원 단위로 반올림" in f.message
    assert (f.stated, f.expected, f.difference) == ("97.1", "97.0", "0.1")
    assert {r.line for r in f.related} == {129}
    assert {f.location.line for f in sample_part1 if f.rule == "ROUND002"} == {
        319,
        407,
        616,
        660,
        811,
        880,
        905,
    }


def test_card_rate_without_decimal(sample_part1):  # type: ignore[no-untyped-def]
    f = at(sample_part1, "ROUND002", 811)[0]
    assert (f.stated, f.expected) == ("95", "94.9") and "소수 첫째자리" in f.message


def test_card_100_percent_is_fine(sample_part1):  # type: ignore[no-untyped-def]
    assert not [f for f in sample_part1 if f.location.line == 554]


def test_card_amount_truncated_is_an_error(sample_part1):  # type: ignore[no-untyped-def]
    f = at(sample_part1, "ROUND003", 524)[0]
    assert (f.stated, f.expected, f.difference, f.severity) == ("1605", "1604", "1", Severity.ERROR)


def test_card_amount_from_rows_rounded_one_by_one_is_a_warning(build):  # type: ignore[no-untyped-def]
    a = build.line("unit", "A", 1400, 1400, 1400, "100.0", at=11)
    b = build.line("unit", "B", 1400, 1400, 1400, "100.0", at=12)
    card = build.card("A와 B", ("A", "B"), current=2, spent=2, rate="100", at=50, unit="백만원")
    s = build.settlement(settlement=build.table(a, b), cards=(card,))
    findings = findings_of(s, rules=["ROUND003", "XREF003"])
    assert [(f.rule, f.severity, f.expected) for f in findings] == [
        ("ROUND003", Severity.WARNING, "3"),
        ("ROUND003", Severity.WARNING, "3"),
    ], show(findings)


def test_headline_eok_on_the_sample(sample_part1):  # type: ignore[no-untyped-def]
    f = at(sample_part1, "ROUND004", 174)[0]
    assert (f.stated, f.expected, f.difference) == ("554억 38백만원", "544억 38백만원", "10억원")
    assert {r.line for r in f.related} == {180}
    assert not at(sample_part1, "ROUND004", 120), "486억원 / 470억원 are right"


def test_rate_reachable_from_won_amounts_is_info(build):  # type: ignore[no-untyped-def]
    row = build.line("unit", "시정홍보 지원", 4000, 4000, 1998, "49.9", at=12)
    findings = findings_of(build.settlement(settlement=build.table(row)), rules=["RATE001", "ROUND005"])
    assert [(f.rule, f.severity, f.expected) for f in findings] == [("ROUND005", Severity.INFO, "50.0")]
    wrong = build.line("unit", "시정홍보 지원", 4000, 4000, 1998, "49.8", at=12)
    findings = findings_of(build.settlement(settlement=build.table(wrong)), rules=["RATE001", "ROUND005"])
    assert [f.rule for f in findings] == ["RATE001"]


def test_change_rate_reachable_is_info(build):  # type: ignore[no-untyped-def]
    # (1,000 − 800) ÷ 800 = 25.00%; the unrounded amounts give 999.5/800.5 − 1 = 24.86% … 1,000.5/799.5 − 1
    # = 25.14%, so a printed 24.95 is reachable (info) and 26.00 is not (error).
    ok = build.change("unit", "A", 800, 1000, 200, "24.95", at=10)
    bad = build.change("unit", "B", 800, 1000, 200, "26.00", at=11)
    findings = findings_of(
        build.settlement(next_year=build.next_year(ok, bad)), rules=["RATE002", "ROUND005"]
    )
    assert sorted((f.location.line, f.rule) for f in findings) == [(10, "ROUND005"), (11, "RATE002")]
