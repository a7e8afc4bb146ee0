"""The large-file path (streaming CSV → Parquet) gives the same result as the in-memory one; national
tables import. Speed is measured in benchmarks/bench_import_scale.py, not here."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from gyeolsan.io.sheets import csvfile
from tests.io_sheets.conftest import SHEETS, by_rule, imp

sys.path.insert(0, str(SHEETS))
from make_fixtures import make_detail_csv, make_national_yearbook  # noqa: E402


def _flat(table):  # type: ignore[no-untyped-def]
    return [
        (x.kind, x.name, x.code, x.budget, x.budget_current, x.spent, x.unused) for x in table.all_lines()
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "cp949"])
def test_streaming_path_equals_in_memory_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, encoding: str
) -> None:
    path = tmp_path / "detail.csv"
    make_detail_csv(path, 6_000, encoding=encoding)
    small = imp(path, depth="unit")  # what a large file gets by default
    monkeypatch.setattr(csvfile, "BIG_CSV_BYTES", 0)  # force the Parquet spill
    big = imp(path, depth="unit")
    assert _flat(small.settlement.settlement) == _flat(big.settlement.settlement)
    total = big.settlement.settlement.lines[0]
    assert total.budget_current == total.spent + total.unused
    assert len(big.settlement.settlement.divisions) == 15  # 10 부서 of the first 자치단체, 5 of the second
    assert not big.fatal


def test_streaming_path_reports_bad_cells_with_line_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "detail.csv"
    make_detail_csv(path, 3_000)
    import csv

    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    rows[1500][-1] = "12,3x4"  # file line 1501: text in the 집행잔액 cell
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    monkeypatch.setattr(csvfile, "BIG_CSV_BYTES", 0)
    r = imp(path)
    (f,) = by_rule(r.findings, "IMP110")
    assert f.location.line == 1501 and f.location.cell == "V1501" and f.stated == "12,3x4"


def test_malformed_csv_is_an_input_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "detail.csv"
    make_detail_csv(path, 500)
    text = path.read_text(encoding="utf-8").splitlines()
    text[300] = text[300].replace(',"', ',"1"2', 1)  # a quoted field followed by more text
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    from tests.io_sheets.conftest import input_error

    (f,) = input_error(path)
    assert f.rule == "IMP109"


@pytest.mark.slow
def test_national_yearbook_table(tmp_path: Path) -> None:
    path = tmp_path / "national.xlsx"
    columns = make_national_yearbook(path)
    assert columns >= 130
    r = imp(path)
    table = r.settlement.settlement
    governments = [g for grp in table.lines[0].children for g in grp.walk() if g.kind == "division"]
    assert len(governments) >= 250
    assert table.lines[0].spent == sum(g.spent for g in governments)
    assert not by_rule(r.findings, "IMP120")


@pytest.mark.slow
def test_200k_rows_stream(tmp_path: Path) -> None:
    path = tmp_path / "detail.csv"
    make_detail_csv(path, 200_000)
    r = imp(path)
    assert len(r.settlement.settlement.divisions) == 500 and not r.fatal
    assert by_rule(r.findings, "IMP138")  # a national file stops at 단위사업, and says so
    assert {ln.kind for ln in r.settlement.settlement.all_lines()} == {"total", "division", "policy", "unit"}
