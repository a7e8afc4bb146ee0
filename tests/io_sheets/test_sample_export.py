"""The e호조-style export of the sample's department reproduces the sample's '18년 결산 table.

The fixture splits each 단위사업 of the sample into invented 세부사업 × 통계목 rows; aggregated back,
every 부서, 정책사업, 단위사업 and 기본경비 line must carry the sample's figures (the sample's printed
subtotals differ from the sums of their rows by ±1–2 천원 in six places — rounding of 원 amounts — so
subtotals are compared with the sums of the sample's own 단위사업 rows).
"""

from __future__ import annotations

from decimal import Decimal

from gyeolsan.model import BudgetLine
from gyeolsan.model.numbers import rate
from tests.io_sheets.conftest import assert_schema, by_rule, cli, fixture, imp, rules


def _leaves(line: BudgetLine) -> list[BudgetLine]:
    return [x for x in line.walk() if x.kind in ("unit", "basic")]


def test_same_structure_and_unit_figures_as_the_sample(sample_settlement, sample_export) -> None:
    want = sample_settlement.settlement
    got = sample_export.settlement.settlement
    assert got.key == "settlement" and got.unit == "천원" and got.title == "'18년 결산"
    meta = sample_export.settlement.meta
    assert (meta.fiscal_year, meta.office) == (
        2018,
        "시민소통기획관",
    )  # from "실국: 시민소통기획관" above the header
    assert [ln.kind for ln in got.lines] == [ln.kind for ln in want.lines]
    assert [d.name for d in got.divisions] == [d.name for d in want.divisions]
    for gd, wd in zip(got.divisions, want.divisions, strict=True):
        assert [(c.kind, c.name) for c in gd.children] == [(c.kind, c.name) for c in wd.children]
        for gl, wl in zip(_leaves(gd), _leaves(wd), strict=True):
            assert (gl.kind, gl.name) == (wl.kind, wl.name)
            assert (gl.budget, gl.budget_current, gl.spent) == (wl.budget, wl.budget_current, wl.spent), (
                gl.name
            )


def test_subtotals_are_sums_of_the_sample_rows(sample_settlement, sample_export) -> None:
    got = sample_export.settlement.settlement
    want = sample_settlement.settlement
    fields = ("budget", "budget_current", "spent")
    for gd, wd in zip(got.divisions, want.divisions, strict=True):
        for field in fields:
            assert getattr(gd, field) == sum(getattr(x, field) for x in _leaves(wd))
        for gp, wp in zip(gd.children, wd.children, strict=True):
            if gp.kind == "policy":
                for field in fields:
                    assert getattr(gp, field) == sum(getattr(u, field) for u in wp.children)
    total, business, basic = (got.root(k) for k in ("total", "business", "basic_total"))
    assert total is not None and business is not None and basic is not None
    assert (total.budget, total.budget_current, total.spent) == (47_810_398, 48_622_861, 47_025_374)
    assert (basic.budget, basic.spent) == (718_684, 657_258)  # the sample prints 657,259 (rounding)
    assert total.spent == business.spent + basic.spent
    assert total.rate == Decimal("96.7") == rate(total.spent, total.budget_current)


def test_detail_and_item_lines_below_units(sample_export) -> None:
    table = sample_export.settlement.settlement
    unit = next(x for x in table.all_lines() if x.kind == "unit" and x.name == "시민청 운영 및 확산")
    assert {c.kind for c in unit.children} == {"detail"}
    items = [i for d in unit.children for i in d.children]
    assert {i.kind for i in items} == {"item"}
    assert {i.code for i in items} >= {"20101", "40101"}
    assert sum(i.budget for i in items) == unit.budget == 3_259_011
    detail = unit.children[0]
    assert detail.code is not None and len(detail.code) == 16 and detail.code[-1].isalpha()
    basic = next(x for x in table.all_lines() if x.kind == "basic")
    assert basic.children and basic.children[0].kind == "detail"


def test_carried_over_and_unused(sample_export) -> None:
    table = sample_export.settlement.settlement
    brand = next(x for x in table.all_lines() if x.name == "서울시 도시브랜드 마케팅")
    assert brand.carried_accident == brand.carried_over == 413_109
    assert brand.budget_current == brand.spent + brand.carried_over + brand.unused
    summary = sample_export.settlement.expenditure.table
    assert summary.key == "expenditure_summary"
    assert [ln.name for ln in summary.lines[1:]] == [d.name for d in table.divisions]
    assert summary.lines[0].unused == 48_622_861 - 47_025_374 - 413_109  # the sample's 1,184,378 + rounding


def test_sources_point_at_cells(sample_export) -> None:
    table = sample_export.settlement.settlement
    assert table.lines[0].src.sheet == "세출집행현황" and table.lines[0].src.cell == "A5"  # the 합계 row
    division = table.divisions[0]
    assert division.src.cell and division.src.cell.startswith("D")  # its 소계 row
    unit = division.children[0].children[0]
    assert unit.src.cell == "E6"


def test_revenue_matches_the_sample_table(sample_settlement, sample_export) -> None:
    rev = sample_export.settlement.revenue
    assert rev is not None and rev.unit == "천원"
    total = rev.lines[0]
    assert (total.budget, total.levied, total.received, total.uncollected) == (
        7_913_080,
        7_888_822,
        7_888_730,
        92,
    )
    lines = {x.name: x for x in rev.all_lines()}
    for name in ("세외수입", "경상적세외수입", "임시적세외수입"):
        want = next(x for x in sample_settlement.revenue.all_lines() if x.name == name)
        assert (lines[name].budget, lines[name].levied, lines[name].received) == (
            want.budget,
            want.levied,
            want.received,
        )
    assert lines["국고보조금"].received == 989_470
    assert lines["기타사용료"].code == "21208"


def test_adjustments_ledger(sample_export) -> None:
    adj = sample_export.settlement.adjustments
    assert [a.kind for a in adj] == ["전용", "이체", "이체", "이월"]
    jeonyong = adj[0]
    assert (jeonyong.from_item, jeonyong.to_item, jeonyong.amount) == ("사무관리비", "시설비", 53_660)
    assert jeonyong.date is not None and (jeonyong.date.year, jeonyong.date.month) == (2018, 2)
    assert jeonyong.reported_on is not None and jeonyong.reported_on.month == 11
    assert adj[3].carry_kind == "사고이월" and adj[3].amount == 413_109
    assert adj[1].to_division == "뉴미디어담당관" and adj[1].src.cell == "A6"


def test_findings_clean_and_valid(sample_export) -> None:
    found = sample_export.findings
    assert not sample_export.fatal
    assert rules(found) <= {"IMP132", "IMP114", "IMP150"}
    assert len(by_rule(found, "IMP132")) == 3  # one profile note per sheet
    assert_schema(found)


def test_won_csv_in_cp949_gives_the_same_figures(sample_export) -> None:
    won = imp("ehojo_sotong_2018_won_cp949.csv")
    assert won.settlement.settlement.unit == "원"
    a = [
        (x.name, x.budget, x.budget_current, x.spent)
        for x in sample_export.settlement.settlement.all_lines()
        if x.kind != "item"
    ]
    b = [
        (x.name, x.budget // 1000, x.budget_current // 1000, x.spent // 1000)
        for x in won.settlement.settlement.all_lines()
        if x.kind != "item"
    ]
    assert a == b
    assert won.settlement.meta.government == "서울특별시"
    assert not won.fatal


def test_cli_import_writes_the_settlement(tmp_path) -> None:
    out = tmp_path / "export.json"
    result = cli("import", str(fixture("ehojo_sotong_2018.xlsx")), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert "ehojo_expenditure" in result.stderr  # the profile chosen is said
    from gyeolsan.io.canonical import load

    s = load(out)
    assert s.settlement is not None and s.settlement.lines[0].budget == 47_810_398
