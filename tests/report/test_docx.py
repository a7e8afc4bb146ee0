"""DOCX writer: re-read with python-docx, the document holds every figure of the data and only those."""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from gyeolsan.io import canonical
from gyeolsan.model import Settlement
from gyeolsan.model.numbers import format_number
from gyeolsan.report import docx as docx_writer
from gyeolsan.report.document import Cell, Document, Figure, Heading, Paragraph, Row, Table, build_document
from gyeolsan.report.xlsx import place

WRONG_AMOUNTS = (99_999_991, 88_888_881, 77_777_771, 66_666_661, 44_444_441, 33_333_331)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


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


def grid(table: Any) -> dict[tuple[int, int], tuple[str, Any]]:
    """{(row, col): (text, tc)} of the cells that start at a grid position (merge continuations left out)."""
    out = {}
    for r, tr in enumerate(table._tbl.tr_lst):
        col = 0
        for tc in tr.tc_lst:
            if tc.vMerge != "continue":
                text = "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in tc.iter(f"{W}p"))
                out[(r, col)] = (text, tc)
            col += tc.grid_span
    return out


def all_text(document: Any) -> str:
    return "\n".join(t.text or "" for t in document.element.body.iter(f"{W}t"))


@pytest.fixture(scope="module")
def settlement(sample: Settlement) -> Settlement:
    """The sample report, imported once per session (tests/report/conftest.py)."""
    return sample


@pytest.fixture(scope="module")
def doc(charted: Document) -> Document:
    return charted  # with charts


@pytest.fixture(scope="module")
def path(doc: Document, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docx") / "sample.docx"
    docx_writer.write(doc, out)
    return out


@pytest.fixture(scope="module")
def reread(path: Path) -> Any:
    import docx

    return docx.Document(str(path))


def test_every_table_cell_is_printed_as_the_document_model_says(doc: Document, reread: Any) -> None:
    assert len(reread.tables) == len(doc.tables())
    checked = 0
    for table, printed in zip(doc.tables(), reread.tables, strict=True):
        cells = grid(printed)
        nhead = len(table.header)
        positions = [(p.row, p.col, p.cell) for b in place(table.header) for p in b]
        positions += [(nhead + p.row, p.col, p.cell) for b in place([r.cells for r in table.rows]) for p in b]
        for r, c, cell in positions:
            assert cells[(r, c)][0] == cell.text, (table.id, r, c)
            checked += 1
    assert checked > 700


def test_settlement_figures_come_from_the_leaves(settlement: Settlement, reread: Any) -> None:
    table = next(t for t in reread.tables if grid(t)[(0, 0)][0] == "부서/사업명")
    rows = {}
    for (r, c), (text, _) in grid(table).items():
        rows.setdefault(r, {})[c] = text
    by_name = {row[0]: row for row in rows.values()}
    assert settlement.settlement is not None
    for division in settlement.settlement.divisions:
        leaves = [x for x in division.walk() if not x.children]
        expected = [
            format_number(sum(getattr(x, f) or 0 for x in leaves))
            for f in ("budget", "budget_current", "spent")
        ]
        assert [by_name[division.name][c] for c in (1, 2, 3)] == expected, division.name
    assert [by_name["합 계"][c] for c in range(1, 5)] == ["47,810,398", "48,622,861", "47,025,374", "96.7"]
    assert by_name["뉴미디어담당관"][4] == "96.2"  # printed 96.3 in the sample: a genuine mistake


def test_wrong_stated_figures_never_appear(settlement: Settlement, tmp_path: Path) -> None:
    import docx

    doc = build_document(corrupted(settlement), charts=False)
    out = tmp_path / "wrong.docx"
    docx_writer.write(doc, out)
    text = all_text(docx.Document(str(out)))
    for wrong in WRONG_AMOUNTS:
        assert f"{wrong:,}" not in text and str(wrong) not in text
    table = next(t for t in docx.Document(str(out)).tables if grid(t)[(0, 0)][0] == "부서/사업명")
    rows = {}
    for (r, c), (value, _) in grid(table).items():
        rows.setdefault(r, {})[c] = value
    by_name = {row[0]: row for row in rows.values()}
    assert by_name["합 계"][1] == "47,810,398" and by_name["합 계"][4] == "96.7"
    assert by_name["시민소통담당관"][3] == "11,985,831" and by_name["시민소통담당관"][4] == "94.7"


def test_fonts_are_nanumgothic_in_the_east_asian_slot(reread: Any) -> None:
    from docx.oxml.ns import qn

    for name in ("Normal", "Heading 1", "Heading 2", "Heading 3", "Heading 4"):
        fonts = reread.styles[name].element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) == "NanumGothic", name
        assert fonts.get(qn("w:ascii")) == "NanumGothic", name
        assert fonts.get(qn("w:asciiTheme")) is None and fonts.get(qn("w:eastAsiaTheme")) is None, name


def test_page_is_a4_with_margins_and_page_numbers(reread: Any) -> None:
    from docx.shared import Cm

    section = reread.sections[0]
    assert abs(section.page_width - Cm(21)) < Cm(0.01) and abs(section.page_height - Cm(29.7)) < Cm(0.01)
    for margin in (section.left_margin, section.right_margin, section.top_margin, section.bottom_margin):
        assert abs(margin - Cm(2)) < Cm(0.01)
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml and "fldChar" in footer_xml


def test_tables_have_repeated_shaded_headers_right_aligned_numbers_and_bold_divisions(
    doc: Document, reread: Any
) -> None:
    table = doc.table("next_year")
    assert table is not None
    printed = reread.tables[doc.tables().index(table)]
    trs = printed._tbl.tr_lst
    for r, tr in enumerate(trs):
        is_header = tr.find(f"{W}trPr/{W}tblHeader") is not None
        assert is_header == (r < len(table.header)), r
        assert tr.find(f"{W}trPr/{W}cantSplit") is not None
    cells = grid(printed)
    header_tc = cells[(0, 0)][1]
    assert header_tc.find(f"{W}tcPr/{W}shd").get(f"{W}fill") == "D9D9D9"
    index = next(i for i, r in enumerate(table.rows) if r.cells[0].text == "시민소통담당관")
    row = len(table.header) + index
    number_tc = cells[(row, 1)][1]
    assert number_tc.find(f".//{W}jc").get(f"{W}val") == "right"
    assert all(r.find(f"{W}rPr/{W}b") is not None for r in number_tc.iter(f"{W}r"))
    leaf_tc = cells[(row + 2, 0)][1]
    assert leaf_tc.find(f".//{W}rPr/{W}b").get(f"{W}val") in ("0", "false")
    assert cells[(0, 3)][1].find(f"{W}tcPr/{W}gridSpan").get(f"{W}val") == "2"  # '2018년 대비' over 2 columns


def test_charts_are_embedded_as_the_figures_pngs(doc: Document, path: Path) -> None:
    import zipfile

    figures = doc.figures()
    if not figures:
        pytest.skip("no charts in this document")
    with zipfile.ZipFile(path) as z:
        media = {hashlib.sha256(z.read(n)).hexdigest() for n in z.namelist() if n.startswith("word/media/")}
    assert {hashlib.sha256(f.png).hexdigest() for f in figures} <= media


def test_hand_made_blocks(tmp_path: Path) -> None:
    import docx
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (400, 200), "white").save(buf, format="PNG")
    table = Table(
        id="t",
        caption="표",
        unit="천원",
        header=((Cell("구분"), Cell("금액")),),
        rows=(Row((Cell("계"), Cell("△24,802", -24_802, "amount")), bold=True),),
        columns=("name", "budget"),
    )
    blocks = (
        Heading(1, "Ⅰ. 제목"),
        Paragraph("항목", "bullet", 1),
        Paragraph("○ 이미 표시", "bullet"),
        Paragraph("※ 주석", "note"),
        table,
        Figure("f", "그림 제목", buf.getvalue(), alt="대체 텍스트"),
    )
    out = tmp_path / "t.docx"
    docx_writer.write(Document("문서", "기관", "2019. 6. 17.", blocks, {"source": "x"}), out)
    assert out.stat().st_mode & 0o777 == 0o644
    reread = docx.Document(str(out))
    texts = [p.text for p in reread.paragraphs]
    assert "문서" in texts and "기관" in texts and "- 항목" in texts and "○ 이미 표시" in texts
    assert "그림 제목" in texts and len(reread.inline_shapes) == 1
    assert 'descr="대체 텍스트"' in reread.element.xml
    assert grid(reread.tables[0])[(1, 1)][0] == "△24,802"
    assert reread.core_properties.title == "문서"


@pytest.mark.slow
def test_libreoffice_renders_the_docx_with_hangul(path: Path, tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice or poppler not installed")
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "sample.pdf"
    if not pdf.exists():
        pytest.skip(
            f"LibreOffice Writer cannot convert DOCX here: {result.stderr.decode(errors='replace')[:200]}"
        )
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True
    ).stdout.decode()
    assert "47,810,398" in text and "시민소통담당관" in text
    assert re.search(r"^\s*-\s*2\s*-\s*$", text, re.MULTILINE)  # the page number field, page 2
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, check=True).stdout.decode()
    assert "NanumGothic" in fonts


def test_shading_is_in_schema_order(reread: Any) -> None:
    """w:shd before w:vAlign in cells and before w:spacing/w:jc in paragraphs (Word rejects other orders)."""
    shaded = 0
    for parent in reread.element.body.iter(f"{W}tcPr", f"{W}pPr"):
        names = [child.tag.rpartition("}")[2] for child in parent]
        if "shd" in names:
            shaded += 1
            later = {"vAlign", "tcMar", "noWrap", "spacing", "ind", "jc", "rPr", "tabs"}
            assert not later & set(names[: names.index("shd")]), names
    assert shaded > 50


def test_copied_formatting_keeps_text_and_belongs_to_each_paragraph(tmp_path: Path) -> None:
    """Paragraph and cell formats are built once per look and copied: every paragraph gets its own
    copy, and tabs, line breaks and edge spaces are written as python-docx writes them."""
    import docx

    table = Table(
        id="t",
        caption="표",
        unit=None,
        header=((Cell("구분"), Cell("금액")),),
        rows=(
            Row((Cell(" 앞뒤 공백 "), Cell("1", 1, "amount"))),
            Row((Cell("탭\t뒤"), Cell("여러\n줄")), level=2),
            Row((Cell("계"), Cell("2", 2, "amount")), bold=True),
        ),
        columns=("name", "budget"),
    )
    blocks = (Paragraph("첫 강조", "headline"), Paragraph("둘째 강조", "headline"), table)
    out = tmp_path / "t.docx"
    docx_writer.write(Document("문서", None, None, blocks), out)
    reread = docx.Document(str(out))
    cells = grid(reread.tables[0])
    assert [reread.tables[0].cell(r, 0).text for r in (1, 2)] == [" 앞뒤 공백 ", "탭\t뒤"]
    spaced = next(cells[(1, 0)][1].iter(f"{W}t"))
    assert spaced.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"
    assert [p.text for p in reread.tables[0].cell(2, 1).paragraphs] == ["여러", "줄"]
    assert cells[(2, 0)][1].find(f".//{W}ind") is not None  # level-2 name indented
    fills = [tc.find(f"{W}tcPr/{W}shd") for tc in (cells[(0, 0)][1], cells[(3, 0)][1], cells[(1, 0)][1])]
    assert [f.get(f"{W}fill") if f is not None else None for f in fills] == ["D9D9D9", "F2F2F2", None]
    headlines = [p for p in reread.paragraphs if p.text.endswith("강조")]
    assert len(headlines) == 2 and headlines[0]._p.pPr is not headlines[1]._p.pPr
    for p in headlines:
        assert p._p.pPr.find(f"{W}shd").get(f"{W}fill") == "F2F2F2" and p.runs[0].bold
