"""Markdown/text in the sample's own layout (tab-separated tables, <b> on bold rows, 【】 lines).

The output reads back with ``gyeolsan.io.report_text.import_report_text`` to the same model
(round trip), so it doubles as the editable text form of a report. Figures are not embedded.
"""

from __future__ import annotations

import html
from pathlib import Path

from gyeolsan.report.document import Cell, Document, Figure, Heading, PageBreak, Paragraph, Table

MONEY_UNITS = ("원", "천원", "백만원", "억원")
NO_UNIT_LINE = {"revenue", "expenditure"}  # their unit is in the sentence above the table


def render(doc: Document) -> str:
    out: list[str] = []
    provenance = " · ".join(f"{k}: {v}" for k, v in doc.meta.items() if v)
    if provenance:
        out += [f"<!-- {html.escape(provenance, quote=False)} -->", ""]
    out += [f"# {doc.title}", ""]
    if doc.date:
        out += [doc.date, ""]
    if doc.office:
        out += [doc.office, ""]
    previous: object = None
    for block in doc.blocks:
        if isinstance(block, Heading):
            out += ["#" * max(1, min(block.level, 6)) + " " + block.text, ""]
        elif isinstance(block, Paragraph):
            if block.style == "bullet" and isinstance(previous, Paragraph) and previous.style == "bullet":
                out.pop()  # a tight list: no blank line between bullets
            out += [paragraph(block), ""]
        elif isinstance(block, Table):
            if _wants_unit_line(block, previous):
                out += [f"(단위 : {block.unit})", ""]
            out += table(block) + [""]
        elif isinstance(block, Figure | PageBreak):
            continue
        previous = block
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def write(doc: Document, path: Path) -> None:
    from gyeolsan.io.atomic import atomic_write

    atomic_write(path, render(doc))


def paragraph(p: Paragraph) -> str:
    text = " ".join(p.text.split("\n"))
    if p.style == "bullet":
        return "  " * p.level + "- " + text
    if p.style == "note":
        return "※ " + text
    if p.style == "lead":
        return f"**{text}**"
    return text


def _wants_unit_line(t: Table, previous: object) -> bool:
    if t.unit not in MONEY_UNITS or t.id in NO_UNIT_LINE:
        return False
    return not (isinstance(previous, Paragraph) and "단위" in previous.text)


def grid(rows: tuple[tuple[Cell, ...], ...]) -> list[list[str]]:
    """Expand colspan/rowspan into a rectangular grid of texts (spanned positions empty)."""
    out: list[list[str]] = []
    pending: dict[tuple[int, int], bool] = {}
    for r, cells in enumerate(rows):
        line: list[str] = []
        c = 0
        for cell in cells:
            while pending.pop((r, c), False):
                line.append("")
                c += 1
            line.append(cell.text)
            line += [""] * (cell.colspan - 1)
            for down in range(1, cell.rowspan):
                for across in range(cell.colspan):
                    pending[(r + down, c + across)] = True
            c += cell.colspan
        while pending.pop((r, c), False):
            line.append("")
            c += 1
        out.append(line)
    return out


def table(t: Table) -> list[str]:
    if t.id == "functions":
        return functions(t)
    if t.id == "audits":
        return audits(t)
    lines = ["\t".join(row) for row in grid(t.header)]
    body = grid(tuple(r.cells for r in t.rows))
    for row, cells in zip(t.rows, body, strict=True):
        if row.bold:
            cells = [f"<b>{c}</b>" if c else c for c in cells]
        lines.append("\t".join(_one_line(c) for c in cells))
    return lines


def _one_line(text: str) -> str:
    return " ".join(text.replace("\t", " ").split("\n"))


def functions(t: Table) -> list[str]:
    out: list[str] = []
    for row in t.rows:
        cells = [c.text for c in row.cells]
        if len(cells) == 3:
            out += [f"### {cells[0]}", ""]
            cells = cells[1:]
        if len(cells) >= 2 and cells[0]:
            out += [f"#### {cells[0]}", ""]
            out += [f"· {f}" for f in cells[1].split("\n") if f] + [""]
    while out and out[-1] == "":
        out.pop()
    return out


def _paragraphs(text: str) -> str:
    parts = [p for p in text.split("\n") if p.strip()]
    if len(parts) <= 1:
        return html.escape(parts[0] if parts else "", quote=False)
    return " ".join(f"<p>{html.escape(p, quote=False)}</p>" for p in parts)


def audits(t: Table) -> list[str]:
    out = ["\t".join(c.text for c in t.header[0])] if t.header else []
    for row in t.rows:
        out.append("\t".join(_paragraphs(c.text) for c in row.cells))
    return out
