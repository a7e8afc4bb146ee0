"""Code lists by year; 지방재정365 (JSON, CSV) and 지방재정연감 (wide tables); DuckDB."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from gyeolsan.io.errors import InputError
from gyeolsan.io.sheets import codes
from gyeolsan.io.sheets.duck import to_duckdb
from tests.io_sheets.conftest import assert_schema, by_rule, fixture, imp
from tests.paths import SHARED

CODES_CSV = SHARED / "data" / "local_finance_codes_2008_2017.csv"


def test_shipped_code_lists_are_derived_from_the_public_source() -> None:
    if not CODES_CSV.exists():
        pytest.skip("shared code CSV not available")
    derived = codes.derive_from_yearbook_csv(CODES_CSV.read_text(encoding="utf-8"))
    shipped = codes._codes_dir()
    assert set(derived) == {p.name for p in shipped.glob("*.csv")}
    for name, body in derived.items():
        assert (shipped / name).read_text(encoding="utf-8") == body, name


def test_codes_change_meaning_between_years() -> None:
    assert codes.load_list("item", 2008).get("40101").name == "기본조사설계비"
    assert codes.load_list("item", 2017).get("40101").name == "시설비"
    assert codes.load_list("item", 2017).get("10101").parent == "101"
    assert codes.load_list("function", 2017).get("011").parent == "010"


@pytest.mark.parametrize(
    ("kind", "year", "used", "note"),
    [
        ("item", 2017, 2017, False),
        ("item", 2018, 2017, True),
        ("item", 2012, 2008, True),
        ("item", 2005, 2008, True),
        ("function", 2012, 2017, True),
        ("revenue", None, 2017, True),
    ],
)
def test_nearest_earlier_list(kind: str, year: int | None, used: int, note: bool) -> None:
    table, why = codes.list_for_year(kind, year)
    assert table is not None and table.year == used
    assert (why is not None) == note


def test_unknown_and_changed_codes_are_findings() -> None:
    r = imp("codes_2018.xlsx")
    (changed,) = by_rule(r.findings, "IMP153")
    assert "40101" in changed.message and "시설비" in changed.message and "기본조사설계비" in changed.message
    assert changed.location.cell == "G4"
    (unknown,) = by_rule(r.findings, "IMP151")
    assert unknown.stated == "29999" and unknown.location.cell == "G5"
    assert by_rule(r.findings, "IMP150")  # 2018 is checked against 2017, and the finding says so
    old = imp("codes_2012.xlsx")
    notes = [f.message for f in by_rule(old.findings, "IMP150")]
    assert any("2008" in n for n in notes) and any("2017" in n for n in notes)
    assert not by_rule(old.findings, "IMP151")  # 30702 민간경상보조 is right for 2012 (2008 list)
    assert_schema(r.findings + old.findings)


# ------------------------------------------------------------------------------ 지방재정365


def test_open_api_json_pages_load_into_the_model() -> None:
    r = imp("lofin365_detail_2018.json")
    s = r.settlement
    assert s.meta.fiscal_year == 2018 and s.settlement.unit == "원"
    divisions = s.settlement.divisions
    assert len(divisions) == 9  # 3 governments × 3 departments, named "자치단체 부서"
    assert divisions[0].name == "서울특별시 기획조정실"
    assert by_rule(r.findings, "IMP160") and by_rule(r.findings, "IMP142")
    total = s.settlement.lines[0]
    assert total.budget_current == total.spent + total.carried_over + total.unused
    assert not r.fatal


def test_open_api_json_and_csv_download_agree() -> None:
    a = imp("lofin365_detail_2018.json").settlement.settlement
    b = imp("lofin365_detail_2018.csv").settlement.settlement
    flat = lambda t: [(x.kind, x.name, x.budget, x.budget_current, x.spent, x.unused) for x in t.all_lines()]  # noqa: E731
    assert flat(a) == flat(b)


# ------------------------------------------------------------------------------ 지방재정연감


def _national_value(path: Path, col: int) -> int:
    ws = load_workbook(path, data_only=True).active
    return int(ws.cell(6, col).value)  # row 6: 전국


@pytest.mark.parametrize(
    ("name", "measure"),
    [("yearbook_items_2017.xlsx", "spent"), ("yearbook_functions_2017.xlsx", "spent")],
)
def test_yearbook_totals_are_not_double_counted(name: str, measure: str) -> None:
    r = imp(name)
    table = r.settlement.settlement
    assert table.key == "detail" and table.unit == "천원" and table.columns == (measure,)
    total = table.lines[0]
    assert getattr(total, measure) == _national_value(fixture(name), 2)  # the file's 전국 합계 cell
    groups = total.children
    assert [g.kind for g in groups] == ["total"] * 3 and groups[0].name == "서울특별시 계"
    seoul = groups[0]
    assert [c.name for c in seoul.children] == ["서울특별시 본청", "자치구 계"]
    assert sum(getattr(c, measure) for c in seoul.children) == getattr(seoul, measure)
    assert not by_rule(r.findings, "IMP120") and not r.fatal


def test_yearbook_header_codes_and_levels() -> None:
    r = imp("yearbook_items_2017.xlsx")
    gov = r.settlement.settlement.lines[0].children[0].children[0]
    assert gov.kind == "division"
    codes_seen = {c.code for c in gov.children}
    assert "10101" in codes_seen and "100" not in codes_seen and "101" not in codes_seen  # leaves only
    assert all(len(c) == 5 for c in codes_seen)


def test_yearbook_revenue_by_item() -> None:
    r = imp("yearbook_revenue_2017.xlsx")
    rev = r.settlement.revenue
    assert rev is not None and rev.columns == ("received",)
    assert rev.lines[0].received == sum(x.received for x in rev.lines[1:])
    items = {c.code for g in rev.lines[1:] for gov in g.children for c in gov.children}
    assert items and all(len(c) == 5 for c in items)


def test_broken_yearbook_subtotals_are_found(tmp_path: Path) -> None:
    path = tmp_path / "yearbook.xlsx"
    shutil.copy(fixture("yearbook_items_2017.xlsx"), path)
    wb = load_workbook(path)
    ws = wb.active
    ws["D8"] = (
        int(ws["D8"].value) + 5
    )  # 서울특별시 본청, a leaf: now the 시도 계 row and the 계 column disagree
    wb.save(path)
    r = imp(path)
    found = by_rule(r.findings, "IMP120")
    cells = {f.location.cell for f in found}
    assert "D7" in cells  # 서울특별시 계 row, same column
    assert "C8" in cells  # 100 인건비 계 column, same row
    assert all(f.difference in ("5", "-5") for f in found)


# ------------------------------------------------------------------------------ DuckDB


def test_duckdb_tables_from_a_file() -> None:
    con = to_duckdb(fixture("ehojo_sotong_2018.xlsx"))
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert {
        "budget_lines",
        "revenue_lines",
        "adjustments",
        "expenditure_rows",
        "revenue_rows",
        "division_totals",
    } <= tables
    (total,) = con.execute(
        "SELECT CAST(SUM(budget) AS BIGINT) FROM expenditure_rows WHERE level IS NULL"
    ).fetchone()
    assert total == 47_810_398
    (typ,) = con.execute("SELECT typeof(SUM(budget)) FROM expenditure_rows").fetchone()
    assert typ != "BIGINT"  # the reason for the casts
    rows = con.execute(
        "SELECT division, spent FROM division_totals WHERE table_key = 'settlement' ORDER BY spent DESC"
    ).fetchall()
    assert rows[0] == ("시민봉사담당관", 25_850_966)
    (n,) = con.execute("SELECT COUNT(*) FROM adjustments WHERE kind = '이체'").fetchone()
    assert n == 2


def test_duckdb_yearbook_cells() -> None:
    con = to_duckdb(fixture("yearbook_items_2017.xlsx"))
    (governments,) = con.execute("SELECT COUNT(DISTINCT government) FROM yearbook_cells").fetchone()
    assert governments == 10  # 본청 and 시·군·구 rows only, never the 계 rows
    (amount,) = con.execute("SELECT CAST(SUM(amount) AS BIGINT) FROM yearbook_cells").fetchone()
    assert amount == _national_value(fixture("yearbook_items_2017.xlsx"), 2)


def test_duckdb_from_a_settlement(sample_settlement) -> None:
    con = to_duckdb(sample_settlement)
    (n,) = con.execute(
        "SELECT COUNT(*) FROM budget_lines WHERE table_key = 'settlement' AND kind = 'unit'"
    ).fetchone()
    assert n == 30  # 10 + 9 + 3 + 5 + 3 단위사업


def test_load_any_routes_json_by_its_format(tmp_path: Path) -> None:
    """Open-data JSON goes to the spreadsheet importer; gyeolsan's own JSON stays canonical."""
    from gyeolsan.io.canonical import dumps
    from gyeolsan.io.load import load_any

    r = load_any(fixture("lofin365_detail_2018.json"))
    assert "(lofin365_detail," in by_rule(r.findings, "IMP132")[0].message
    canonical = tmp_path / "c.json"
    canonical.write_text(dumps(r.settlement), encoding="utf-8")
    again = load_any(canonical)
    assert again.settlement == r.settlement and not again.findings
    for body, rule in [('{"format": "gyeolsan/2"}', "IMP005"), ('{"format": "x", "a": 1}', "IMP108")]:
        other = tmp_path / "other.json"
        other.write_text(body, encoding="utf-8")
        with pytest.raises(InputError) as info:
            load_any(other)
        assert info.value.findings[0].rule == rule
