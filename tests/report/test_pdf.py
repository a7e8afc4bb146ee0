"""PDF, both engines (Typst, the default, and WeasyPrint): A4, NanumGothic embedded, page numbers,
chapter running head, headers repeated, every settlement figure printed, charts as vector text."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from gyeolsan.report import pdf
from gyeolsan.report.document import Cell as C
from gyeolsan.report.document import Document, Heading, Paragraph, Row, Table

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed"),
]


@pytest.fixture(scope="module", params=pdf.ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def pdf_file(charted: Document, engine: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / f"sample-{engine}.pdf"
    pdf.write(charted, path, engine=engine)
    return path


def poppler(*args: str) -> str:
    return subprocess.run(list(args), capture_output=True, text=True, check=True).stdout


def page_texts(path: Path) -> list[str]:
    return poppler("pdftotext", "-layout", str(path), "-").split("\f")[:-1]


def test_every_settlement_figure_is_in_the_pdf(charted: Document, pdf_file: Path) -> None:
    text = poppler("pdftotext", "-layout", str(pdf_file), "-")
    table = charted.table("settlement")
    assert table is not None
    figures = [c.text for r in table.rows for c in r.cells[1:]]
    assert len(figures) == 48 * 4
    tokens = set(re.findall(r"[△\d][\d,.]*|-", text))
    missing = [f for f in figures if f not in tokens]
    assert missing == []
    assert "5,623,264" in text and "96.2" in text  # computed, not the stated 5,623,262 / 96.3


def test_korean_font_is_embedded(pdf_file: Path) -> None:
    fonts = poppler("pdffonts", str(pdf_file)).splitlines()[2:]
    nanum = [ln for ln in fonts if "NanumGothic" in ln]
    assert nanum, fonts
    for line in nanum:
        columns = line.split()
        assert "yes" in columns[-5:-3], line  # emb, sub
    assert all("Identity-H" in ln for ln in nanum)


def test_a4_pages_with_numbers(pdf_file: Path) -> None:
    info = poppler("pdfinfo", str(pdf_file))
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    assert 15 <= pages <= 40
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+", info)
    texts = page_texts(pdf_file)
    assert len(texts) == pages
    for n, page in enumerate(texts, start=1):
        assert f"{n} / {pages}" in page


def test_table_header_repeats_on_every_page(charted: Document, pdf_file: Path) -> None:
    table = charted.table("settlement")
    assert table is not None
    spent = {r.cells[3].text for r in table.rows if r.level >= 2}  # not in the section IV table
    pages = [p for p in page_texts(pdf_file) if sum(1 for s in spent if s in p) >= 3]
    assert len(pages) >= 2  # the settlement table spans pages
    assert all("부서/사업명" in p and "집행률(%)" in p for p in pages)


def test_charts_are_vector_with_text(pdf_file: Path) -> None:
    text = poppler("pdftotext", str(pdf_file), "-")
    assert "부서별 집행률 (집행액 ÷ 예산현액)" in text  # SVG text, not a bitmap
    assert "세입 징수결정액과 수납액" in text


def test_chapter_is_the_running_head(charted: Document, pdf_file: Path) -> None:
    chapters = [b.text for b in charted.blocks if isinstance(b, Heading) and b.level == 1]
    assert len(chapters) == 4
    texts = page_texts(pdf_file)
    assert not any(c in texts[0] for c in chapters)  # not on the cover
    for chapter in chapters:
        starts = next(n for n, t in enumerate(texts) if chapter in t)
        # a chapter that starts on a page names it at the top, above its own heading
        assert texts[starts].lstrip().startswith(chapter), texts[starts][:200]
    last = texts[-1].lstrip()
    assert last.startswith(chapters[-1])  # carried over to the pages that follow


def test_text_is_printed_literally(engine: str, tmp_path: Path) -> None:
    """Text is data, never markup: Typst syntax, HTML and Markdown escapes print as written."""
    tricky = "#set page(width: 1cm) $x^2$ *굵게* _기울임_ <b>태그</b> @ref [괄호] \\ 끝"
    doc = Document(
        title="제목 #1 [시험]",
        office="부서 <a>",
        date="2019. 6. 17.",
        blocks=(
            Heading(1, "I. 일반현황 = 제목 아님"),
            Paragraph(tricky),
            Paragraph("- 목록 아님 / + 이것도", "bullet", 1),
            Table(
                id="t",
                caption="표 #제목",
                unit="천원",
                header=((C("이름"), C("금액")),),
                rows=(Row((C("합 계 $"), C("△1,234", -1234, "amount")), level=0, bold=True),),
            ),
        ),
    )
    target = tmp_path / "tricky.pdf"
    pdf.write(doc, target, engine=engine)
    text = poppler("pdftotext", str(target), "-")
    for expected in (
        "$x^2$",
        "*굵게*",
        "_기울임_",
        "<b>태그</b>",
        "@ref",
        "[괄호]",
        "#set page",
        "△1,234",
        "표 #제목",
    ):
        assert expected in text, expected
    assert "제목 #1 [시험]" in text and "I. 일반현황 = 제목 아님" in text


def test_unknown_engine_is_refused(charted: Document) -> None:
    with pytest.raises(ValueError, match="unknown PDF engine"):
        pdf.render(charted, engine="latex")


def test_typst_pdf_is_tagged(charted: Document, tmp_path: Path) -> None:
    """Typst writes a tagged PDF (structure for screen readers; the charts carry their alt text)."""
    target = tmp_path / "tagged.pdf"
    pdf.write(charted, target, engine="typst")
    assert re.search(r"Tagged:\s+yes", poppler("pdfinfo", str(target)))
    data = target.read_bytes()
    assert b"/StructTreeRoot" in data
    assert data.count(b"/Alt") >= len(charted.figures()) == 4  # each chart's alt text
    assert b"/Outlines" in data  # headings as bookmarks
