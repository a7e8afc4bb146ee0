"""Arithmetic rules (SUM, RATE): each fires on a modified fixture or a hand-built settlement and stays
silent on the clean fixtures; the SQL (DuckDB) identities agree with the Python ones."""

from __future__ import annotations

import tomllib
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.paths import FIXTURES
from tests.rules.conftest import (
    CLEAN,
    Build,
    at,
    edited,
    findings_of,
    load_fixture,
    mutate,
    serious,
    show,
)

from gyeolsan.model import Headcount, Severity, StaffingRow
from gyeolsan.model.numbers import rate as exec_rate
from gyeolsan.rules.config import RuleConfig
from gyeolsan.rules.sql import run_sql

C = "clean_culture_2021.txt"

# (rule, fixture, edits, line of the finding, expected value, severity)
CASES = [
    # a 단위사업's 집행액 +10,000: its own 집행률 and card contradict it → the child is blamed, not the subtotal
    ("SUM001", C, [(101, "2,716,842", "2,726,842")], 101, "2716842", "error"),
    # the 정책사업 subtotal itself wrong: reported once, at the subtotal
    ("SUM001", C, [(100, "5,131,945", "5,131,845")], 100, "5131945", "error"),
    ("SUM002", C, [(97, "47,300,966", "47,310,966")], 97, "47300966", "error"),
    ("SUM003", C, [(138, "11,614,620", "11,615,620")], 138, "11614620", "error"),
    ("SUM004", C, [(29, "34\t33", "35\t33")], 29, "34", "error"),
    ("SUM005", C, [(350, "1,522,886", "1,522,986")], 350, "1522886", "error"),
    ("SUM006", C, [(351, "1,672", "1,772")], 351, "1672", "error"),
    ("SUM007", C, [(140, "274,700", "274,000")], 140, "274700", "error"),
    ("SUM008", C, [(377, "543,549", "543,649")], 377, "543549", "error"),
    ("RATE001", C, [(101, "95.5", "95.6")], 101, "95.5", "error"),
    ("RATE002", C, [(140, "9.65", "9.56")], 140, "9.65", "error"),
    ("RATE002", C, [(147, "△100", "△10")], 147, "-100", "error"),
    ("RATE003", C, [(410, "4.6%", "4.7%")], 410, "4.6", "error"),
]


@pytest.mark.parametrize(("rule", "name", "edits", "line", "expected", "severity"), CASES)
def test_rule_fires(rule, name, edits, line, expected, severity):  # type: ignore[no-untyped-def]
    findings = findings_of(edited(name, *edits))
    hits = at(findings, rule, line)
    assert hits, f"{rule} did not fire at line {line}:\n" + show(findings)
    assert any(f.expected == expected and f.severity.value == severity for f in hits), show(hits)


@pytest.mark.parametrize("name", CLEAN)
def test_silent_on_clean_fixtures(name):  # type: ignore[no-untyped-def]
    findings = findings_of(load_fixture(name), rules=[r for r in _arithmetic_rules()])
    assert not findings, show(findings)


def _arithmetic_rules() -> list[str]:
    return sorted({c[0] for c in CASES})


def test_a_subtotal_error_is_reported_once(culture):  # type: ignore[no-untyped-def]
    s = edited(C, (100, "5,131,945", "5,131,845"))
    sums = [f for f in findings_of(s) if f.rule.startswith("SUM")]
    assert len(sums) == 1, show(sums)
    f = sums[0]
    assert (f.stated, f.expected, f.difference) == ("5131845", "5131945", "-100")
    assert {r.line for r in f.related} >= {101, 102, 103, 104}  # the children it was compared with


def test_blamed_child_names_the_subtotal_in_related():  # type: ignore[no-untyped-def]
    f = at(findings_of(edited(C, (101, "2,716,842", "2,726,842"))), "SUM001", 101)[0]
    assert 100 in {r.line for r in f.related}
    assert "생활문화 활성화 지원" in f.message and "시민 문화향유 기회 확대" in f.message
    assert f.message_en and "should be" in f.message_en


def test_errors_small_fixture_gives_exactly_its_five_mistakes():  # type: ignore[no-untyped-def]
    """The fixture's documented mistakes, at their lines, with their expected values, and nothing else."""
    s = load_fixture("errors_small_2020.txt")
    expected = tomllib.loads((FIXTURES / "errors_small_2020.expected.toml").read_text(encoding="utf-8"))[
        "error"
    ]
    found = serious(findings_of(s))
    assert len(found) == 5, show(found)
    for item in expected:
        hits = [f for f in found if f.location.line == item["line"]]
        assert hits, f"nothing at line {item['line']}:\n{show(found)}"
        wanted = item["expected"].replace(",", "")
        assert any((f.expected or "").replace(",", "").removesuffix("억원") == wanted for f in hits), show(
            hits
        )


def test_within_tolerance_is_left_to_rounding(culture):  # type: ignore[no-untyped-def]
    s = edited(C, (101, "2,716,842", "2,716,843"))
    findings = findings_of(s)
    assert not [f for f in findings if f.rule.startswith("SUM")], show(findings)
    assert at(findings, "ROUND001", 100)
    wider = findings_of(s, RuleConfig(rounding_tolerance=0))
    assert at(wider, "SUM001", 100) or at(wider, "SUM001", 101), show(wider)


def test_staffing_total_row_and_stated_line(build):  # type: ignore[no-untyped-def]
    from gyeolsan.model import StaffingTable

    rows = (
        StaffingRow(name="계", is_total=True, total=Headcount(quota=10, current=9),
                    by_series=(Headcount(quota=10, current=9),), src=build.src(28)),
        StaffingRow(name="A과", total=Headcount(quota=6, current=5), by_series=(Headcount(quota=6, current=5),),
                    src=build.src(29)),
        StaffingRow(name="B과", total=Headcount(quota=5, current=4), by_series=(Headcount(quota=5, current=4),),
                    src=build.src(30)),
    )  # fmt: skip
    table = StaffingTable(series=("행정",), rows=rows, stated_quota=12, stated_current=9, src=build.src(26))
    findings = findings_of(build.settlement(staffing=table), rules=["SUM004"])
    quota_total = [f for f in findings if f.location.line == 28 and f.location.field == "정원"]
    assert quota_total and quota_total[0].expected == "11"
    stated = [f for f in findings if f.location.line == 26]
    assert stated and stated[0].stated == "12" and stated[0].expected == "10"


def test_rate_double_rounding_is_named(sample_part1):  # type: ignore[no-untyped-def]
    for line in (139, 959):
        f = at(sample_part1, "RATE001", line)[0]
        assert (f.stated, f.expected, f.difference, f.severity) == ("96.3", "96.2", "0.1", Severity.ERROR)
        assert "이중 반올림" in f.message and "96.245" in f.message
    assert 959 in {r.line for r in at(sample_part1, "RATE001", 139)[0].related}


def test_rate_including_carry_over_is_a_warning_unless_said(build):  # type: ignore[no-untyped-def]
    from gyeolsan.model import Adjustment, ExpenditureSection

    unit = build.line("unit", "A사업", 1000, 1000, 500, "80.0", at=12)  # (500 + 300) / 1000
    division = build.line("division", "A과", 1000, 1000, 500, "50.0", at=11, children=(unit,))
    carry = Adjustment(
        kind="이월", carry_kind="명시이월", from_program="A사업", amount=300, src=build.src(90)
    )
    s = build.settlement(
        settlement=build.table(division), expenditure=ExpenditureSection(adjustments=(carry,))
    )
    f = at(findings_of(s, rules=["RATE001"]), "RATE001", 12)
    assert f and f[0].severity is Severity.WARNING and "이월" in f[0].message
    said = s.model_copy(
        update={"settlement": s.settlement.model_copy(update={"notes": ("※ 집행률은 이월액 포함",)})}
    )
    assert not findings_of(said, rules=["RATE001"])


def test_change_rate_conventions(build):  # type: ignore[no-untyped-def]
    rows = (
        build.change("unit", "신규", None, 500, 500, "100", at=10),
        build.change("unit", "폐지", 300, None, -300, "△100", at=11),
        build.change("unit", "동결", 200, 200, None, "-", at=12),
        build.change("unit", "감소", 1000, 900, -100, "△10.00", at=13),
    )
    s = build.settlement(next_year=build.next_year(*rows))
    assert not findings_of(s, rules=["RATE002", "SUM007"]), "the sample's conventions are accepted"
    sunjeung = findings_of(s, RuleConfig(new_item_rate="순증"), rules=["RATE002"])
    assert [(f.location.line, f.severity.value, f.expected) for f in sunjeung] == [(10, "warning", "순증")]
    s2 = build.settlement(
        next_year=build.next_year(build.change("unit", "신규", None, 500, 500, "순증", at=10))
    )
    assert not findings_of(s2, RuleConfig(new_item_rate="순증"), rules=["RATE002"])
    assert findings_of(s2, rules=["RATE002"]), "printed 순증 where the office prints 100"


def test_share_uses_the_amounts_around_it(sample):  # type: ignore[no-untyped-def]
    assert not findings_of(sample, rules=["RATE003"])


# --- SQL ------------------------------------------------------------------------------------------------

SQL_RULES = {"SUM001", "SUM002", "RATE001", "ROUND001", "ROUND005"}


def _python_side(s) -> list:  # type: ignore[no-untyped-def]
    tables = {t.title for t in (s.settlement, s.expenditure.table if s.expenditure else None) if t}
    return [f for f in findings_of(s, rules=SQL_RULES) if f.location.table in tables]


@pytest.mark.parametrize("which", ["sample", "errors_small_2020.txt", C])
def test_sql_and_python_agree(which, sample):  # type: ignore[no-untyped-def]
    s = sample if which == "sample" else load_fixture(which)
    sql = run_sql(s)
    python = _python_side(s)
    key = lambda f: (f.rule, f.location.line, f.location.field, f.stated, f.expected, f.severity)  # noqa: E731
    assert sorted(map(key, sql)) == sorted(map(key, python))
    if which != C:
        assert sql, "the sample and errors_small do have subtotal/rate findings"


def test_sql_finds_a_subtotal_error_the_same_way():  # type: ignore[no-untyped-def]
    s = edited(C, (97, "47,300,966", "47,310,966"))
    assert [(f.rule, f.location.line, f.expected) for f in run_sql(s) if f.rule == "SUM002"] == [
        ("SUM002", 97, "47300966")
    ]


def test_sql_texts_are_in_the_catalogue():  # type: ignore[no-untyped-def]
    from gyeolsan.rules.catalogue import REGISTRY

    assert all(REGISTRY[r].sql for r in ("SUM001", "SUM002", "RATE001"))


def test_mutate_helper_changes_one_row(culture):  # type: ignore[no-untyped-def]
    s = mutate(culture, 101, spent=1)
    rows = {ln.src.line: ln for ln in s.settlement.all_lines()}
    before = {ln.src.line: ln for ln in culture.settlement.all_lines()}
    assert rows[101].spent == 1
    assert all(rows[n] == before[n] for n in rows if n != 101 and not rows[n].children)


def test_rates_are_decimal_and_half_up():  # type: ignore[no-untyped-def]
    from gyeolsan.rules.checks import reachable

    assert reachable(1998, 4000, Decimal("49.9"), 1)  # 1,997.6 / 4,000.4 = 49.935 → 49.9
    assert not reachable(5623262, 5842649, Decimal("96.3"), 1)


# --- property: consistent tables are silent, one wrong cell is found ----------------------------------------


@st.composite
def budget_tables(draw):  # type: ignore[no-untyped-def]
    """A settlement table whose subtotals and rates are all right: (settlement, unit lines)."""
    counter = iter(range(100, 10_000))

    def row(kind, name, budget, current, spent, children=()):  # type: ignore[no-untyped-def]
        return Build.line(kind, name, budget, current, spent, str(exec_rate(spent, current, 1)) if current else None,
                          at=next(counter), children=children)  # fmt: skip

    amount = st.integers(min_value=1, max_value=50_000_000)
    divisions, units_all = [], []
    for d in range(draw(st.integers(1, 3))):
        policies = []
        for p in range(draw(st.integers(1, 2))):
            units = []
            for u in range(draw(st.integers(1, 4))):
                current = draw(amount)
                spent = draw(st.integers(0, current))
                units.append(row("unit", f"사업{d}{p}{u}", current, current, spent))
            units_all += units
            policies.append(
                row(
                    "policy",
                    f"정책{d}{p}",
                    *(sum(getattr(x, f) for x in units) for f in ("budget", "budget_current", "spent")),
                    children=tuple(units),
                )
            )
        basic_current = draw(amount)
        basic = row(
            "basic",
            "기본경비(행정운영경비)",
            basic_current,
            basic_current,
            draw(st.integers(0, basic_current)),
        )
        kids = (*policies, basic)
        divisions.append(
            row(
                "division",
                f"부서{d}",
                *(sum(getattr(x, f) for x in kids) for f in ("budget", "budget_current", "spent")),
                children=kids,
            )
        )

    def total_of(rows, kind, name):  # type: ignore[no-untyped-def]
        return row(
            kind, name, *(sum(getattr(x, f) for x in rows) for f in ("budget", "budget_current", "spent"))
        )

    business = total_of(
        [p for d in divisions for p in d.children if p.kind == "policy"], "business", "사업예산"
    )
    basic_total = total_of(
        [p for d in divisions for p in d.children if p.kind == "basic"], "basic_total", "기본경비"
    )
    total = total_of(divisions, "total", "합 계")
    table = Build.table(total, business, basic_total, *divisions)
    return Build.settlement(settlement=table), units_all


RULES = ["SUM001", "SUM002", "RATE001"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(budget_tables(), st.data())
def test_consistent_tables_are_silent_and_a_wrong_cell_is_found(case, data):  # type: ignore[no-untyped-def]
    s, units = case
    assert not findings_of(s, rules=RULES)
    unit = data.draw(st.sampled_from(units))
    delta = data.draw(st.integers(3, 1_000_000))
    broken = mutate(s, unit.src.line, spent=unit.spent + delta)
    found = [f for f in findings_of(broken, rules=RULES) if f.rule == "SUM001"]
    assert found, "a subtotal no longer adds up"
    assert any(unit.src.line in {f.location.line, *(r.line for r in f.related)} for f in found)


def test_unused_balance_uses_printed_carry_columns(build):  # type: ignore[no-untyped-def]
    """집행잔액 = 예산현액 − 집행액 − (명시 + 사고 + 계속비 이월) when the table prints those columns."""
    row = build.line(
        "division",
        "A과",
        1000,
        1000,
        600,
        "60.0",
        at=20,
        carried_explicit=100,
        carried_accident=50,
        unused=250,
    )
    total = build.line(
        "total", "총계", 1000, 1000, 600, "60.0", at=19, carried_explicit=100, carried_accident=50, unused=250
    )
    s = build.settlement(settlement=build.table(total, row))
    assert not findings_of(s, rules=["SUM008"])
    wrong = mutate(s, 20, unused=400)
    assert [(f.location.line, f.expected) for f in findings_of(wrong, rules=["SUM008"])] == [(20, "250")]
