"""Year-on-year comparison across a reorganisation, and a report checked against its export (XSRC)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from gyeolsan.io.errors import InputError
from gyeolsan.io.sheets.compare import compare, to_csv, to_markdown, to_text, to_xlsx
from gyeolsan.io.sheets.mapping import load_mapping
from gyeolsan.io.sheets.reconcile import compare_to_export
from gyeolsan.io.sheets.text import name_key
from gyeolsan.model import ChangeLine
from tests.io_sheets.conftest import assert_schema, by_rule, cli, fixture, imp
from tests.paths import SAMPLE


@pytest.fixture(scope="module")
def comparison(sample_settlement):  # type: ignore[no-untyped-def]
    new = imp("budget_sotong_2019.xlsx").settlement
    return compare(sample_settlement, new, load_mapping(fixture("reorg_2019.toml")))


def _flat(lines: tuple[ChangeLine, ...]) -> dict[tuple[str, str], ChangeLine]:
    out: dict[tuple[str, str], ChangeLine] = {}
    division = ""
    for root in lines:
        for ln in root.walk():
            if ln.kind == "division":
                division = ln.name
            key = (
                name_key(division if ln.kind not in ("total", "business", "basic_total") else ""),
                name_key(ln.name) + ln.kind,
            )
            out[key] = ln
    return out


def test_restated_2018_column_reproduces_the_sample_2019_table(sample_settlement, comparison) -> None:
    """Every line of the sample's '19 table: 2018 (restated), 2019, 증감 and 증감률."""
    want = _flat(sample_settlement.next_year.lines)
    got = _flat(comparison.table.lines)
    assert set(want) == set(got)
    for key, w in want.items():
        g = got[key]
        assert (g.previous, g.current) == (w.previous, w.current), key
        assert (g.change or 0) == (w.change or 0), key
        if w.change_rate is not None:
            assert g.change_rate == w.change_rate, key
    assert comparison.table.year == 2019 and comparison.table.previous_year == 2018
    assert not comparison.findings
    assert len(comparison.notes) == 9 and any("124,806" in n for n in comparison.notes)


def test_new_removed_and_unchanged_items(comparison) -> None:
    got = {ln.name: ln for ln in comparison.table.all_lines()}
    new = got["서울시 해외 홍보마케팅"]
    assert (new.previous, new.current, new.change_rate) == (None, 3_500_000, Decimal(100))
    gone = got["공공소셜 활성화"]
    assert (gone.previous, gone.current, gone.change, gone.change_rate) == (
        109_600,
        None,
        -109_600,
        Decimal("-100.00"),
    )
    same = got["서울특별시보 발행"]
    assert same.change is None and not same.change_rate  # printed "-" and "-"
    assert "서울특별시보 발행" in to_text(comparison).split("60,231")[0]
    text = to_text(comparison)
    assert "△3.45" in text and "△109,600" in text
    policy = next(
        ln for ln in comparison.table.all_lines() if ln.name == "뉴미디어 활용 시민과의 소통 활성화"
    )
    assert [c.name for c in policy.children][:4] == [
        "소셜미디어를 통한 시민과의 소통 활성화",
        "시민참여 프로그램을 통한 시정 공감대 확산",
        "공공소셜 활성화",  # a removed line stays where it was
        "뉴미디어 웹사이트 운영",
    ]


def test_new_item_setting_and_no_division_by_zero(sample_settlement) -> None:
    new = imp("budget_sotong_2019.xlsx").settlement
    c = compare(sample_settlement, new, None, new_item="순증")
    text = to_text(c)
    assert "순증" in text
    line = next(ln for ln in c.table.all_lines() if ln.name == "서울시 해외 홍보마케팅")
    assert line.change_rate is None  # never 3,500,000 ÷ 0
    # without the mapping the abolished division's lines are "removed", its successors unmatched
    assert next(ln for ln in c.table.lines if ln.name == "신속행정담당관").current is None


def test_outputs(comparison, tmp_path: Path) -> None:
    md = to_markdown(comparison)
    assert (
        md.startswith("### '19년 예산") and "| **합계** | 47,810,398 | 54,438,155 | 6,627,757 | 13.86 |" in md
    )
    rows = list(csv.reader(io.StringIO(to_csv(comparison))))
    assert rows[0][4:8] == ["2018년 예산", "2019년 예산", "증감", "증감률(%)"]
    total = rows[1]
    assert total[2] == "합계" and total[4:8] == ["47810398", "54438155", "6627757", "13.86"]
    basic = rows[3]
    assert basic[6:8] == ["-24802", "-3.45"]
    path = tmp_path / "cmp.xlsx"
    path.write_bytes(to_xlsx(comparison))
    ws = load_workbook(path).active
    assert ws["B4"].value == 47_810_398 and ws["B4"].number_format.startswith("#,##0")
    assert ws["E6"].value == Decimal("-3.45") or float(ws["E6"].value) == -3.45


def test_mapping_errors(tmp_path: Path, sample_settlement) -> None:
    bad = tmp_path / "m.toml"
    bad.write_text(
        '[[map]]\nfrom = { division = "없는부서", unit = "없는사업" }\nto = { division = "시민소통담당관" }\n'
        '[[map]]\nfrom = { division = "신속행정담당관", unit = "신속행정 협력체계 강화" }\nto = { division = "시민봉사담당관" }\namount = 99999999\n',
        encoding="utf-8",
    )
    new = imp("budget_sotong_2019.xlsx").settlement
    c = compare(sample_settlement, new, load_mapping(bad))
    assert [f.rule for f in c.findings] == ["MAP002", "MAP004"]
    broken = tmp_path / "x.toml"
    broken.write_text("[[map]]\nfrom = { divison = 'x' }\nto = {}\n", encoding="utf-8")
    with pytest.raises(InputError):
        load_mapping(broken)


def test_csv_mapping(sample_settlement) -> None:
    m = load_mapping(fixture("reorg_small.csv"))
    assert len(m.moves) == 2 and m.moves[1].source.basic is True
    new = imp("budget_sotong_2019.xlsx").settlement
    c = compare(sample_settlement, new, m)
    basic = next(ln for ln in c.table.divisions[0].children if ln.kind == "basic")
    assert basic.previous == 513_672 + 20_159


def test_cli_compare(tmp_path: Path) -> None:
    if not SAMPLE.exists():
        pytest.skip("sample not available")
    out = tmp_path / "cmp.csv"
    args = ["compare", str(SAMPLE), str(fixture("budget_sotong_2019.xlsx"))]
    result = cli(*args, "--mapping", str(fixture("reorg_2019.toml")), "--format", "csv", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8").splitlines()[1].startswith("total,0,합계")
    assert cli(*args, "--format", "xlsx").exit_code == 2  # xlsx needs -o
    result = cli(*args, "--mapping", str(tmp_path / "missing.toml"))
    assert result.exit_code == 2 and "MAP001" in result.stderr
    text = cli(*args, "--new-item", "순증").stdout
    assert "순증" in text and "합계" in text


# ------------------------------------------------------------------------------ XSRC


def test_report_against_its_export(sample_settlement, sample_export) -> None:
    found = compare_to_export(sample_settlement, sample_export.settlement)
    assert_schema(found)
    rounding = by_rule(found, "XSRC002")
    assert {f.location.line for f in rounding} == {124, 125, 139, 140, 151, 152, 165, 166, 959, 960, 962}
    assert all(abs(int(f.difference)) <= 2 for f in rounding)
    (transfers,) = by_rule(found, "XSRC020")  # '예산 이체 5건' but the ledger holds 2 records
    assert transfers.location.line == 979 and (transfers.stated, transfers.expected) == ("5", "2")
    assert transfers.related and transfers.related[0].sheet == "예산변경내역"
    assert {f.rule for f in found} == {"XSRC002", "XSRC020"}  # units, revenue, 전용, 이월 all agree
    f = rounding[0]
    assert f.location.path.endswith(".txt") and f.related[0].cell  # report line → export cell


def test_a_wrong_figure_is_an_error(sample_settlement, sample_export) -> None:
    export = sample_export.settlement
    table = export.settlement
    division = table.divisions[2]
    policy = division.children[0]
    unit = policy.children[1].model_copy(update={"spent": policy.children[1].spent + 1_000})
    policy = policy.model_copy(update={"children": (policy.children[0], unit, *policy.children[2:])})
    division = division.model_copy(update={"children": (policy, *division.children[1:])})
    lines = tuple(division if ln is table.divisions[2] else ln for ln in table.lines)
    changed = export.model_copy(update={"settlement": table.model_copy(update={"lines": lines})})
    found = by_rule(compare_to_export(sample_settlement, changed), "XSRC001")
    assert [(f.location.line, f.location.field, f.difference) for f in found] == [(154, "집행액", "-1000")]


def test_export_against_itself_is_silent(sample_export) -> None:
    assert compare_to_export(sample_export.settlement, sample_export.settlement) == []


def test_won_export_and_year_mismatch(sample_settlement) -> None:
    won = imp("ehojo_sotong_2018_won_cp949.csv").settlement
    found = compare_to_export(sample_settlement, won)
    assert {f.rule for f in found} == {"XSRC002"}  # 원 → 천원 half-up per line: only rounding notes
    other = won.model_copy(update={"meta": won.meta.model_copy(update={"fiscal_year": 2019})})
    assert by_rule(compare_to_export(sample_settlement, other), "XSRC005")


def test_next_year_table_as_the_new_side(sample_settlement, comparison) -> None:
    """A report without an export: its own '19 table (current column) is the new year."""
    new = sample_settlement.model_copy(update={"settlement": None})
    c = compare(sample_settlement, new, load_mapping(fixture("reorg_2019.toml")))
    got = {(ln.kind, ln.name): (ln.previous, ln.current) for ln in c.table.all_lines()}
    want = {(ln.kind, ln.name): (ln.previous, ln.current) for ln in comparison.table.all_lines()}
    assert got[("total", "합계")] == (47_810_398, 54_438_155)
    assert (
        sum(1 for k in want if k in got and got[k] == want[k]) >= len(want) - 6
    )  # names differ slightly in the '19 table
