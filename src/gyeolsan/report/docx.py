"""DOCX writer (python-docx): the report as a Word document.

A4 portrait, 20 mm margins, NanumGothic in the East Asian slot of every style (Word otherwise falls
back to a Latin font for Hangul), page numbers in the footer, tables with a shaded header row that
repeats on every page (``w:tblHeader``), rows that do not split across pages, right-aligned numbers,
bold division and total rows, charts as pictures (Figure.png).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gyeolsan.report.document import Document, Figure, Heading, PageBreak, Paragraph, Table
from gyeolsan.report.xlsx import column_count, place, save_bytes

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.text.paragraph import Paragraph as DocxParagraph
    from docx.text.run import Run as DocxRun

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
    headings = _heading_style_ids(out)
    looks = _Looks()
    previous: object = None
    for block in doc.blocks:
        if isinstance(block, Heading):
            _heading(out, block, headings)
        elif isinstance(block, Paragraph):
            _paragraph(out, block, looks)
        elif isinstance(block, Table):
            _table(out, block, looks, caption=not repeats_heading(block, previous))
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


def _heading_style_ids(out: DocxDocument) -> dict[int, str]:
    """The style id of "Heading 1" … "Heading 4", looked up once.

    ``add_heading`` resolves the style by name on every call, and python-docx's lookup scans all of
    styles.xml with XPath each time (about 2 ms a heading); the ids never change within a render.
    """
    from docx.enum.style import WD_STYLE_TYPE

    out_ids: dict[int, str] = {}
    for level in HEADING_SIZES:
        style_id = out.part.get_style_id(out.styles[f"Heading {level}"], WD_STYLE_TYPE.PARAGRAPH)
        assert style_id is not None  # a heading style is never the default paragraph style
        out_ids[level] = style_id
    return out_ids


def _heading(out: DocxDocument, block: Heading, style_ids: dict[int, str]) -> None:
    """What ``add_heading`` writes (text run, then w:pStyle), with the style id resolved once."""
    p = out.add_paragraph(block.text)
    p._p.style = style_ids[min(max(block.level, 1), 4)]


def _paragraph(out: DocxDocument, block: Paragraph, looks: _Looks) -> None:
    text = block.text
    if block.style == "bullet" and text[:1] not in _MARKERS:
        text = f"{BULLETS[min(block.level, len(BULLETS) - 1)]} {text}"
    style, level = block.style, block.level
    looks.paragraph(
        out.add_paragraph()._p, text, ("body", style, level), lambda p: _body_look(p, style, level)
    )


def _body_look(p: DocxParagraph, style: str, level: int) -> DocxRun:
    """The formatting of a body paragraph of ``style`` at ``level`` (its run still empty)."""
    from docx.shared import Pt

    fmt = p.paragraph_format
    if style == "bullet":
        fmt.left_indent = Pt(12 * (level + 1))
        fmt.first_line_indent = Pt(-10)
        fmt.space_after = Pt(1)
    elif style == "note":
        fmt.left_indent = Pt(12 * level)
    run = p.add_run()
    if style == "headline":
        run.bold = True
        fmt.space_before = Pt(6)
        _shade(p._p.get_or_add_pPr(), TOTAL_FILL)
    elif style == "lead":
        run.font.size = Pt(11)
        fmt.space_after = Pt(6)
    elif style == "note":
        run.font.size = Pt(9)
    return run


_RUN_SPECIAL = frozenset("\t\n\r")  # characters Run.text turns into elements rather than w:t text


class _Looks:
    """Formatting built once per look with python-docx, then copied into each element that has it.

    Formatting through python-docx costs a schema-ordered child insertion per property (paragraph
    spacing, indents, alignment, run size and bold, cell alignment and shading), about 0.05–0.1 ms
    each; with ~700 table cells and ~400 body paragraphs that was most of the render time. A look
    depends only on a few values (the ``key``), so each look is built once with the public API on
    a detached element, and its children are deep-copied (one C-level lxml copy) into every element
    with that look. The XML is the same as formatting each element directly.
    """

    def __init__(self) -> None:
        self._built: dict[Hashable, Any] = {}

    def apply(self, target: Any, key: Hashable, build: Callable[[], Any]) -> None:
        """Append to ``target`` copies of the children of the element ``build()`` returns (once per key)."""
        import copy

        prototype = self._built.get(key)
        if prototype is None:
            prototype = self._built[key] = build()
        target.extend(list(copy.deepcopy(prototype)))

    def paragraph(self, p: Any, text: str, key: Hashable, look: Callable[[DocxParagraph], DocxRun]) -> None:
        """Give the empty ``w:p`` ``p`` the look ``key`` (made by ``look``) and one run holding ``text``."""
        self.apply(p, key, lambda: _detached_paragraph(look))
        if not text:  # as Paragraph.add_run(""): no w:t at all
            return
        run = p.r_lst[-1]
        if _RUN_SPECIAL.isdisjoint(text):
            run.add_t(text)  # what Run.text writes for plain text, minus its XPath clear-out of a new run
        else:
            run.text = text  # tabs and breaks become w:tab / w:br


def _detached_paragraph(look: Callable[[DocxParagraph], DocxRun]) -> Any:
    """A ``w:p`` outside the document formatted by ``look`` (which sets no style: no part needed)."""
    from docx.oxml import OxmlElement
    from docx.text.paragraph import Paragraph as NewParagraph

    paragraph = NewParagraph(OxmlElement("w:p"), None)  # type: ignore[arg-type]
    look(paragraph)
    return paragraph._p


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


def _table(out: DocxDocument, table: Table, looks: _Looks, *, caption: bool = True) -> None:
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
    rows = grid.rows
    cells = [list(row.cells) for row in rows]  # once: python-docx's grid.cell() is O(table) per call
    for row_cells in cells:
        for i, cell in enumerate(row_cells):
            cell.width = Cm(widths[i])
    for i, width in enumerate(widths):
        grid.columns[i].width = Cm(width)
    small = 8 if ncols > 8 else 9
    for block in place(table.header):
        for p in block:
            _cell(cells, p.row, p.col, p.cell, looks, header=True, bold=True, level=0, size=small)
    for r in range(nhead):
        _row_flags(rows[r], header=True)
    for block in place([r.cells for r in table.rows]):
        for p in block:
            row = table.rows[p.row]
            _cell(
                cells,
                nhead + p.row,
                p.col,
                p.cell,
                looks,
                header=False,
                bold=row.bold,
                level=row.level,
                size=small,
            )
    for r in range(nhead, len(rows)):
        _row_flags(rows[r], header=False)
    out.add_paragraph().paragraph_format.space_after = 0


def _cell(
    cells: list[list[Any]],
    r: int,
    c: int,
    cell: Any,
    looks: _Looks,
    *,
    header: bool,
    bold: bool,
    level: int,
    size: float,
) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    target = cells[r][c]
    if cell.colspan > 1 or cell.rowspan > 1:
        target = target.merge(cells[r + cell.rowspan - 1][c + cell.colspan - 1])
        for extra in target.paragraphs[1:]:
            extra._element.getparent().remove(extra._element)
    if header:
        align, indent = WD_ALIGN_PARAGRAPH.CENTER, 0.0
    elif cell.kind != "text":
        align, indent = WD_ALIGN_PARAGRAPH.RIGHT, 0.0
    else:
        align, indent = None, (6.0 * (level - 1) if c == 0 and level > 1 else 0.0)
    fill = HEADER_FILL if header else TOTAL_FILL if bold and level == 0 else None
    tc = target._tc
    # A new (or merged) cell's w:tcPr holds only tcW, gridSpan and vMerge, which all precede w:shd and
    # w:vAlign in CT_TcPr: appending the copied [shd, vAlign] keeps the schema order.
    looks.apply(tc.get_or_add_tcPr(), ("tcPr", fill), lambda: _cell_properties(fill))
    key = ("cell", align, indent, size, bold)
    for i, text in enumerate(cell.text.split("\n")):
        # the first line goes into the one empty paragraph every new (or merged) cell holds
        p = tc.p_lst[0] if i == 0 else tc.add_p()
        looks.paragraph(p, text, key, lambda para: _cell_look(para, align, indent, size, bold))


def _cell_properties(fill: str | None) -> Any:
    """A detached ``w:tcPr``: vertically centred (as ``_Cell.vertical_alignment``), shaded with ``fill``."""
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.oxml import OxmlElement

    tc_pr = OxmlElement("w:tcPr")
    tc_pr.vAlign_val = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    if fill:
        _shade(tc_pr, fill)
    return tc_pr


def _cell_look(p: DocxParagraph, align: Any, indent_pt: float, size: float, bold: bool) -> DocxRun:
    """The formatting of a table-cell paragraph (its run still empty)."""
    from docx.shared import Pt

    fmt = p.paragraph_format
    fmt.space_after = fmt.space_before = Pt(1)
    fmt.line_spacing = 1.0
    if align is not None:
        p.alignment = align
    if indent_pt:
        fmt.left_indent = Pt(indent_pt)
    run = p.add_run()
    run.font.size = Pt(size)
    run.bold = bold
    return run


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
