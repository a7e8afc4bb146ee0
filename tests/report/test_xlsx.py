"""XLSX writer: recalculated by independent engines, the live formulas give exactly the data's values."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import warnings
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from tests.paths import FIXTURES

from gyeolsan.io import canonical, load_any
from gyeolsan.model import BudgetLine, ChangeLine, Settlement
from gyeolsan.model.numbers import change_rate, rate
from gyeolsan.report import xlsx
from gyeolsan.report.config import ReportConfig
from gyeolsan.report.document import Cell, Document, Row, Table, build_document

WRONG_AMOUNTS = (99_999_991, 88_888_881, 77_777_771, 66_666_661, 44_444_441, 33_333_331)


# ----------------------------------------------------------------------------- helpers


def recalculate(path: Path) -> dict[tuple[str, str], Any]:
    """Every cell's value as the pure-Python ``formulas`` engine computes it: {(SHEET, "C5"): value}."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import formulas

        solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    out: dict[tuple[str, str], Any] = {}
    for key, ranges in solution.items():
        sheet, _, cell = key.rpartition("!")
        if ":" in cell:
            continue
        value = ranges.value[0][0] if hasattr(ranges, "value") else ranges
        out[(sheet.split("]", 1)[1].rstrip("'").upper(), cell.upper())] = _plain(value)
    return out


def _plain(value: Any) -> Any:
    """numpy / formulas values → None, str, int (whole numbers) or Decimal."""
    if value is None or type(value).__name__ in ("XlEmpty", "Empty") or value == "":
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return value
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(number):
        return str(value)
    return int(number) if number.is_integer() else Decimal(repr(number))


def agrees(engine: Any, cell: Cell) -> bool:
    """Does the engine's value print as the document's cell? (blank ≈ 0 ≈ "-"; labels as text)."""
    if isinstance(cell.value, Decimal):
        places = -cell.value.as_tuple().exponent if cell.value.as_tuple().exponent < 0 else 0  # type: ignore[operator]
        if isinstance(engine, str):
            return engine == cell.text
        return (
            engine is not None and Decimal(engine).quantize(Decimal(1).scaleb(-max(places, 2))) == cell.value
        )
    if isinstance(cell.value, int):
        return engine == cell.value or (cell.value == 0 and engine is None)
    if cell.text.strip() in ("", "-"):
        return engine in (None, 0)
    return isinstance(engine, str) and engine == cell.text


def sheet_cells(doc: Document, path: Path) -> list[tuple[str, str, Table, int, int, Cell]]:
    """(SHEET, ref, table, row index, column, cell) for every numeric body cell of every table."""
    from openpyxl.utils import get_column_letter

    out = []
    for name, table in zip(xlsx.sheet_names(doc.tables()), doc.tables(), strict=True):
        first = 3 + len(table.header)
        for block in xlsx.place([r.cells for r in table.rows]):
            for p in block:
                if p.cell.kind != "text":
                    ref = f"{get_column_letter(p.col + 1)}{first + p.row}"
                    out.append((name.upper(), ref, table, p.row, p.col, p.cell))
    return out


def corrupted(settlement: Settlement) -> Settlement:
    """The settlement with wrong *stated* totals and rates: a report must never print them."""
    data = json.loads(canonical.dumps(settlement))
    lines = data["settlement"]["lines"]
    lines[0].update(budget=WRONG_AMOUNTS[0], rate="42.4")
    division = next(ln for ln in lines if ln["kind"] == "division")
    division.update(spent=WRONG_AMOUNTS[1], rate="12.3")
    division["children"][0]["budget_current"] = WRONG_AMOUNTS[2]
    data["next_year"]["lines"][0].update(change=WRONG_AMOUNTS[3], change_rate="55.55")
    data["revenue"]["lines"][0]["levied"] = WRONG_AMOUNTS[4]
    data["expenditure"]["table"]["lines"][0]["unused"] = WRONG_AMOUNTS[5]
    return canonical.loads(json.dumps(data))


def row_of(doc: Document, table_id: str, name: str) -> tuple[Table, int]:
    table = doc.table(table_id)
    assert table is not None
    index = next(i for i, r in enumerate(table.rows) if r.cells[0].text == name)
    return table, index


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def settlement(sample: Settlement) -> Settlement:
    """The sample report, imported once per session (tests/report/conftest.py)."""
    return sample


@pytest.fixture(scope="module")
def doc(document: Document) -> Document:
    return document  # without charts


@pytest.fixture(scope="module")
def book(doc: Document, settlement: Settlement, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("xlsx") / "sample.xlsx"
    xlsx.write(doc, path, settlement=settlement)
    return path


@pytest.fixture(scope="module")
def values(book: Path) -> dict[tuple[str, str], Any]:
    return recalculate(book)


# ----------------------------------------------------------------------------- recalculation


def test_every_figure_recalculates_to_the_documents_value(doc: Document, book: Path, values: dict) -> None:
    cells = sheet_cells(doc, book)
    assert len(cells) > 400
    wrong = [
        (s, ref, c.text, values.get((s, ref)))
        for s, ref, _, _, _, c in cells
        if not agrees(values.get((s, ref)), c)
    ]
    assert wrong == []


def test_totals_rates_and_shares_are_live_formulas(doc: Document, book: Path) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(book)
    hinted = [(s, ref, c) for s, ref, _, _, _, c in sheet_cells(doc, book) if c.formula]
    assert len(hinted) > 200
    sheets = {name.upper(): name for name in wb.sheetnames}
    static = [
        (s, ref, c.formula) for s, ref, c in hinted if not str(wb[sheets[s]][ref].value).startswith("=")
    ]
    assert static == []
    leaves = [(s, ref) for s, ref, _, _, _, c in sheet_cells(doc, book) if c.formula is None]
    assert leaves and all(isinstance(wb[sheets[s]][ref].value, int) for s, ref in leaves)


def _budget_sums(line: BudgetLine) -> tuple[int, int, int]:
    if not line.children:
        return line.budget or 0, line.budget_current or 0, line.spent or 0
    parts = [_budget_sums(c) for c in line.children]
    return tuple(sum(p[i] for p in parts) for i in range(3))  # type: ignore[return-value]


def _change_sums(line: ChangeLine) -> tuple[int, int]:
    if not line.children:
        return line.previous or 0, line.current or 0
    parts = [_change_sums(c) for c in line.children]
    return sum(p[0] for p in parts), sum(p[1] for p in parts)


def _walk(prefix: str, lines: Any) -> list[tuple[str, Any]]:
    out = []
    for line in lines:
        key = f"{prefix}/{line.name}"
        out += [(key, line), *_walk(key, line.children)]
    return out


def _at(values: dict, doc: Document, sheet: str, table_id: str, key: str, column: str) -> Any:
    from openpyxl.utils import get_column_letter

    table = doc.table(table_id)
    assert table is not None
    index = next(i for i, r in enumerate(table.rows) if r.key == key)
    ref = f"{get_column_letter(table.columns.index(column) + 1)}{3 + len(table.header) + index}"
    return values[(sheet.upper(), ref)]


def test_settlement_sheet_equals_sums_and_rates_computed_from_the_leaves(
    settlement: Settlement, doc: Document, values: dict
) -> None:
    table = settlement.settlement
    assert table is not None
    divisions = [ln for ln in table.lines if ln.kind == "division"]
    checked = 0
    for key, line in _walk("settlement", divisions):
        budget, current, spent = _budget_sums(line)
        assert _at(values, doc, "결산", "settlement", key, "budget") == budget, key
        assert _at(values, doc, "결산", "settlement", key, "budget_current") == current, key
        assert _at(values, doc, "결산", "settlement", key, "spent") == spent, key
        engine_rate = _at(values, doc, "결산", "settlement", key, "rate")
        assert Decimal(engine_rate or 0).quantize(Decimal("0.1")) == (rate(spent, current, 1) or 0), key
        checked += 1
    assert checked == 45
    sums = [_budget_sums(d) for d in divisions]
    programs = [_budget_sums(c) for d in divisions for c in d.children if c.kind != "basic"]
    basics = [_budget_sums(c) for d in divisions for c in d.children if c.kind == "basic"]
    for kind, parts in (("total", sums), ("business", programs), ("basic_total", basics)):
        root = table.root(kind)  # type: ignore[arg-type]
        assert root is not None
        key = f"settlement/{root.name}"
        expected = [sum(p[i] for p in parts) for i in range(3)]
        for column, value in zip(("budget", "budget_current", "spent"), expected, strict=True):
            assert _at(values, doc, "결산", "settlement", key, column) == value, (kind, column)
        assert _at(values, doc, "결산", "settlement", key, "rate") == rate(expected[2], expected[1], 1)
    # the sample prints 96.3 for 뉴미디어담당관; its data give 96.2 (sample_audit: settle-newmedia-rate)
    assert _at(values, doc, "결산", "settlement", "settlement/뉴미디어담당관", "rate") == Decimal("96.2")


def test_next_year_sheet_equals_changes_and_change_rates_from_the_data(
    settlement: Settlement, doc: Document, values: dict
) -> None:
    table = settlement.next_year
    assert table is not None
    checked = 0
    for key, line in _walk("next_year", [ln for ln in table.lines if ln.kind == "division"]):
        previous, current = _change_sums(line)
        assert _at(values, doc, "다음연도 예산", "next_year", key, "change") in (current - previous, None), (
            key
        )
        engine = _at(values, doc, "다음연도 예산", "next_year", key, "change_rate")
        if previous:
            assert Decimal(engine or 0) == (change_rate(previous, current, 2) or 0), key
        else:  # new item: no division by zero, the configured label
            assert engine == "100", key
        checked += 1
    assert checked >= 40
    total = table.root("total")
    assert total is not None
    assert _at(values, doc, "다음연도 예산", "next_year", f"next_year/{total.name}", "change") == 6_627_757
    assert _at(
        values, doc, "다음연도 예산", "next_year", f"next_year/{total.name}", "change_rate"
    ) == Decimal("13.86")


def test_revenue_and_expenditure_sheets(settlement: Settlement, doc: Document, values: dict) -> None:
    revenue = settlement.revenue
    assert revenue is not None
    for line in revenue.all_lines():
        if line.kind == "total":
            continue
        leaves = line.walk()[1:] or [line]
        levied = sum(x.levied or 0 for x in leaves if not x.children)
        received = sum(x.received or 0 for x in leaves if not x.children)
        uncollected = _at(values, doc, "세입", "revenue", f"revenue/{line.name}", "uncollected")
        assert (uncollected or 0) == levied - received, line.name
    total = _at(values, doc, "세입", "revenue", "revenue/합계", "received")
    leaves = [ln for ln in revenue.all_lines() if ln.kind != "total" and not ln.children]
    assert total == sum(ln.received or 0 for ln in leaves) == 7_888_730
    # 집행잔액 = 예산현액 − 집행액 − 다음연도 이월 (도시브랜드담당관 carries 413,109 to 2019)
    assert settlement.settlement is not None
    brand = next(d for d in settlement.settlement.divisions if d.name == "도시브랜드담당관")
    _, current, spent = _budget_sums(brand)
    unused = _at(values, doc, "부서별 세출", "expenditure", "expenditure/도시브랜드 담당관", "unused")
    assert unused == current - spent - 413_109
    totals = [_budget_sums(d) for d in settlement.settlement.divisions]
    all_current, all_spent = sum(t[1] for t in totals), sum(t[2] for t in totals)
    assert (
        _at(values, doc, "부서별 세출", "expenditure", "expenditure/총계", "unused")
        == all_current - all_spent - 413_109
    )


def test_editing_a_leaf_recomputes_subtotals_totals_and_rates(doc: Document, tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    table = doc.table("settlement")
    assert table is not None
    path = tmp_path / "edit.xlsx"
    xlsx.write(Document(doc.title, doc.office, doc.date, (table,)), path)
    before = recalculate(path)
    first = 3 + len(table.header)
    spent = get_column_letter(table.columns.index("spent") + 1)
    share = get_column_letter(table.columns.index("rate") + 1)
    _, leaf = row_of(doc, "settlement", "언론매체를 통한 시정정보제공")
    _, policy = row_of(doc, "settlement", "시민과 함께하는 참여와 소통 시정구현")
    _, division = row_of(doc, "settlement", "시민소통담당관")
    _, basic = row_of(doc, "settlement", "기본경비(행정운영경비)")
    total, business = 0, 1
    wb = load_workbook(path)
    ws = wb.active
    ws[f"{spent}{first + leaf}"] = ws[f"{spent}{first + leaf}"].value - 1_000_000
    wb.save(path)
    after = recalculate(path)
    sheet = ws.title.upper()

    def delta(index: int, col: str = spent) -> Any:
        return after[(sheet, f"{col}{first + index}")] - before[(sheet, f"{col}{first + index}")]

    for index in (leaf, policy, division, total, business):
        assert delta(index) == -1_000_000, table.rows[index].cells[0].text
    assert delta(basic) == 0
    new_total = after[(sheet, f"{spent}{first + total}")]
    budget_current = after[
        (sheet, f"{get_column_letter(table.columns.index('budget_current') + 1)}{first + total}")
    ]
    assert after[(sheet, f"{share}{first + total}")] == rate(new_total, budget_current, 1)
    assert after[(sheet, f"{share}{first + leaf}")] == rate(4_078_930 - 1_000_000, 4_082_365, 1)


def test_wrong_stated_totals_never_reach_the_workbook(settlement: Settlement, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    doc = build_document(corrupted(settlement), charts=False)
    path = tmp_path / "wrong.xlsx"
    xlsx.write(doc, path)
    computed = recalculate(path)
    numbers = {v for v in computed.values() if isinstance(v, int)}
    assert numbers.isdisjoint(WRONG_AMOUNTS)
    assert {47_810_398, 47_025_374, 6_627_757, 7_888_822} <= numbers
    texts = " ".join(
        str(c.value) for ws in load_workbook(path).worksheets for row in ws.iter_rows() for c in row
    )
    assert not any(f"{w:,}" in texts or str(w) in texts for w in WRONG_AMOUNTS)
    _, total = row_of(doc, "settlement", "합 계")
    assert computed[("결산", f"E{3 + 1 + total}")] == Decimal("96.7")  # not the stated 42.4
    _, division = row_of(doc, "settlement", "시민소통담당관")
    assert computed[("결산", f"E{3 + 1 + division}")] == Decimal("94.7")  # not the stated 12.3


def test_zero_prints_as_zero_when_the_report_does(settlement: Settlement, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    doc = build_document(settlement, ReportConfig(revenue_zero="0"), charts=False)
    table, index = row_of(doc, "revenue", "국고보조금")
    assert table.rows[index].cells[-1].text == "0"
    path = tmp_path / "zero.xlsx"
    xlsx.write(Document(doc.title, None, None, (table,)), path)
    ws = load_workbook(path)["세입"]
    assert ws[f"F{4 + index}"].number_format == '#,##0;"△"#,##0;0'
    assert recalculate(path)[("세입", f"F{4 + index}")] in (0, None)
    plain = tmp_path / "plain.xlsx"
    xlsx.write(Document(doc.title, None, None, (doc_table(settlement, "revenue"),)), plain)
    assert load_workbook(plain)["세입"][f"F{4 + index}"].number_format == '#,##0;"△"#,##0;"-"'


def doc_table(settlement: Settlement, table_id: str) -> Table:
    table = build_document(settlement, charts=False).table(table_id)
    assert table is not None
    return table


def test_new_item_label_follows_the_config(settlement: Settlement, tmp_path: Path) -> None:
    doc = build_document(settlement, ReportConfig(new_item_rate="순증"), charts=False)
    table, index = row_of(doc, "next_year", "서울시 해외 홍보마케팅")
    table = Document(doc.title, None, None, (table,))
    path = tmp_path / "new.xlsx"
    xlsx.write(table, path)
    assert recalculate(path)[("다음연도 예산", f"E{3 + 2 + index}")] == "순증"


# ----------------------------------------------------------------------------- layout and styles


def test_number_formats_fonts_and_bold_rows(doc: Document, book: Path) -> None:
    from openpyxl import load_workbook

    ws = load_workbook(book)["결산"]
    assert ws["B4"].number_format == '#,##0;"△"#,##0;"-"'
    assert ws["E4"].number_format == '0.0;"△"0.0;"-"'
    assert load_workbook(book)["다음연도 예산"]["E5"].number_format == '0.00;"△"0.00;"-"'
    table, division = row_of(doc, "settlement", "시민소통담당관")
    assert ws[f"A{4 + division}"].font.b and ws[f"B{4 + division}"].font.b
    assert not ws[f"A{4 + division + 2}"].font.b
    assert ws["A4"].font.name == "NanumGothic"
    assert ws["A3"].fill.fgColor.rgb.endswith("D9D9D9") and ws["A3"].font.b
    assert ws[f"A{4 + division + 2}"].alignment.indent == 2  # 단위사업 under 정책사업 under 부서
    assert ws["B5"].alignment.horizontal == "right"


def test_every_cell_of_every_look_is_styled_in_a_hand_made_table(tmp_path: Path) -> None:
    """Cell formats are applied once per look and copied to the other cells: each cell still has
    its own complete format (header, merged, total, text, amount and rate cells, with borders)."""
    from openpyxl import load_workbook

    header = ((Cell("구분", rowspan=2), Cell("금액", colspan=2)), (Cell("예산"), Cell("비율")))
    rows = (
        Row((Cell("계"), Cell("3", 3, "amount"), Cell("50.0", Decimal("50.0"), "rate")), level=0, bold=True),
        Row(
            (Cell("부서"), Cell("2", 2, "amount"), Cell("40.0", Decimal("40.0"), "rate")), level=1, bold=True
        ),
        Row((Cell("사업"), Cell("1", 1, "amount"), Cell("-", None, "rate")), level=2),
        Row((Cell("다른 사업"), Cell("-", None, "amount"), Cell("10.0", Decimal("10.0"), "rate")), level=2),
    )
    table = Table("t", "표", "천원", header, rows, columns=("name", "budget", "rate"))
    path = tmp_path / "looks.xlsx"
    xlsx.write(Document("문서", None, None, (table,)), path)
    ws = load_workbook(path).worksheets[0]
    covered = {"C3", "A4"}  # inside merged ranges: openpyxl keeps only the range's outer edges
    for r in range(3, 9):  # header rows 3–4, body rows 5–8
        for c in "ABC":
            if f"{c}{r}" not in covered:
                assert ws[f"{c}{r}"].border.left.style == "thin", f"{c}{r}"
    for ref in ("A3", "B3", "B4", "C4"):
        assert ws[ref].fill.fgColor.rgb.endswith("D9D9D9") and ws[ref].font.b, ref
    assert [ws[f"A{r}"].fill.fgColor.rgb[-6:] for r in (5, 6)] == ["F2F2F2", "000000"]
    assert [bool(ws[f"A{r}"].font.b) for r in range(5, 9)] == [True, True, False, False]
    assert [ws[f"A{r}"].alignment.indent for r in range(5, 9)] == [0, 0, 1, 1]
    assert {ws[f"B{r}"].number_format for r in range(5, 9)} == {'#,##0;"△"#,##0;"-"'}
    assert {ws[f"C{r}"].number_format for r in range(5, 9)} == {'0.0;"△"0.0;"-"'}
    assert all(ws[f"{c}{r}"].alignment.horizontal == "right" for c in "BC" for r in range(5, 9))
    assert all(ws[f"A{r}"].alignment.wrap_text for r in range(5, 9))


def test_sheets_panes_print_setup_and_widths(book: Path) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(book)
    assert wb.sheetnames[:4] == ["인력", "주요기능", "결산", "다음연도 예산"]
    assert wb.active.title == "결산"
    assert {"시정권고", "세입", "부서별 세출", "출처"} <= set(wb.sheetnames)
    ws = wb["결산"]
    assert ws.freeze_panes == "B4"
    assert ws.print_title_rows == "$3:$3"
    assert wb["다음연도 예산"].print_title_rows == "$3:$4" and wb["다음연도 예산"].freeze_panes == "B5"
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "portrait"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0
    assert wb["시정권고"].page_setup.orientation == "landscape"
    # 2 units per Hangul character: "시민에게 감동을 주는 통합행정서비스 기반 구축" (indented once)
    assert 46 <= ws.column_dimensions["A"].width <= 60
    assert 10 <= ws.column_dimensions["B"].width <= 14
    assert wb["다음연도 예산"].merged_cells.ranges and "D3:E3" in {
        str(r) for r in wb["다음연도 예산"].merged_cells.ranges
    }
    audits = wb["시정권고"]
    assert audits["C4"].alignment.wrap_text and audits.row_dimensions[4].height > 100


def test_provenance_sheet_is_hidden_protected_and_lists_source_lines(book: Path, doc: Document) -> None:
    from openpyxl import load_workbook

    ws = load_workbook(book)["출처"]
    assert ws.sheet_state == "hidden" and ws.protection.sheet
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    info = {r[0]: r[1] for r in rows if r[0] and r[1] is not None}
    assert info["원본 파일 / source"].endswith("000_1b1d515c849dd1d6.txt")
    assert info["작성 프로그램 / generator"].startswith("gyeolsan ") and info["작성 시각 / generated"]
    assert info["제목 / title"] == doc.title
    body = [r for r in rows if r[0] == "결산"]
    table = doc.table("settlement")
    assert table is not None and len(body) == len(table.rows)
    lines = {r[3]: r[5] for r in body}
    assert lines["settlement/합 계"] == 123
    assert (
        lines["settlement/시민소통담당관/시민과 함께하는 참여와 소통 시정구현/언론매체를 통한 시정정보제공"]
        == 128
    )
    assert all(
        isinstance(r[5], int)
        for r in rows
        if r[0] in ("결산", "다음연도 예산", "세입", "인력", "부서별 세출")
    )


def test_every_keyed_row_has_a_source(settlement: Settlement, doc: Document) -> None:
    sources = xlsx.row_sources(settlement)
    keyed = [r.key for t in doc.tables() for r in t.rows if r.key]
    missing = [k for k in keyed if k not in sources or sources[k].line is None]
    assert keyed and missing == []


# ----------------------------------------------------------------------------- safety and naming


def _tiny(cells: tuple[Cell, ...], columns: tuple[str, ...]) -> Document:
    table = Table(
        id="settlement",
        caption="=캡션",
        unit="천원",
        header=(tuple(Cell(c) for c in columns),),
        rows=(Row(cells=cells, level=1),),
        columns=columns,
    )
    return Document("제목", None, None, (table,), {"source": "@evil.txt"})


def test_text_that_looks_like_a_formula_is_neutralised(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    texts = ('=HYPERLINK("http://x","y")', "+82-2-120", "-5 이하", "@SUM(A1)", "\t=1", "-", "정상")
    cells = (
        *(Cell(t) for t in texts),
        Cell("△24,802", -24_802, "amount"),
        Cell("100", 100, "amount"),
        Cell("-", None, "amount"),
        Cell("△3.45", Decimal("-3.45"), "rate"),
    )
    columns = ("name", *("text",) * 6, "budget", "budget_current", "spent", "rate")
    path = tmp_path / "inject.xlsx"
    xlsx.write(_tiny(cells, columns), path)
    ws = load_workbook(path)["결산"]
    row = [c.value for c in ws[4]]
    assert row[:7] == ["'" + t for t in texts[:5]] + ["-", "정상"]
    assert all(ws.cell(4, i).data_type == "s" for i in range(1, 8))
    assert row[7:] == [-24_802, 100, 0, Decimal("-3.45")] or row[7:] == [-24_802, 100, 0, -3.45]
    assert ws["A1"].value == "'=캡션"
    info = load_workbook(path)["출처"]
    assert any(c.value == "'@evil.txt" for r in info.iter_rows() for c in r)


def test_neutralise_and_sheet_names() -> None:
    assert xlsx.neutralise("=1+1") == "'=1+1"
    assert xlsx.neutralise("-") == "-" and xlsx.neutralise("--") == "--"
    assert xlsx.neutralise("예산") == "예산" and xlsx.neutralise("a\x01b") == "ab"
    tables = [
        Table(id=i, caption=c, unit=None, header=(), rows=())
        for i, c in (
            ("settlement", ""),
            ("x", "a/b:c*d?[e]"),
            ("y", "a/b:c*d?[e]"),
            ("z", "가" * 40),
            ("card-2-1-1", ""),
        )
    ]
    names = xlsx.sheet_names(tables)
    assert names[0] == "결산" and names[1] == "a b c d e" and names[2] == "a b c d e (2)"
    assert len(names[3]) == 31 and names[4] == "사업 2-1-1"
    assert len({n.casefold() for n in names}) == len(names)


def test_formula_hints_for_hand_made_tables() -> None:
    table = Table(
        id="t",
        caption="",
        unit=None,
        header=(),
        rows=(
            Row(
                (Cell("계"), Cell("", 3, "amount", "sum:children"), Cell("", 1, "amount", "sum:series")),
                children=(1, 2, 4),
            ),
            *(Row((Cell("x"), Cell("", 1, "amount"), Cell("", 1, "amount"))) for _ in range(4)),
        ),
        columns=("name", "quota", "quota"),
    )
    ctx = xlsx.FormulaContext(table, first_row=10, new_item_rate="100")
    assert ctx.formula("sum:children", 0, 1, table.rows[0].cells[1]) == ("=SUM(B11:B12,B14)", None)
    assert ctx.formula("sum:series", 0, 2, table.rows[0].cells[2]) == ("=SUM(B10)", None)
    assert ctx.formula("nonsense", 0, 1, table.rows[0].cells[1]) is None
    money = Table(
        "m",
        "",
        None,
        (),
        (
            Row(
                (
                    Cell("x"),
                    Cell("", 10, "amount"),
                    Cell("", 4, "amount"),
                    Cell("", 6, "amount"),
                    Cell("", 0, "amount"),
                    Cell("", 0, "amount"),
                )
            ),
        ),
        columns=("name", "budget_current", "spent", "unused", "previous", "current"),
    )
    ctx = xlsx.FormulaContext(money, first_row=5, new_item_rate="순증")
    assert ctx.formula("rate:spent/budget_current", 0, 0, money.rows[0].cells[0]) == (
        '=IF(B5=0,"",ROUND(C5*1000/B5,0)/10)',
        None,
    )
    assert ctx.formula("rate:spent/budget_current:2", 0, 0, money.rows[0].cells[0])[0].endswith(
        "ROUND(C5*10000/B5,0)/100)"
    )
    assert ctx.formula("unused", 0, 3, money.rows[0].cells[3]) == ("=B5-C5", None)
    carried = Cell("", 2, "amount", "unused")
    formula, comment = ctx.formula("unused", 0, 3, carried)
    assert formula == "=B5-C5-4" and comment and "4" in comment
    assert ctx.formula("change_rate", 0, 0, money.rows[0].cells[0]) == (
        '=IF(E5=0,IF(F5=0,0,"순증"),ROUND((F5-E5)*10000/E5,0)/100)',
        None,
    )
    assert ctx.formula("diff:current-previous", 0, 0, money.rows[0].cells[0]) == ("=F5-E5", None)


def test_half_up_rounding_at_exact_halves_in_the_formula_engine(tmp_path: Path) -> None:
    """7.05 is 7.0499… as a float: ROUND(a/b*100,1) gives 7.0, the written form gives 7.1 like numbers.rate."""
    cases = [(141, 2000), (181, 2000), (206, 4000), (-141, 2000), (1, 16), (999_995, 1_000_000), (2, 3)]
    rows = tuple(
        Row(
            (
                Cell("x"),
                Cell("", b, "amount"),
                Cell("", s, "amount"),
                Cell("", rate(s, b, 1), "rate", "rate:spent/budget_current"),
            )
        )
        for s, b in cases
    )
    table = Table(
        "settlement",
        "",
        None,
        (tuple(Cell(h) for h in ("a", "b", "c", "d")),),
        rows,
        ("name", "budget_current", "spent", "rate"),
    )
    path = tmp_path / "halves.xlsx"
    xlsx.write(Document("t", None, None, (table,)), path)
    values = recalculate(path)
    got = [values[("결산", f"D{4 + i}")] for i in range(len(cases))]
    assert got == [rate(s, b, 1) for s, b in cases]


# ----------------------------------------------------------------------------- other reports


@pytest.mark.parametrize("name", ["clean_culture_2021.txt"])
def test_fixture_report_recalculates_exactly(name: str, tmp_path: Path) -> None:
    settlement = load_any(FIXTURES / name).settlement
    doc = build_document(settlement, charts=False)
    path = tmp_path / "fixture.xlsx"
    xlsx.write(doc, path, settlement=settlement)
    values = recalculate(path)
    cells = sheet_cells(doc, path)
    assert [
        (s, ref, c.text, values.get((s, ref)))
        for s, ref, _, _, _, c in cells
        if not agrees(values.get((s, ref)), c)
    ] == []


# ----------------------------------------------------------------------------- LibreOffice


@pytest.mark.slow
def test_libreoffice_recalculates_to_the_same_values(doc: Document, book: Path, tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) not installed")
    from openpyxl import load_workbook

    out = tmp_path / "out"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--calc",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(book),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    wb = load_workbook(out / book.name, data_only=True)
    sheets = {name.upper(): name for name in wb.sheetnames}
    cells = sheet_cells(doc, book)
    values = {(s, ref): _plain(wb[sheets[s]][ref].value) for s, ref, *_ in cells}
    assert [
        (s, ref, c.text, values[(s, ref)]) for s, ref, _, _, _, c in cells if not agrees(values[(s, ref)], c)
    ] == []


def test_writes_are_atomic(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import os

    target = tmp_path / "report.xlsx"
    target.write_bytes(b"previous")

    def fail(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        xlsx.save_bytes(target, b"new")
    assert target.read_bytes() == b"previous" and [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]
    monkeypatch.undo()
    xlsx.save_bytes(target, b"new")
    assert target.read_bytes() == b"new" and target.stat().st_mode & 0o777 == 0o644
