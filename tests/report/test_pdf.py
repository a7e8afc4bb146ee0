"""PDF: A4, NanumGothic embedded, page numbers, headers repeated, every settlement figure printed."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from gyeolsan.report import pdf
from gyeolsan.report.document import Document

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed"),
]


@pytest.fixture(scope="module")
def pdf_file(charted: Document, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "sample.pdf"
    pdf.write(charted, path)
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
