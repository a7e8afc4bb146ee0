"""Broken files: a located finding for each, exit code 2 when nothing usable can be read, no traceback,
nothing written."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl.xml
import pytest

from gyeolsan.io.sheets import reader
from tests.io_sheets.conftest import assert_schema, by_rule, cli, fixture, imp, input_error, rules


@pytest.mark.parametrize(
    ("name", "rule"),
    [
        ("bad_encrypted.xlsx", "IMP101"),
        ("bad_corrupt.xlsx", "IMP102"),
        ("bad_not_zip.xlsx", "IMP102"),
        ("bad_zipbomb.xlsx", "IMP103"),
        ("bad_xxe.xlsx", "IMP104"),
        ("bad_empty.csv", "IMP106"),
        ("bad_binary.csv", "IMP107"),
        ("bad_empty.xlsx", "IMP135"),
        ("bad_wrong_sheet.xlsx", "IMP130"),
        ("bad_no_header.xlsx", "IMP130"),
        ("bad_missing_column.xlsx", "IMP131"),
        ("bad_no_unit.xlsx", "IMP140"),
        ("lofin365_no_data.json", "IMP108"),
    ],
)
def test_unreadable_input_raises_located_error(name: str, rule: str) -> None:
    found = input_error(name)
    assert rules(found) == {rule}
    f = found[0]
    assert f.severity.value == "error" and f.message and f.message_en
    assert f.location.path.endswith(name)
    assert_schema(found)


def test_missing_column_names_the_column_and_header_row() -> None:
    (f,) = input_error("bad_missing_column.xlsx")
    assert "예산액" in f.message and f.location.sheet == "세출집행현황" and f.location.cell == "A3"


def test_wrong_sheet_names_the_sheet() -> None:
    (f,) = input_error("bad_wrong_sheet.xlsx")
    assert "'메모'" in f.message and f.location.sheet == "메모"


def test_zip_bomb_is_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    (f,) = input_error("bad_zipbomb.xlsx")
    assert "압축" in f.message
    # the total-size limit, too: a genuine workbook over a (lowered) limit
    monkeypatch.setattr(reader, "MAX_UNCOMPRESSED", 10_000)
    (g,) = input_error("ehojo_sotong_2018.xlsx")
    assert g.rule == "IMP103" and "MB" in g.message


def test_too_many_members(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader, "MAX_MEMBERS", 3)
    (f,) = input_error("ehojo_sotong_2018.xlsx")
    assert f.rule == "IMP103"


def test_openpyxl_parses_with_defusedxml() -> None:
    """openpyxl uses defusedxml when installed: its sheet and shared-string parser refuses entities."""
    from openpyxl.xml import functions

    assert openpyxl.xml.DEFUSEDXML is True
    assert functions.iterparse.__module__.startswith("defusedxml")
    (f,) = input_error("bad_xxe.xlsx")
    assert "EntitiesForbidden" in f.message or "DTD" in f.message


def test_duplicated_rows_are_errors_with_both_rows() -> None:
    r = imp("bad_duplicates.xlsx")
    (f,) = by_rule(r.findings, "IMP121")
    assert f.severity.value == "error" and f.location.cell == "E7"
    assert f.related and f.related[0].cell == "E5"
    assert r.fatal  # the CLI refuses to write it


def test_totals_that_disagree_are_located_and_not_counted() -> None:
    r = imp("bad_totals.xlsx")
    found = by_rule(r.findings, "IMP120")
    cells = {f.location.cell for f in found}
    assert cells == {"H4", "I4", "G8"}  # 합계 지출액/집행잔액, 가과 소계 예산현액
    assert all(f.severity.value == "warning" for f in found)
    total = r.settlement.settlement.lines[0]
    assert (total.budget, total.spent) == (3500, 2900)  # details only: the subtotal rows are not added


def test_text_in_number_cells() -> None:
    r = imp("bad_text_in_numbers.xlsx")
    found = by_rule(r.findings, "IMP110")
    assert {(f.location.cell, f.stated) for f in found} == {("F5", "오백"), ("H5", "5OO")}
    assert r.fatal and not by_rule(r.findings, "IMP112")  # no noise from the unreadable row


def test_mixed_units_are_converted_and_reported() -> None:
    r = imp("bad_mixed_units.xlsx")
    (f,) = by_rule(r.findings, "IMP141")
    assert f.severity.value == "warning" and "원" in f.message
    line = r.settlement.settlement.lines[0]
    assert r.settlement.settlement.unit == "원"
    assert (line.budget, line.spent, line.unused) == (1_000_000, 900_000, 100_000)


def test_formula_cells_without_cached_values() -> None:
    r = imp("bad_formula_no_cache.xlsx")
    (f,) = by_rule(r.findings, "IMP145")
    assert f.location.cell == "F7" and f.severity.value == "error"


def test_shifted_header_still_imports() -> None:
    r = imp("shifted_header.xlsx")
    assert not r.fatal
    note = by_rule(r.findings, "IMP132")[0]
    assert "8–8행" in note.message
    assert r.settlement.settlement.lines[0].budget == 3500


def test_encoding_that_changes_mid_file(tmp_path: Path) -> None:
    from gyeolsan.io.sheets import csvfile

    bad = tmp_path / "mixed.csv"
    bad.write_bytes("(단위: 원)\n부서,단위사업,예산액,예산현액\n".encode("cp949") + b"\xff\xfe\xfa,x,1,1\n")
    with pytest.raises(Exception) as info:
        csvfile.transcode(bad, "cp949", str(tmp_path))
    assert getattr(info.value, "findings", None)


@pytest.mark.parametrize(
    "name",
    [
        "bad_encrypted.xlsx",
        "bad_corrupt.xlsx",
        "bad_zipbomb.xlsx",
        "bad_xxe.xlsx",
        "bad_missing_column.xlsx",
        "bad_duplicates.xlsx",
        "bad_empty.csv",
    ],
)
def test_cli_exit_2_nothing_written(tmp_path: Path, name: str) -> None:
    out = tmp_path / "out.json"
    result = cli("import", str(fixture(name)), "-o", str(out))
    assert result.exit_code == 2
    assert (
        "입력을 읽을 수 없습니다" in result.stderr
        and result.exception is None
        or isinstance(result.exception, SystemExit)
    )
    assert not out.exists() and not list(tmp_path.iterdir())


def test_cli_no_traceback_in_a_real_process(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    proc = subprocess.run(
        [sys.executable, "-m", "gyeolsan", "import", str(fixture("bad_zipbomb.xlsx")), "-o", str(out)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "IMP103" in proc.stderr
    assert not out.exists()


def test_corrupt_member_inside_a_valid_zip(tmp_path: Path) -> None:
    src = fixture("ehojo_sotong_2018.xlsx")
    bad = tmp_path / "broken_sheet.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(bad, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 3]  # truncated XML
            zout.writestr(info, data)
    (f,) = input_error(bad)
    assert f.rule == "IMP102"
