"""XLSX writer: one sheet per table, numbers as numbers, every total and rate a live formula.

An officer who edits a leaf cell sees the subtotals, totals, 집행률, 집행잔액, 증감 and 증감률
recompute. Formulas come from the ``Cell.formula`` hints of the document model:

``sum:children``            ``=SUM(C7:C16,C18)`` over the rows listed in ``Row.children``
``sum:series``              ``=SUM(D5,F5,H5)``: the same field in the other columns of the row (인력 총계)
``rate:spent/budget_current`` ``=IF(C5=0,"",ROUND(D5*1000/C5,0)/10)`` (``rate:a/b:2`` for two decimals)
``diff:current-previous``   ``=D5-C5`` (any number of terms: ``diff:levied-received-written_off``)
``change_rate``             ``=IF(C5=0,IF(D5=0,0,"100"),ROUND((D5-C5)*10000/C5,0)/100)`` — a new item
                            (전년 0) prints the document's label ("100" or "순증") as text, never ÷0
``unused``                  ``=C5-D5`` (− 이월/반납 columns when the table has them; else the amount the
                            data carries to next year, as a constant with a cell comment)

Rates are written ``ROUND(a*1000/b,0)/10`` rather than ``ROUND(a/b*100,1)``: the quotient of two whole
numbers is then exact at every half, so Excel, LibreOffice and the ``formulas`` package all round
half-up exactly as :func:`gyeolsan.model.numbers.rate` does (``7.05`` is ``7.0499…`` as a float).

A hidden, protected sheet "출처" records the provenance: source file, line of every row, generation
time and gyeolsan version. Text that starts with ``= + - @`` is neutralised with a leading ``'``.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gyeolsan.report.document import Cell, Document, Row, Table

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from gyeolsan.model import Settlement, Source

FONT = "NanumGothic"
AMOUNT_FORMAT = '#,##0;"△"#,##0;"-"'
AMOUNT_FORMAT_ZERO = '#,##0;"△"#,##0;0'  # tables that print zero as "0" (revenue_zero = "0")
RATE_FORMATS = {0: '0;"△"0;"-"', 1: '0.0;"△"0.0;"-"', 2: '0.00;"△"0.00;"-"'}
HEADER_FILL = "D9D9D9"
TOTAL_FILL = "F2F2F2"
PROVENANCE_SHEET = "출처"
NEW_ITEM_RATE = "100"  # printed 증감률 of an item new this year, when the document shows none

SHEET_NAMES = {
    "settlement": "결산",
    "next_year": "다음연도 예산",
    "staffing": "인력",
    "revenue": "세입",
    "expenditure": "부서별 세출",
    "audits": "시정권고",
    "adjustments": "예산변경",
    "unused": "집행잔액",
    "findings": "검증 결과",
}
META_LABELS = {
    "source": "원본 파일",
    "generated": "작성 시각",
    "generator": "작성 프로그램",
    "fiscal_year": "회계연도",
    "government": "자치단체",
    "findings": "검증 결과",
}
_MONEY_KINDS = ("amount", "count")
_DASHES = {"", "-", "–", "—", "―"}
_INJECTION = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


# ----------------------------------------------------------------------------- layout


@dataclass(frozen=True)
class Placed:
    """A cell at its grid position (0-based row within its block, 0-based column)."""

    row: int
    col: int
    cell: Cell


def place(rows: Sequence[Sequence[Cell]]) -> list[list[Placed]]:
    """Grid columns of every cell, honouring colspan/rowspan as an HTML table does."""
    taken: set[tuple[int, int]] = set()
    out: list[list[Placed]] = []
    for r, cells in enumerate(rows):
        col, placed = 0, []
        for cell in cells:
            while (r, col) in taken:
                col += 1
            placed.append(Placed(r, col, cell))
            for dr in range(max(cell.rowspan, 1)):
                for dc in range(max(cell.colspan, 1)):
                    taken.add((r + dr, col + dc))
            col += max(cell.colspan, 1)
        out.append(placed)
    return out


def column_count(table: Table) -> int:
    spans = [
        sum(max(c.colspan, 1) for c in cells) for cells in (*table.header, *(r.cells for r in table.rows))
    ]
    return max([len(table.columns), *spans, 1])


def text_width(text: str) -> float:
    """Display width in spreadsheet units: a Hangul (wide) character ≈ 2, others ≈ 1.1."""
    return max(
        sum(2.0 if unicodedata.east_asian_width(ch) in "WF" else 1.1 for ch in line)
        for line in text.split("\n")
    )


def is_numeric(cell: Cell) -> bool:
    return cell.kind != "text"


def rate_places(cell: Cell) -> int:
    """Decimals of a rate cell: from its hint (집행률 1, 증감률 2), else from its printed text."""
    hint = cell.formula or ""
    if hint.startswith("rate:"):
        parts = hint.split(":")
        return int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else 1
    if hint == "change_rate":
        return 2
    m = re.search(r"\.(\d+)", cell.text)
    return min(len(m.group(1)), 2) if m else 1


def neutralise(text: str) -> str:
    """CSV/formula injection: text starting with = + - @ (tab, CR) gets a leading "'".

    A lone dash ("-", the printed zero) cannot start a formula and stays as it is.
    """
    text = _ILLEGAL.sub("", text)
    if text.startswith(_INJECTION) and text.strip("-"):
        return "'" + text
    return text


def sheet_names(tables: Iterable[Table]) -> list[str]:
    """One unique, valid sheet name (≤ 31 characters) per table."""
    names: list[str] = []
    for table in tables:
        base = SHEET_NAMES.get(table.id)
        if base is None and table.id.startswith("card-"):
            base = "사업 " + table.id.removeprefix("card-")
        base = (
            re.sub(r"\s+", " ", _SHEET_BAD.sub(" ", base or table.caption or table.id)).strip("' ")[:31]
            or "표"
        )
        name, n = base, 2
        while name.casefold() in {x.casefold() for x in names} or name == PROVENANCE_SHEET:
            suffix = f" ({n})"
            name, n = base[: 31 - len(suffix)] + suffix, n + 1
        names.append(name)
    return names


# ----------------------------------------------------------------------------- formulas


class FormulaContext:
    """How a table's cells are addressed on its sheet."""

    def __init__(self, table: Table, first_row: int, new_item_rate: str) -> None:
        from openpyxl.utils import get_column_letter

        self.table = table
        self.first_row = first_row  # sheet row (1-based) of table.rows[0]
        self.new_item_rate = new_item_rate
        self.letter: dict[str, str] = {}
        for i, name in enumerate(table.columns):
            self.letter.setdefault(name, get_column_letter(i + 1))
        self._grid = [{p.col: p.cell for p in row} for row in place([r.cells for r in table.rows])]
        self.zero_shown = any(
            c.kind in _MONEY_KINDS and c.text.strip() == "0" for row in self._grid for c in row.values()
        )
        self._col_letter = get_column_letter

    def ref(self, field: str, index: int) -> str | None:
        letter = self.letter.get(field)
        return f"{letter}{self.first_row + index}" if letter else None

    def value(self, field: str, index: int) -> int | Decimal | None:
        if field not in self.table.columns:
            return None
        col = self.table.columns.index(field)
        cell = self._grid[index].get(col)
        return cell.value if cell is not None else None

    def formula(self, hint: str, index: int, col: int, cell: Cell) -> tuple[str, str | None] | None:
        """(formula, comment) for ``hint`` at table row ``index``, grid column ``col``; None if not computable."""
        kind, _, arg = hint.partition(":")
        row = self.table.rows[index]
        if kind == "sum":
            return self._sum(row, index, col, arg)
        if kind == "rate":
            return self._rate(index, arg)
        if kind == "diff":
            return self._diff(index, arg)
        if kind == "change_rate":
            return self._change_rate(index)
        if kind == "unused":
            return self._unused(index, cell)
        return None

    def _sum(self, row: Row, index: int, col: int, arg: str) -> tuple[str, str | None] | None:
        if arg == "series":  # a row total: the same field in the other columns of this row (인력 총계)
            field = self.table.columns[col] if col < len(self.table.columns) else None
            cols = [i for i, name in enumerate(self.table.columns) if name == field and i != col]
            if not cols:
                return None
            refs = [f"{self._col_letter(i + 1)}{self.first_row + index}" for i in cols]
            return f"=SUM({','.join(refs)})", None
        if arg not in ("children", "") or not row.children:
            return None
        letter = self._col_letter(col + 1)
        return f"=SUM({','.join(self._ranges(letter, row.children))})", None

    def _ranges(self, letter: str, indexes: Iterable[int]) -> list[str]:
        rows = sorted({self.first_row + i for i in indexes})
        out: list[str] = []
        start = prev = rows[0]
        for r in [*rows[1:], None]:
            if r is not None and r == prev + 1:
                prev = r
                continue
            out.append(f"{letter}{start}" if start == prev else f"{letter}{start}:{letter}{prev}")
            if r is not None:
                start = prev = r
        return out

    def _rate(self, index: int, arg: str) -> tuple[str, str | None] | None:
        parts = arg.split(":")
        num_field, _, den_field = parts[0].partition("/")
        places = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 1
        num, den = self.ref(num_field, index), self.ref(den_field, index)
        if num is None or den is None:
            return None
        scale = 100 * 10**places
        return f'=IF({den}=0,"",ROUND({num}*{scale}/{den},0)/{10**places})', None

    def _diff(self, index: int, arg: str) -> tuple[str, str | None] | None:
        refs = [self.ref(name, index) for name in (arg or "current-previous").split("-")]
        if len(refs) < 2 or any(r is None for r in refs):
            return None
        return "=" + "-".join(r for r in refs if r), None

    def _change_rate(self, index: int) -> tuple[str, str | None] | None:
        prev, cur = self.ref("previous", index), self.ref("current", index)
        if prev is None or cur is None:
            return None
        new = self.new_item_rate.replace('"', "")
        return (
            f'=IF({prev}=0,IF({cur}=0,0,"{new}"),ROUND(({cur}-{prev})*10000/{prev},0)/100)',
            None,
        )

    def _unused(self, index: int, cell: Cell) -> tuple[str, str | None] | None:
        bc, spent = self.ref("budget_current", index), self.ref("spent", index)
        if bc is None or spent is None:
            return None
        terms = [f"{bc}-{spent}"]
        computed = (self.value("budget_current", index) or 0) - (self.value("spent", index) or 0)
        for field in ("carried_over", "subsidy_returned"):
            ref = self.ref(field, index)
            if ref:
                terms.append(f"-{ref}")
                computed -= self.value(field, index) or 0
        comment = None
        expected = cell.value if isinstance(cell.value, int) else 0
        rest = computed - expected
        if rest:  # carried over to next year (이월) or returned, not a column of this table
            terms.append(f"-{rest}" if rest > 0 else f"+{-rest}")
            comment = f"집행잔액 = 예산현액 − 집행액 − 다음연도 이월·반납액 {rest:,} (이 표에 없는 열)"
        return "=" + "".join(terms), comment


def new_item_rate(doc: Document) -> str:
    """The printed 증감률 of a new item ("100" or "순증"), as the document itself prints it."""
    for table in doc.tables():
        for row in table.rows:
            cells = {
                table.columns[p.col]: p.cell for p in place([row.cells])[0] if p.col < len(table.columns)
            }
            ratio, prev, cur = cells.get("change_rate"), cells.get("previous"), cells.get("current")
            new = ratio and prev and cur and ratio.formula == "change_rate" and not prev.value and cur.value
            if new and ratio and ratio.text.strip() not in _DASHES:
                return ratio.text.strip()
    return doc.meta.get("new_item_rate", NEW_ITEM_RATE)


# ----------------------------------------------------------------------------- writing


def render(doc: Document, *, sources: Mapping[str, Any] | None = None) -> bytes:
    """The workbook as bytes. ``sources`` maps ``Row.key`` → source line (or Source) for the 출처 sheet."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    _default_font(wb)
    tables = doc.tables()
    new_rate = new_item_rate(doc)
    placements: list[tuple[str, Table, int]] = []
    styles = _Styles()
    for name, table in zip(sheet_names(tables), tables, strict=True):
        ws = wb.create_sheet(name)
        first = _write_table(ws, table, new_rate, styles)
        placements.append((name, table, first))
    if not tables:
        ws = wb.create_sheet("보고서")
        ws["A1"] = neutralise(doc.title)
    _write_provenance(wb, doc, placements, sources or {})
    wb.calculation.fullCalcOnLoad = True  # no cached values: every engine computes on open
    names = [name for name, _, _ in placements]
    if SHEET_NAMES["settlement"] in names:  # open on the 결산 sheet
        wb.active = names.index(SHEET_NAMES["settlement"])
    if wb.worksheets:
        wb.active.sheet_view.tabSelected = True  # exactly one selected sheet: no accidental group editing
    props = wb.properties
    props.title = doc.title
    props.creator = doc.meta.get("generator", "gyeolsan")
    props.subject = doc.office or ""
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write(
    doc: Document,
    path: Path,
    *,
    settlement: Settlement | None = None,
    sources: Mapping[str, Any] | None = None,
) -> None:
    """Write the workbook atomically; pass the ``settlement`` the document was built from (or
    ``sources``) so that the 출처 sheet lists the source line of every row."""
    if sources is None and settlement is not None:
        sources = row_sources(settlement)
    save_bytes(Path(path), render(doc, sources=sources))


def row_sources(settlement: Settlement) -> dict[str, Source]:
    """``Row.key`` → where the row was read, for the rows that :mod:`gyeolsan.report.build` keys."""
    out: dict[str, Source] = {}

    def walk(prefix: str, lines: Iterable[Any]) -> None:
        for line in lines:
            key = f"{prefix}/{line.name}"
            out.setdefault(key, line.src)
            walk(key, line.children)

    for table_id, table in (
        ("settlement", settlement.settlement),
        ("next_year", settlement.next_year),
        ("expenditure", settlement.expenditure.table if settlement.expenditure else None),
    ):
        if table is not None:
            walk(table_id, table.lines)
    if settlement.staffing is not None:
        out.update({f"staffing/{r.name}": r.src for r in settlement.staffing.rows})
    if settlement.organization is not None:
        for division in settlement.organization.divisions:
            out.update({f"functions/{division.name}/{t.name}": t.src for t in division.teams})
    if settlement.revenue is not None:
        for line in settlement.revenue.all_lines():
            out.setdefault(f"revenue/{line.name}", line.src)
    out.update({f"audits/{a.number}": a.src for a in settlement.audits})
    return out


def save_bytes(path: Path, data: bytes) -> None:
    """Atomic write (temp file + rename), mode 0644: never a partial file."""
    from gyeolsan.io.atomic import atomic_write

    atomic_write(path, data)


def _default_font(wb: Any) -> None:
    from openpyxl.styles import Font

    normal = next((s for s in wb._named_styles if s.name == "Normal"), None)
    if normal is not None:
        normal.font = Font(name=FONT, size=10)


def column_widths(table: Table, ncols: int) -> list[float]:
    """Widths in spreadsheet units from the content (≈2 per Hangul character); long text wraps."""
    widths = [0.0] * ncols
    for p in (p for row in place(table.header) for p in row):
        if p.cell.colspan == 1:
            widths[p.col] = max(widths[p.col], text_width(p.cell.text) + 2)
    for block in place([r.cells for r in table.rows]):
        for p in block:
            if p.cell.colspan == 1:
                extra = 2 * max(table.rows[p.row].level - 1, 0) if p.col == 0 else 0
                widths[p.col] = max(widths[p.col], text_width(p.cell.text) + 2 + extra)
    out = []
    for col, width in enumerate(widths):
        is_text = col < len(table.columns) and table.columns[col] in ("name", "text")
        cap = 60 if is_text or not table.columns else 24
        out.append(round(min(max(width, 8), cap), 1))
    return out


def line_count(text: str, width: float) -> int:
    """Lines a wrapped text takes in a column ``width`` units wide."""
    usable = max(width - 1.5, 1.0)
    return sum(max(1, math.ceil(0.9 * text_width(line) / usable)) for line in text.split("\n"))


class _Styles:
    """Cell formats applied through openpyxl once per (format before, look), then copied.

    Assigning a style object (``cell.font = Font(...)``) makes openpyxl hash it and look it up in
    the workbook's list of fonts (fills, borders …): a recursive, pure-Python hash of about 0.1 ms
    per property and cell, which was most of the workbook's render time. What a cell ends up with
    (its StyleArray of indices into those lists) depends only on the format it had before and the
    look applied, so the first cell of each kind is styled through the public API and every later
    one gets a copy of the resulting StyleArray. Nothing is registered that the first cell did not
    register, in the same order, so the workbook is the same as styling every cell directly.
    """

    def __init__(self) -> None:
        self._after: dict[tuple[tuple[int, ...] | None, Hashable], Any] = {}

    def apply(self, cell: Any, look: Hashable, style: Callable[[Any], None]) -> None:
        """Give ``cell`` the ``look`` that ``style(cell)`` sets (``look`` names it: same look, same key)."""
        from copy import copy

        before = cell._style  # None until a style is set (openpyxl then starts from StyleArray())
        key = (None if before is None else tuple(before), look)
        after = self._after.get(key)
        if after is None:
            style(cell)
            self._after[key] = copy(cell._style)
        else:
            cell._style = copy(after)  # a copy: openpyxl updates a cell's StyleArray in place


def _write_table(ws: Worksheet, table: Table, new_rate: str, styles: _Styles) -> int:
    """Caption, unit, header and body on ``ws``; returns the sheet row of the first body row."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ncols = column_count(table)
    ws["A1"] = neutralise(table.caption)
    ws["A1"].font = Font(name=FONT, size=12, bold=True)
    if table.unit:
        unit_cell = ws.cell(row=2, column=ncols, value=f"(단위: {table.unit})")
        unit_cell.font = Font(name=FONT, size=9)
        unit_cell.alignment = Alignment(horizontal="right")
    header_row = 3
    _write_header(ws, table, header_row, ncols, styles)
    first = header_row + len(table.header)
    widths = column_widths(table, ncols)
    for col, width in enumerate(widths):
        ws.column_dimensions[get_column_letter(col + 1)].width = width
    ctx = FormulaContext(table, first, new_rate)
    for block in place([r.cells for r in table.rows]):
        lines = 1
        for p in block:
            _write_body_cell(ws, ctx, table.rows[p.row], p, first, styles)
            if p.cell.kind == "text" and p.cell.rowspan == 1:
                lines = max(lines, line_count(p.cell.text, sum(widths[p.col : p.col + p.cell.colspan])))
        if block and lines > 1:  # LibreOffice does not fit row heights on load
            ws.row_dimensions[first + block[0].row].height = 13.5 * lines
    _borders(ws, header_row, first + len(table.rows) - 1, ncols, styles)
    _page_setup(ws, table, header_row, first, sum(widths))
    return first


def _write_header(ws: Worksheet, table: Table, top: int, ncols: int, styles: _Styles) -> None:
    for block in place(table.header):
        for p in block:
            r, c = top + p.row, p.col + 1
            ws.cell(row=r, column=c, value=neutralise(p.cell.text))
            if p.cell.colspan > 1 or p.cell.rowspan > 1:
                ws.merge_cells(
                    start_row=r,
                    start_column=c,
                    end_row=r + p.cell.rowspan - 1,
                    end_column=c + p.cell.colspan - 1,
                )
    for r in range(top, top + len(table.header)):
        for c in range(1, ncols + 1):
            styles.apply(ws.cell(row=r, column=c), "header", _header_style)


def _header_style(cell: Any) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    cell.font = Font(name=FONT, size=10, bold=True)
    cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _write_body_cell(
    ws: Worksheet, ctx: FormulaContext, row: Row, p: Placed, first: int, styles: _Styles
) -> None:
    from openpyxl.comments import Comment

    cell = p.cell
    target = ws.cell(row=first + p.row, column=p.col + 1)
    formula = ctx.formula(cell.formula, p.row, p.col, cell) if cell.formula else None
    if formula is not None:
        target.value = formula[0]
        if formula[1]:
            target.comment = Comment(formula[1], "gyeolsan")
    elif is_numeric(cell) and cell.value is not None:
        target.value = cell.value
    elif cell.kind in _MONEY_KINDS and cell.text.strip() in _DASHES:
        target.value = 0  # the printed "-": a zero the number format prints as "-"
    else:
        target.value = neutralise(cell.text)
        target.data_type = "s"
    number_format: str | None = None  # None: a text cell
    indent = 0
    if is_numeric(cell):
        amount_format = AMOUNT_FORMAT_ZERO if ctx.zero_shown else AMOUNT_FORMAT
        number_format = RATE_FORMATS[rate_places(cell)] if cell.kind == "rate" else amount_format
    else:
        indent = max(row.level - 1, 0) if p.col == 0 else 0
    filled = row.bold and row.level == 0
    styles.apply(
        target,
        ("body", number_format, indent, row.bold, filled),
        lambda c: _body_style(c, number_format, indent, bold=row.bold, filled=filled),
    )
    if cell.colspan > 1 or cell.rowspan > 1:
        r, c = first + p.row, p.col + 1
        ws.merge_cells(
            start_row=r, start_column=c, end_row=r + cell.rowspan - 1, end_column=c + cell.colspan - 1
        )


def _body_style(cell: Any, number_format: str | None, indent: int, *, bold: bool, filled: bool) -> None:
    """Numbers right-aligned in ``number_format``; text left-aligned, wrapped, indented by level."""
    from openpyxl.styles import Alignment, Font, PatternFill

    if number_format is not None:
        cell.number_format = number_format
        cell.alignment = Alignment(horizontal="right", vertical="center")
    else:
        cell.alignment = Alignment(horizontal="left", vertical="center", indent=indent, wrap_text=True)
    cell.font = Font(name=FONT, size=10, bold=bold)
    if filled:
        cell.fill = PatternFill("solid", fgColor=TOTAL_FILL)


def _borders(ws: Worksheet, top: int, bottom: int, ncols: int, styles: _Styles) -> None:
    for r in range(top, bottom + 1):
        for c in range(1, ncols + 1):
            styles.apply(ws.cell(row=r, column=c), "border", _border_style)


def _border_style(cell: Any) -> None:
    from openpyxl.styles import Border, Side

    thin = Side(style="thin", color="808080")
    cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)


def _page_setup(ws: Worksheet, table: Table, header_row: int, first: int, total_width: float) -> None:
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.freeze_panes = ws.cell(row=first, column=2 if table.columns[:1] == ("name",) else 1)
    if first > header_row:
        ws.print_title_rows = f"{header_row}:{first - 1}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if total_width > 100 else "portrait"
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "&P / &N"


def _source_line(source: Any) -> tuple[str, int | None]:
    if source is None:
        return "", None
    if isinstance(source, int):
        return "", source
    return str(getattr(source, "path", "") or ""), getattr(source, "line", None)


def _write_provenance(
    wb: Any, doc: Document, placements: list[tuple[str, Table, int]], sources: Mapping[str, Any]
) -> None:
    from openpyxl.styles import Font

    ws = wb.create_sheet(PROVENANCE_SHEET)
    bold = Font(name=FONT, size=10, bold=True)
    info: list[tuple[str, str]] = [
        ("제목 / title", doc.title),
        ("실국 / office", doc.office or ""),
        ("보고일 / date", doc.date or ""),
        *((f"{META_LABELS[k]} / {k}" if k in META_LABELS else k, str(v)) for k, v in doc.meta.items()),
    ]
    ws.append(["항목 / item", "값 / value"])
    for key, value in info:
        ws.append([neutralise(key), neutralise(value)])
    ws.append([])
    ws.append(
        ["시트 / sheet", "행 / row", "표 / table", "행 키 / row key", "원본 파일 / source", "원본 줄 / line"]
    )
    header_rows = [1, len(info) + 3]
    default_path = doc.meta.get("source", "")
    for name, table, first in placements:
        for index, row in enumerate(table.rows):
            path, line = _source_line(sources.get(row.key or "") if row.key else None)
            ws.append(
                [
                    name,
                    first + index,
                    table.id,
                    neutralise(row.key or ""),
                    neutralise(path or default_path),
                    line,
                ]
            )
    for r in header_rows:
        for cell in ws[r]:
            cell.font = bold
    for letter, width in zip("ABCDEF", (22, 10, 14, 60, 40, 10), strict=True):
        ws.column_dimensions[letter].width = width
    ws.sheet_state = "hidden"
    ws.protection.sheet = True
    ws.protection.enable()
