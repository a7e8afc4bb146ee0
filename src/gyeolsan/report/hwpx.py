"""HWPX writer (python-hwpx 6.9): the report in the format Korean government offices edit (한컴오피스).

A4 portrait, 20 mm margins, page numbers "- N -" in the footer. Headings are bold paragraphs in
larger type rather than the 개요 styles: 개요 styles number themselves ("1.", "가.") and the report's
headings already carry their own numbers (Ⅰ., 1., ①, □). Tables flow across pages (not "글자처럼
취급"), their header rows are marked as 제목 행 and repeat on every page, header cells are shaded,
numbers are right-aligned, division and total rows bold. Charts are embedded pictures (Figure.png)
with their title as a caption line. Fonts are the Hancom defaults (함초롬돋움/함초롬바탕), which every
한컴오피스 installation has. python-hwpx checks the package before it is written (``validate()``, package
structure, re-open), so an invalid package is never written.
"""

from __future__ import annotations

import struct
from collections import defaultdict
from pathlib import Path
from typing import Any

from gyeolsan.report.document import Cell, Document, Figure, Heading, PageBreak, Paragraph, Table
from gyeolsan.report.docx import repeats_heading
from gyeolsan.report.xlsx import column_count, place, save_bytes

HEADER_FILL = "#D9D9D9"
TOTAL_FILL = "#F2F2F2"
TEXT_WIDTH_MM = 170.0  # A4 (210 mm) less 2 × 20 mm margins
HWPUNIT_PER_MM = 7200 / 25.4
HEADING_SIZES = {1: 16, 2: 13, 3: 12, 4: 11}
BULLETS = ("○", "-", "·", "▸")
_MARKERS = "○●◦◎□■▪▫-–·∙•※▶▷▸►①②③④⑤⑥⑦⑧⑨⑩*"


class HwpxValidationError(RuntimeError):
    """python-hwpx found the package invalid (an OWPML schema problem): nothing is written."""


def render(doc: Document) -> bytes:
    """The report as HWPX bytes (validated OWPML package)."""
    from hwpx import HwpxDocument

    out = HwpxDocument.new()
    out.page.setup(
        paper_size="A4",
        orientation="PORTRAIT",
        margin_left_mm=20,
        margin_right_mm=20,
        margin_top_mm=20,
        margin_bottom_mm=15,
        header_margin_mm=10,
        footer_margin_mm=10,
    )
    out.page.set_page_number(format="page", prefix="- ", suffix=" -")
    writer = _Writer(out)
    writer.cover(doc)
    previous: object = None
    for block in doc.blocks:
        writer.block(block, previous)
        previous = block
    writer.finish()
    out.parts.set_document_metadata(
        title=doc.title, creator="gyeolsan", subject=doc.office or "", keyword="결산"
    )
    from hwpx.errors import HwpxError
    from hwpx.opc.package import HwpxPackageError

    try:  # to_bytes runs python-hwpx's editor-open safety check: validate(), package checks, re-open
        return bytes(out.to_bytes())
    except (HwpxError, HwpxPackageError) as exc:
        raise HwpxValidationError(f"HWPX 검증 실패 / invalid HWPX package: {exc}") from exc


def write(doc: Document, path: Path) -> None:
    """Write atomically, mode 0644 (python-hwpx's own ``save_to_path`` leaves 0600)."""
    save_bytes(Path(path), render(doc))


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) in pixels from a PNG header; (4, 3) when it is not a PNG."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        if width and height:
            return width, height
    return 4, 3


class _Writer:
    """Adds blocks to an ``HwpxDocument``; paragraph formats are applied in bulk at the end."""

    def __init__(self, out: Any) -> None:
        self.out = out
        self.formats: dict[tuple[tuple[str, Any], ...], list[Any]] = defaultdict(list)
        self.break_next = False
        self.first = True
        self.styles: dict[tuple[bool, float | None], str] = {}
        self.fills: dict[str, str] = {}

    # --- helpers

    def char(self, *, bold: bool = False, size: float | None = None) -> str:
        key = (bold, size)
        if key not in self.styles:
            self.styles[key] = self.out.styles.ensure_run(bold=bold, size=size)
        return self.styles[key]

    def fmt(self, paragraph: Any, **settings: Any) -> None:
        self.formats[tuple(sorted(settings.items()))].append(paragraph)

    def paragraph(self, text: str, *, bold: bool = False, size: float | None = None) -> Any:
        if self.first:  # the template's first paragraph holds the section settings: write into it
            para = self.out.paragraphs[0]
            para.text = text
            self.first = False
        else:
            para = self.out.add_paragraph(text, inherit_style=False)
        if bold or size:
            style = self.char(bold=bold, size=size)
            for run in para.runs:
                run.char_pr_id_ref = style
        self._page_break(para)
        return para

    def _page_break(self, para: Any) -> None:
        if self.break_next:
            para.element.set("pageBreak", "1")
            self.break_next = False

    # --- blocks

    def cover(self, doc: Document) -> None:
        title = self.paragraph(doc.title, bold=True, size=22)
        self.fmt(title, alignment="CENTER", spacing_before_pt=200, spacing_after_pt=24)
        if doc.date:
            self.fmt(self.paragraph(doc.date, size=14), alignment="CENTER", spacing_before_pt=120)
        if doc.office:
            self.fmt(self.paragraph(doc.office, bold=True, size=16), alignment="CENTER", spacing_before_pt=24)
        self.break_next = True

    def block(self, block: object, previous: object = None) -> None:
        if isinstance(block, Heading):
            level = min(max(block.level, 1), 4)
            para = self.paragraph(block.text, bold=True, size=HEADING_SIZES[level])
            self.fmt(para, keep_with_next=True, spacing_before_pt=12 if level <= 2 else 6, spacing_after_pt=4)
        elif isinstance(block, Paragraph):
            self.text(block)
        elif isinstance(block, Table):
            self.table(block, caption=not repeats_heading(block, previous))
        elif isinstance(block, Figure):
            self.figure(block)
        elif isinstance(block, PageBreak):
            self.break_next = True

    def text(self, block: Paragraph) -> None:
        text = block.text
        if block.style == "bullet":
            if text[:1] not in _MARKERS:
                text = f"{BULLETS[min(block.level, len(BULLETS) - 1)]} {text}"
            para = self.paragraph(text)
            self.fmt(para, indent_left_mm=4.0 * (block.level + 1), first_line_indent_mm=-3.0)
        elif block.style == "note":
            para = self.paragraph(text, size=9)
            self.fmt(para, indent_left_mm=4.0 * block.level)
        elif block.style == "headline":
            self.fmt(self.paragraph(text, bold=True), spacing_before_pt=6, spacing_after_pt=4)
        elif block.style == "lead":
            self.fmt(self.paragraph(text, bold=True, size=11), spacing_before_pt=6, keep_with_next=True)
        else:
            self.paragraph(text)

    def caption(self, table: Table, *, title: bool) -> None:
        text = (table.caption if title else "") + (f"    (단위: {table.unit})" if table.unit else "")
        if text.strip():
            self.fmt(self.paragraph(text.strip(), bold=True), keep_with_next=True, spacing_before_pt=6)

    def fill(self, color: str | None) -> str:
        """A cell border fill: thin black borders, optional background (ids are shared)."""
        key = color or ""
        if key not in self.fills:
            self.fills[key] = self.out.styles.ensure_border_fill(border_color="#000000", fill_color=color)
        return self.fills[key]

    def table(self, table: Table, *, caption: bool = True) -> None:
        self.caption(table, title=caption)
        ncols = column_count(table)
        nhead = len(table.header)
        nrows = max(nhead + len(table.rows), 1)
        width = round(TEXT_WIDTH_MM * HWPUNIT_PER_MM)
        grid = self.out.add_table(nrows, ncols, width=width, border_fill_id_ref=self.fill(None))
        if getattr(grid, "paragraph", None) is not None:
            self._page_break(grid.paragraph)
        grid.set_treat_as_char(False)  # a flowing table breaks across pages between rows
        grid.element.set("repeatHeader", "1" if nhead else "0")
        weights = list(table.widths[:ncols]) if len(table.widths) >= ncols else []
        if weights and sum(weights) > 0:
            grid.set_column_widths(weights)
        cells = [row.cells for row in grid.rows]  # physical = logical until the merges at the end
        size = 8 if ncols > 8 else 9
        merges: list[tuple[int, int, int, int]] = []
        for block in place(table.header):
            for p in block:
                self.cell(cells[p.row][p.col], p.cell, header=True, bold=True, level=0, size=size, col=p.col)
                if p.cell.colspan > 1 or p.cell.rowspan > 1:
                    merges.append((p.row, p.col, p.row + p.cell.rowspan - 1, p.col + p.cell.colspan - 1))
        for r in range(nhead):
            for tc in cells[r]:
                tc.element.set("header", "1")  # 제목 행: repeated on every page
                tc.element.set("borderFillIDRef", self.fill(HEADER_FILL))
        for block in place([r.cells for r in table.rows]):
            for p in block:
                row = table.rows[p.row]
                r = nhead + p.row
                target = cells[r][p.col]
                self.cell(target, p.cell, header=False, bold=row.bold, level=row.level, size=size, col=p.col)
                if row.bold and row.level == 0:
                    target.element.set("borderFillIDRef", self.fill(TOTAL_FILL))
                if p.cell.colspan > 1 or p.cell.rowspan > 1:
                    merges.append((r, p.col, r + p.cell.rowspan - 1, p.col + p.cell.colspan - 1))
        for merge in sorted(merges, reverse=True):  # from the bottom right: earlier addresses stay valid
            grid.merge_cells(*merge)

    def cell(
        self, tc: Any, cell: Cell, *, header: bool, bold: bool, level: int, size: float, col: int
    ) -> None:
        tc.set_text(cell.text, split_paragraphs="\n" in cell.text)
        style = self.char(bold=bold, size=size)
        for para in tc.paragraphs:
            for run in para.runs:
                run.char_pr_id_ref = style
            if header:
                self.fmt(para, alignment="CENTER")
            elif cell.kind != "text":
                self.fmt(para, alignment="RIGHT")
            elif col == 0 and level > 1:
                self.fmt(para, indent_left_mm=2.0 * (level - 1))

    def figure(self, block: Figure) -> None:
        width_px, height_px = png_size(block.png)
        width_mm = 150.0
        height_mm = round(width_mm * height_px / width_px, 1)
        pic = self.out.add_picture(block.png, "png", width_mm=width_mm, height_mm=height_mm, align="CENTER")
        holder = getattr(pic, "paragraph", None)
        if holder is not None:
            self._page_break(holder)
            self.fmt(holder, alignment="CENTER", keep_with_next=True)
        self.fmt(self.paragraph(block.title, bold=True, size=9), alignment="CENTER", spacing_after_pt=6)

    def finish(self) -> None:
        """Apply each paragraph format once, then point the other paragraphs at the resulting paraPr."""
        for settings, paragraphs in self.formats.items():
            by_base: dict[str, list[Any]] = defaultdict(list)
            for para in paragraphs:
                by_base[str(para.para_pr_id_ref)].append(para)
            for group in by_base.values():
                self.out.styles.apply_paragraph_format(paragraphs=group[:1], **dict(settings))
                for para in group[1:]:
                    para.para_pr_id_ref = group[0].para_pr_id_ref
