"""HTML: standalone, printable, accessible (lang, captions, th scope, alt text), Korean font stack."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from gyeolsan.report import html
from gyeolsan.report.document import Document, Paragraph

VOID = {"meta", "img", "br", "col", "link", "hr", "input"}


class Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tables = 0
        self.captions = 0
        self.th_without_scope = 0
        self.images: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table":
            self.tables += 1
        if tag == "caption":
            self.captions += 1
        if tag == "th" and a.get("scope") not in ("col", "row"):
            self.th_without_scope += 1
        if tag == "img":
            self.images.append(a)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> but open {self.stack[-3:]}")
            return
        self.stack.pop()


def check(text: str) -> Checker:
    c = Checker()
    c.feed(text)
    c.close()
    return c


@pytest.fixture(scope="module")
def page_html(charted: Document) -> str:
    return html.render(charted)


def test_well_formed_and_accessible(page_html: str) -> None:
    c = check(page_html)
    assert c.errors == [] and c.stack == []
    assert c.tables == c.captions == 8
    assert c.th_without_scope == 0
    assert len(c.images) == 4 and all((img.get("alt") or "").strip() for img in c.images)
    assert all((img.get("src") or "").startswith("data:image/svg+xml;base64,") for img in c.images)
    assert '<html lang="ko">' in page_html and '<meta charset="utf-8">' in page_html
    assert len(re.findall(r"<h1>", page_html)) == 1  # one document title; chapters are h2


def test_standalone_and_printable(page_html: str) -> None:
    assert (
        "http://" not in page_html.replace("http://www.w3.org", "") and "https://" not in page_html
    )  # nothing fetched
    assert 'font-family: "NanumGothic"' in page_html
    assert "thead { display: table-header-group; }" in page_html and "page-break-inside: avoid" in page_html
    assert "@page { size: A4" in page_html and "counter(page)" in page_html


def test_text_is_escaped() -> None:
    doc = Document(title="<제목 & 표>", office=None, date=None, blocks=(Paragraph("a < b & c", "bullet"),))
    page = html.render(doc)
    assert "&lt;제목 &amp; 표&gt;" in page and "<li>a &lt; b &amp; c</li>" in page
    assert check(page).errors == []


def test_nested_bullets() -> None:
    items = [
        Paragraph("a", "bullet", 0),
        Paragraph("b", "bullet", 1),
        Paragraph("c", "bullet", 3),
        Paragraph("d", "bullet", 0),
    ]
    out = html.bullet_list(items)
    assert out == (
        '<ul class="l0"><li>a<ul class="l1"><li>b<ul class="l1"><li>c</li></ul></li></ul></li><li>d</li></ul>'
    )
    assert check(out).errors == []


def test_bold_rows_and_levels(page_html: str) -> None:
    assert '<tr class="lv1 bold" data-key="settlement/뉴미디어담당관">' in page_html
    assert '<td class="num">96.2</td>' in page_html
