"""`gyeolsan template` (a documented, validated workbook that imports back), the opendata commands,
and the fixtures' reproducibility."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from gyeolsan.io.sheets.template import EXAMPLE_ROWS, fill_example, write_template
from tests.io_sheets.conftest import SHEETS, by_rule, cli, fixture, imp


def gyeolsan(*args: str):  # type: ignore[no-untyped-def]
    r = cli(*args)
    return subprocess.CompletedProcess(args, r.exit_code, r.stdout, r.stderr)


def test_template_is_documented_and_validated(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    path.write_bytes(write_template(2018, "천원"))
    wb = load_workbook(path)
    assert wb.sheetnames == ["작성요령", "세출_양식", "세입_양식", "예산변경_양식", "코드"]
    assert wb["코드"].sheet_state == "hidden"
    assert "작성요령" in wb["작성요령"]["A1"].value
    ws = wb["세출_양식"]
    assert ws["A1"].value.startswith("2018회계연도") and ws["B2"].value == "(단위: 천원)"
    heads = [c.value for c in ws[4]]
    assert heads[:3] == ["회계", "부서", "분야"] and "집행잔액" in heads
    assert all(c.comment is not None and c.comment.text for c in ws[4] if c.value)
    kinds = {dv.type for dv in ws.data_validations.dataValidation}
    assert {"list", "whole"} <= kinds
    item_list = next(
        dv for dv in ws.data_validations.dataValidation if dv.type == "list" and "I5" in str(dv.sqref)
    )
    assert item_list.formula1.startswith("코드!")
    codes = [c.value for c in wb["코드"]["A"][1:] if c.value]
    assert "40101 시설비" in codes  # the 2017 meaning, for a 2018 template
    aj = wb["예산변경_양식"]
    assert any(
        dv.type == "list" and "전용" in (dv.formula1 or "") for dv in aj.data_validations.dataValidation
    )


def test_filled_template_imports_back(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    path.write_bytes(write_template(2018, "천원"))
    fill_example(path)
    r = imp(path)
    assert not r.fatal
    table = r.settlement.settlement
    assert table.lines[0].budget == sum(row[9] for row in EXAMPLE_ROWS)
    assert [ln.kind for ln in table.lines] == ["total", "business", "basic_total", "division"]
    assert r.settlement.revenue.lines[0].received == 110
    (adj,) = r.settlement.adjustments
    assert (adj.kind, adj.from_item, adj.to_item, adj.amount) == ("전용", "사무관리비", "행사운영비", 100)
    assert {f.message.split("(")[1].split(",")[0] for f in by_rule(r.findings, "IMP132")} == {
        "template_expenditure",
        "template_revenue",
        "template_adjustments",
    }


def test_cli_template(tmp_path: Path) -> None:
    out = tmp_path / "양식.xlsx"
    proc = gyeolsan("template", "-o", str(out), "--year", "2019", "--unit", "원")
    assert proc.returncode == 0, proc.stderr
    ws = load_workbook(out)["세출_양식"]
    assert ws["B2"].value == "(단위: 원)" and ws["A1"].value.startswith("2019회계연도")


def test_cli_opendata(tmp_path: Path) -> None:
    out = tmp_path / "lofin.json"
    proc = gyeolsan("opendata", "import", str(fixture("lofin365_detail_2018.json")), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "lofin365_detail" in proc.stderr and out.exists()
    proc = gyeolsan(
        "opendata", "import", str(fixture("lofin365_no_data.json")), "-o", str(tmp_path / "x.json")
    )
    assert proc.returncode == 2 and "INFO-200" in proc.stderr and not (tmp_path / "x.json").exists()
    db = tmp_path / "y.duckdb"
    proc = gyeolsan("opendata", "duckdb", str(fixture("yearbook_items_2017.xlsx")), "-o", str(db))
    assert proc.returncode == 0 and db.exists() and "yearbook_cells" in proc.stderr
    proc = gyeolsan("opendata", "duckdb", str(fixture("bad_zipbomb.xlsx")), "-o", str(tmp_path / "z.duckdb"))
    assert proc.returncode == 2 and not list(tmp_path.glob("*z.duckdb*"))
    proc = gyeolsan("opendata", "codes", "--kind", "function", "--year", "2018")
    assert proc.returncode == 0 and "010\t일반공공행정" in proc.stdout and "2017" in proc.stderr


def test_cli_import_spreadsheet_options(tmp_path: Path) -> None:
    """`gyeolsan import` reads open-data JSON and passes --profile / --depth to the importer."""
    from gyeolsan.io.canonical import load

    out = tmp_path / "lofin.json"
    proc = gyeolsan("import", str(fixture("lofin365_detail_2018.json")), "--depth", "unit", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    table = load(out).settlement
    assert table is not None
    kinds = {ln.kind for ln in table.all_lines()}
    assert "unit" in kinds and not kinds & {"detail", "item"}
    proc = gyeolsan("import", str(fixture("ehojo_brand_2018_utf8.csv")), "--profile", "ehojo_revenue")
    assert proc.returncode == 2 and "IMP131" in proc.stderr
    proc = gyeolsan("import", str(fixture("ehojo_sotong_2018.xlsx")), "--depth", "deep")
    assert proc.returncode == 2 and "IMP192" in proc.stderr
    proc = gyeolsan("import", str(fixture("ehojo_sotong_2018.xlsx")), "-o", str(tmp_path / "e.json"))
    assert "ehojo_sotong_2018.xlsx [세출집행현황!A3]: 참고[IMP132]" in proc.stderr  # sheet!cell


def test_cli_module_imports_nothing_heavy() -> None:
    code = "import sys, gyeolsan.cli.sheets; print(sorted(m for m in ('openpyxl','polars','duckdb','pydantic') if m in sys.modules))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.stdout.strip() == "[]", proc.stderr


@pytest.mark.slow
def test_fixtures_are_reproducible(tmp_path: Path) -> None:
    """make_fixtures.py rebuilds every committed fixture byte for byte."""
    proc = subprocess.run(
        [sys.executable, str(SHEETS / "make_fixtures.py"), str(tmp_path)], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    built = sorted(p.name for p in tmp_path.iterdir())
    assert len(built) > 30
    for name in built:
        assert (tmp_path / name).read_bytes() == (SHEETS / name).read_bytes(), name


@pytest.mark.parametrize("name", ["yearbook_items_2017.xlsx", "ehojo_sotong_2018.xlsx"])
def test_canonical_round_trip(name: str) -> None:
    from gyeolsan.io.canonical import dumps, loads

    s = imp(name).settlement
    assert loads(dumps(s)) == s
