"""DOCX writer (python-docx): the report as a Word document.

A4 portrait, 20 mm margins, NanumGothic in the East Asian slot of every style (Word otherwise falls
back to a Latin font for Hangul), page numbers in the footer, tables with a shaded header row that
repeats on every page (``w:tblHeader``), rows that do not split across pages, right-aligned numbers,
bold division and total rows, charts as pictures (Figure.png).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gyeolsan.report.document import Document, Figure, Heading, PageBreak, Paragraph, Table
from gyeolsan.report.xlsx import column_count, place, save_bytes

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

FONT = "NanumGothic"
HEADER_FILL = "D9D9D9"
TOTAL_FILL = "F2F2F2"
TEXT_WIDTH_CM = 17.0  # A4 (21 cm) less 2 × 2 cm margins
HEADING_SIZES = {1: 16, 2: 13, 3: 12, 4: 11}
BULLETS = ("○", "-", "·", "▸")
_MARKERS = "○●◦◎□■▪▫-–·∙•※▶▷▸►①②③④⑤⑥⑦⑧⑨⑩*"


def render(doc: Document) -> bytes:
    """The report as DOCX bytes."""
    from docx import Document as new_document

    out = new_document()
    _styles(out)
    _page(out)
    _cover(out, doc)
    previous: object = None
    for block in doc.blocks:
        if isinstance(block, Heading):
            _heading(out, block)
        elif isinstance(block, Paragraph):
            _paragraph(out, block)
        elif isinstance(block, Table):
            _table(out, block, caption=not repeats_heading(block, previous))
        elif isinstance(block, Figure):
            _figure(out, block)
        elif isinstance(block, PageBreak):
            out.add_page_break()
        previous = block
    _properties(out, doc)
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()


def write(doc: Document, path: Path) -> None:
    save_bytes(Path(path), render(doc))


def repeats_heading(table: Table, previous: object) -> bool:
    """A caption that only repeats the heading right above the table is not printed twice."""
    return isinstance(previous, Heading) and previous.text.strip() == table.caption.strip()


# ----------------------------------------------------------------------------- styles and page


def set_font(style_or_run: Any, size: float | None = None, bold: bool | None = None) -> None:
    """NanumGothic in every slot (ascii, hAnsi, eastAsia), theme fonts removed so they cannot override it."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font = style_or_run.font
    font.name = FONT
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    r_pr = style_or_run.element.get_or_add_rPr()
    fonts = r_pr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def _styles(out: DocxDocument) -> None:
    from docx.shared import Pt, RGBColor

    normal = out.styles["Normal"]
    set_font(normal, 10)
    normal.paragraph_format.space_after = Pt(3)
    normal.paragraph_format.line_spacing = 1.15
    for level, size in HEADING_SIZES.items():
        style = out.styles[f"Heading {level}"]
        set_font(style, size, bold=True)
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.space_before = Pt(14 if level <= 2 else 8)
        style.paragraph_format.space_after = Pt(4)
        style.paragraph_format.keep_with_next = True
    for name in ("Title", "Caption", "Table Grid"):
        set_font(out.styles[name])


def _page(out: DocxDocument) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    section = out.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    section.footer_distance = Cm(1.0)
    section.different_first_page_header_footer = True  # no number on the cover
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("- ")
    _field(footer, "PAGE")
    footer.add_run(" -")
    for run in footer.runs:
        set_font(run, 9)


def _field(paragraph: Any, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) as begin/instr/separate/result/end runs."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str) -> Any:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        return el

    paragraph.add_run()._r.append(char("begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    paragraph.add_run()._r.append(char("separate"))
    paragraph.add_run("1")
    paragraph.add_run()._r.append(char("end"))


def _cover(out: DocxDocument, doc: Document) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    def line(text: str, size: float, bold: bool, before: float) -> None:
        p = out.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_before = Pt(before)
        set_font(p.add_run(text), size, bold)

    first = out.paragraphs[0] if out.paragraphs else None
    if first is not None and not first.text:
        first._element.getparent().remove(first._element)
    line(doc.title, 22, True, 180)
    if doc.date:
        line(doc.date, 14, False, 120)
    if doc.office:
        line(doc.office, 16, True, 24)
    out.add_page_break()


def _properties(out: DocxDocument, doc: Document) -> None:
    props = out.core_properties
    props.title = doc.title
    props.subject = doc.office or ""
    props.author = "gyeolsan"
    props.comments = "; ".join(f"{k}: {v}" for k, v in doc.meta.items())[:2000]
    props.keywords = "결산, 업무보고"


# ----------------------------------------------------------------------------- blocks


def _heading(out: DocxDocument, block: Heading) -> None:
    out.add_heading(block.text, level=min(max(block.level, 1), 4))


def _paragraph(out: DocxDocument, block: Paragraph) -> None:
    from docx.shared import Pt

    p = out.add_paragraph()
    text = block.text
    fmt = p.paragraph_format
    if block.style == "bullet":
        marker = BULLETS[min(block.level, len(BULLETS) - 1)]
        if text[:1] not in _MARKERS:
            text = f"{marker} {text}"
        fmt.left_indent = Pt(12 * (block.level + 1))
        fmt.first_line_indent = Pt(-10)
        fmt.space_after = Pt(1)
    elif block.style == "note":
        fmt.left_indent = Pt(12 * block.level)
    run = p.add_run(text)
    if block.style == "headline":
        run.bold = True
        fmt.space_before = Pt(6)
        _shade(p._p.get_or_add_pPr(), TOTAL_FILL)
    elif block.style == "lead":
        run.font.size = Pt(11)
        fmt.space_after = Pt(6)
    elif block.style == "note":
        run.font.size = Pt(9)


# Elements that follow w:shd in the schema's sequence (CT_PPr, CT_TcPr): Word rejects out-of-order children.
_AFTER_SHD = {
    "pPr": "tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
    "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
    "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "tcPr": "noWrap tcMar textDirection tcFitText vAlign hideMark headers cellIns cellDel cellMerge tcPrChange",
}


def _shade(parent: Any, fill: str) -> None:
    """Background ``fill`` on a paragraph or cell, w:shd placed where the schema wants it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for old in parent.findall(qn("w:shd")):
        parent.remove(old)
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    after = {qn(f"w:{name}") for name in _AFTER_SHD[parent.tag.rpartition("}")[2]].split()}
    successor = next((child for child in parent if child.tag in after), None)
    if successor is None:
        parent.append(shd)
    else:
        successor.addprevious(shd)


def _caption(out: DocxDocument, table: Table, *, title: bool = True) -> None:
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Cm, Pt

    p = out.add_paragraph()
    p.paragraph_format.space_before = Pt(6)
    p.paragraph_format.space_after = Pt(2)
    p.paragraph_format.keep_with_next = True
    if title:
        p.add_run(table.caption).bold = True
    if table.unit:
        p.paragraph_format.tab_stops.add_tab_stop(Cm(TEXT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT)
        unit = p.add_run(f"\t(단위: {table.unit})")
        unit.font.size = Pt(9)


def column_widths(table: Table, ncols: int, total: float = TEXT_WIDTH_CM) -> list[float]:
    """Column widths in cm: the table's relative widths, else a wide first (name) column."""
    weights = list(table.widths[:ncols]) if len(table.widths) >= ncols else []
    if not weights or sum(weights) <= 0:
        weights = [3 if i == 0 and ncols > 2 else 1 for i in range(ncols)]
        if table.columns and "text" in table.columns:
            weights = [4 if c == "text" else 1 for c in table.columns[:ncols]] + [1] * (
                ncols - len(table.columns)
            )
    scale = total / sum(weights)
    return [w * scale for w in weights]


def _table(out: DocxDocument, table: Table, *, caption: bool = True) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Cm

    if caption or table.unit:
        _caption(out, table, title=caption)
    ncols = column_count(table)
    nhead = len(table.header)
    grid = out.add_table(rows=nhead + len(table.rows), cols=ncols)
    grid.style = out.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    widths = column_widths(table, ncols)
    for row in grid.rows:
        for i, cell in enumerate(row.cells):
            cell.width = Cm(widths[i])
    for i, width in enumerate(widths):
        grid.columns[i].width = Cm(width)
    small = 8 if ncols > 8 else 9
    cells = [list(row.cells) for row in grid.rows]  # once: python-docx's grid.cell() is O(table) per call
    for block in place(table.header):
        for p in block:
            _cell(cells, p.row, p.col, p.cell, header=True, bold=True, level=0, size=small)
    for r in range(nhead):
        _row_flags(grid.rows[r], header=True)
    for block in place([r.cells for r in table.rows]):
        for p in block:
            row = table.rows[p.row]
            target = _cell(
                cells, nhead + p.row, p.col, p.cell, header=False, bold=row.bold, level=row.level, size=small
            )
            if row.bold and row.level == 0:
                _shade(target._tc.get_or_add_tcPr(), TOTAL_FILL)
    for r in range(nhead, len(grid.rows)):
        _row_flags(grid.rows[r], header=False)
    out.add_paragraph().paragraph_format.space_after = 0


def _cell(
    cells: list[list[Any]], r: int, c: int, cell: Any, *, header: bool, bold: bool, level: int, size: float
) -> Any:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    target = cells[r][c]
    if cell.colspan > 1 or cell.rowspan > 1:
        target = target.merge(cells[r + cell.rowspan - 1][c + cell.colspan - 1])
        for extra in target.paragraphs[1:]:
            extra._element.getparent().remove(extra._element)
    target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    lines = cell.text.split("\n")
    para = target.paragraphs[0]
    for i, text in enumerate(lines):
        if i:
            para = target.add_paragraph()
        fmt = para.paragraph_format
        fmt.space_after = fmt.space_before = Pt(1)
        fmt.line_spacing = 1.0
        if header:
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif cell.kind != "text":
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif c == 0 and level > 1:
            fmt.left_indent = Pt(6 * (level - 1))
        run = para.add_run(text)
        run.font.size = Pt(size)
        run.bold = bold
    if header:
        _shade(target._tc.get_or_add_tcPr(), HEADER_FILL)
    return target


def _row_flags(row: Any, *, header: bool) -> None:
    """Header rows repeat on every page (w:tblHeader); no row splits across pages (w:cantSplit)."""
    from docx.oxml import OxmlElement

    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))


def _figure(out: DocxDocument, block: Figure) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    out.add_picture(io.BytesIO(block.png), width=Cm(15))
    pic_par = out.paragraphs[-1]
    pic_par.alignment = WD_ALIGN_PARAGRAPH.CENTER
    pic_par.paragraph_format.keep_with_next = True
    for doc_pr in pic_par._p.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
    ):
        doc_pr.set("descr", block.alt or block.title)
        doc_pr.set("title", block.title)
    cap = out.add_paragraph()
    cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = cap.add_run(block.title)
    run.font.size = Pt(9)
    run.bold = True
