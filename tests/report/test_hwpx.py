"""HWPX writer: a valid OWPML package that python-hwpx re-reads with every figure of the data, and only those.

LibreOffice cannot open HWPX, so the package is verified by re-reading it (tables, text, styles, images).
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from gyeolsan.io import canonical
from gyeolsan.model import Settlement
from gyeolsan.model.numbers import format_number
from gyeolsan.report import hwpx as hwpx_writer
from gyeolsan.report.document import (
    Cell,
    Document,
    Figure,
    Heading,
    PageBreak,
    Paragraph,
    Row,
    Table,
    build_document,
)
from gyeolsan.report.xlsx import place

WRONG_AMOUNTS = (99_999_991, 88_888_881, 77_777_771, 66_666_661, 44_444_441, 33_333_331)
HP = "{http://www.hancom.co.kr/hwpml/2011/paragraph}"


def corrupted(settlement: Settlement) -> Settlement:
    """Wrong *stated* totals and rates (the writers must print computed ones)."""
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


def cells_of(table: Any) -> dict[tuple[int, int], tuple[str, Any]]:
    """{(row, col): (text, tc)} from the table's XML (logical addresses, merged cells at their anchor)."""
    out = {}
    for tc in table.element.iter(f"{HP}tc"):
        addr = tc.find(f"{HP}cellAddr")
        text = "\n".join("".join(t.text or "" for t in p.iter(f"{HP}t")) for p in tc.iter(f"{HP}p"))
        out[(int(addr.get("rowAddr")), int(addr.get("colAddr")))] = (text, tc)
    return out


def rows_by_name(table: Any) -> dict[str, dict[int, str]]:
    rows: dict[int, dict[int, str]] = {}
    for (r, c), (text, _) in cells_of(table).items():
        rows.setdefault(r, {})[c] = text
    return {row[0]: row for row in rows.values() if 0 in row}


@pytest.fixture(scope="module")
def settlement(sample: Settlement) -> Settlement:
    """The sample report, imported once per session (tests/report/conftest.py)."""
    return sample


@pytest.fixture(scope="module")
def doc(charted: Document) -> Document:
    return charted  # with charts


@pytest.fixture(scope="module")
def path(doc: Document, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hwpx") / "sample.hwpx"
    hwpx_writer.write(doc, out)
    return out


@pytest.fixture(scope="module")
def reread(path: Path) -> Any:
    from hwpx import HwpxDocument

    return HwpxDocument.open(str(path))


def test_package_is_valid_readable_and_world_readable(path: Path, reread: Any) -> None:
    from hwpx.tools.package_validator import validate_editor_open_safety

    assert reread.validate().issues == ()
    safety = validate_editor_open_safety(path)
    assert safety.reopen_ok and safety.blocking_package_errors == ()
    assert [i for i in safety.validate_package.issues if i.level == "error"] == []
    assert path.stat().st_mode & 0o777 == 0o644
    with zipfile.ZipFile(path) as z:
        assert z.read("mimetype") == b"application/hwp+zip"


def test_every_table_cell_is_printed_as_the_document_model_says(doc: Document, reread: Any) -> None:
    tables = reread.tables.all
    assert len(tables) == len(doc.tables())
    checked = 0
    for table, printed in zip(doc.tables(), tables, strict=True):
        cells = cells_of(printed)
        nhead = len(table.header)
        positions = [(p.row, p.col, p.cell) for b in place(table.header) for p in b]
        positions += [(nhead + p.row, p.col, p.cell) for b in place([r.cells for r in table.rows]) for p in b]
        for r, c, cell in positions:
            assert cells[(r, c)][0] == cell.text, (table.id, r, c)
            span = cells[(r, c)][1].find(f"{HP}cellSpan")
            assert (int(span.get("rowSpan")), int(span.get("colSpan"))) == (cell.rowspan, cell.colspan)
            checked += 1
    assert checked > 700


def test_plain_text_holds_every_settlement_figure(settlement: Settlement, doc: Document, reread: Any) -> None:
    text = reread.text.plain()
    table = doc.table("settlement")
    assert table is not None
    for row in table.rows:
        line = "\t".join(c.text for c in row.cells)
        assert line in text, line
    assert settlement.settlement is not None
    by_name = rows_by_name(reread.tables.all[doc.tables().index(table)])
    for division in settlement.settlement.divisions:
        leaves = [x for x in division.walk() if not x.children]
        expected = [
            format_number(sum(getattr(x, f) or 0 for x in leaves))
            for f in ("budget", "budget_current", "spent")
        ]
        assert [by_name[division.name][c] for c in (1, 2, 3)] == expected
    assert by_name["뉴미디어담당관"][4] == "96.2"  # the sample prints 96.3: a genuine mistake
    assert text.startswith("2018 회계연도 세입 · 세출 결산 업무보고")


def test_wrong_stated_figures_never_appear(settlement: Settlement, tmp_path: Path) -> None:
    from hwpx import HwpxDocument

    doc = build_document(corrupted(settlement), charts=False)
    out = tmp_path / "wrong.hwpx"
    hwpx_writer.write(doc, out)
    reread = HwpxDocument.open(str(out))
    text = reread.text.plain()
    for wrong in WRONG_AMOUNTS:
        assert f"{wrong:,}" not in text and str(wrong) not in text
    by_name = rows_by_name(reread.tables.all[doc.tables().index(doc.table("settlement"))])
    assert by_name["합 계"][1] == "47,810,398" and by_name["합 계"][4] == "96.7"
    assert by_name["시민소통담당관"][3] == "11,985,831" and by_name["시민소통담당관"][4] == "94.7"


def test_tables_flow_with_repeated_shaded_headers_right_aligned_numbers_and_bold_rows(
    doc: Document, reread: Any
) -> None:
    table = doc.table("next_year")
    assert table is not None
    printed = reread.tables.all[doc.tables().index(table)]
    assert printed.element.get("repeatHeader") == "1"
    assert printed.element.find(f"{HP}pos").get("treatAsChar") == "0"  # breaks across pages
    cells = cells_of(printed)
    for (r, _), (_, tc) in cells.items():
        assert (tc.get("header") == "1") == (r < len(table.header))
    assert reread.styles.border_fill_info(cells[(0, 0)][1].get("borderFillIDRef")).fill == "#D9D9D9"
    index = next(i for i, r in enumerate(table.rows) if r.cells[0].text == "시민소통담당관")
    row = len(table.header) + index

    def para_and_run(r: int, c: int) -> tuple[Any, Any]:
        p = next(cells[(r, c)][1].iter(f"{HP}p"))
        return (
            reread.styles.paragraph_property(p.get("paraPrIDRef")),
            reread.styles.char_property(next(p.iter(f"{HP}run")).get("charPrIDRef")),
        )

    prop, run = para_and_run(row, 1)
    assert prop.align.horizontal == "RIGHT" and "bold" in run.child_attributes
    prop, run = para_and_run(row + 2, 0)
    assert prop.align.horizontal != "RIGHT" and "bold" not in run.child_attributes
    assert int(cells[(0, 3)][1].find(f"{HP}cellSpan").get("colSpan")) == 2  # '2018년 대비'


def test_page_is_a4_portrait_with_page_numbers(path: Path, reread: Any) -> None:
    size = reread.page.size()
    assert abs(size.width - 59528) < 30 and abs(size.height - 84189) < 30  # 210 × 297 mm in HWPUNIT
    with zipfile.ZipFile(path) as z:
        section = z.read("Contents/section0.xml").decode()
    assert "<hp:pageNum" in section


def test_charts_are_embedded_as_the_figures_pngs(doc: Document, path: Path, reread: Any) -> None:
    figures = doc.figures()
    if not figures:
        pytest.skip("no charts in this document")
    assert len(reread.media.images) == len(figures)
    with zipfile.ZipFile(path) as z:
        stored = {hashlib.sha256(z.read(n)).hexdigest() for n in z.namelist() if n.startswith("BinData/")}
    assert {hashlib.sha256(f.png).hexdigest() for f in figures} == stored
    text = reread.text.plain()
    assert all(f.title in text for f in figures)


def test_hand_made_blocks(tmp_path: Path) -> None:
    from hwpx import HwpxDocument
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (400, 200), "white").save(buf, format="PNG")
    assert hwpx_writer.png_size(buf.getvalue()) == (400, 200)
    assert hwpx_writer.png_size(b"not a png") == (4, 3)
    table = Table(
        id="t",
        caption="표",
        unit="천원",
        header=((Cell("구분", rowspan=2), Cell("금액", colspan=2)), (Cell("전년"), Cell("당해"))),
        rows=(
            Row((Cell("계"), Cell("△24,802", -24_802, "amount"), Cell("-", None, "amount")), bold=True),
            Row((Cell("여러\n줄"), Cell("1", 1, "amount"), Cell("2", 2, "amount")), level=2),
        ),
        columns=("name", "previous", "current"),
    )
    blocks = (
        Heading(1, "Ⅰ. 제목"),
        Paragraph("항목", "bullet", 1),
        PageBreak(),
        Paragraph("※ 주석", "note"),
        table,
        Figure("f", "그림 제목", buf.getvalue(), alt="대체 텍스트"),
    )
    out = tmp_path / "t.hwpx"
    hwpx_writer.write(Document("문서", "기관", "2019. 6. 17.", blocks), out)
    reread = HwpxDocument.open(str(out))
    assert reread.validate().issues == ()
    text = reread.text.plain()
    for piece in ("문서", "기관", "Ⅰ. 제목", "- 항목", "※ 주석", "그림 제목", "△24,802"):
        assert piece in text
    cells = cells_of(reread.tables.all[0])
    assert cells[(3, 0)][0] == "여러\n줄" and cells[(2, 2)][0] == "-"
    assert int(cells[(0, 0)][1].find(f"{HP}cellSpan").get("rowSpan")) == 2
    assert len(reread.media.images) == 1
    with zipfile.ZipFile(out) as z:
        section = z.read("Contents/section0.xml").decode()
    assert section.count('pageBreak="1"') == 2  # after the cover, and the PageBreak block
    assert reread.parts.metadata.title == "문서"


def test_an_invalid_package_is_never_written(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from hwpx import HwpxDocument
    from hwpx.opc.package import HwpxPackageError

    def refuse(self: Any) -> bytes:
        raise HwpxPackageError("Generated HWPX package failed open-safety validation: test")

    monkeypatch.setattr(HwpxDocument, "to_bytes", refuse)
    out = tmp_path / "bad.hwpx"
    with pytest.raises(hwpx_writer.HwpxValidationError, match="HWPX 검증 실패"):
        hwpx_writer.write(Document("문서", None, None, (Paragraph("본문"),)), out)
    assert list(tmp_path.iterdir()) == []
