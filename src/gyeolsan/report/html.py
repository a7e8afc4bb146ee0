"""Standalone, printable, accessible HTML (also the input of the PDF writer).

One file: CSS inline, charts as ``data:`` SVG images with alt text, tables with ``<caption>`` and
``<th scope>``, ``lang="ko"``, a Korean font stack naming NanumGothic first. Printing (browser or
WeasyPrint) gives A4 pages with page numbers, repeated table headers and unsplit rows.
"""

from __future__ import annotations

import base64
from html import escape as _escape
from pathlib import Path

from gyeolsan.report.document import (
    Block,
    Cell,
    Document,
    Figure,
    Heading,
    PageBreak,
    Paragraph,
    Row,
    Table,
    plain_text,
)


def escape(text: str, quote: bool = True) -> str:
    """HTML-escape, dropping the Markdown backslash escapes of converted text ("\\*" → "*")."""
    return _escape(plain_text(text), quote=quote)


FONT_STACK = '"{font}", "NanumGothic", "Noto Sans CJK KR", "Malgun Gothic", "Apple SD Gothic Neo", sans-serif'

CSS = """
@page { size: A4; margin: 16mm 14mm 18mm 14mm;
  @bottom-center { content: counter(page) " / " counter(pages); font-size: 8.5pt; color: #555; }
  @top-right { content: string(chapter); font-size: 8pt; color: #777; } }
@page :first { @top-right { content: none; } }
:root { --ink: #1a1a1a; --line: #9aa5b1; --head: #e8eef5; --accent: #1f4e79; }
html { font-family: FONTS; color: var(--ink); font-size: 10pt; line-height: 1.5; }
body { margin: 0 auto; max-width: 190mm; padding: 8mm 6mm 16mm; }
header.cover { text-align: center; padding: 70mm 0 16mm; border-bottom: 2px solid var(--accent);
  margin-bottom: 10mm; break-after: page; page-break-after: always; }
header.cover h1 { font-size: 22pt; margin: 0 0 12mm; letter-spacing: 0.02em; }
header.cover p { font-size: 13pt; margin: 2mm 0; }
h2 { font-size: 15pt; color: var(--accent); border-bottom: 1.5px solid var(--accent); padding-bottom: 1mm;
  margin: 9mm 0 4mm; string-set: chapter content(); }
h3 { font-size: 12.5pt; margin: 6mm 0 3mm; }
h4 { font-size: 11.5pt; margin: 7mm 0 2mm; padding: 1.5mm 3mm; background: var(--head);
  border-left: 4px solid var(--accent); }
h5 { font-size: 10.5pt; margin: 4mm 0 1.5mm; }
h2, h3, h4, h5 { break-after: avoid; page-break-after: avoid; }
p { margin: 1.2mm 0; }
p.lead { font-weight: bold; margin: 3mm 0 2mm; }
p.headline { border: 1px solid var(--line); border-radius: 2mm; padding: 2mm 3mm; background: #f7f9fb;
  margin: 2mm 0 3mm; }
p.note { font-size: 9pt; color: #333; }
p.settle { font-weight: bold; border-top: 1px dashed var(--line); padding-top: 1.5mm; }
ul { margin: 0.5mm 0 0.5mm 0; padding-left: 5mm; }
ul.l0 { list-style: "- "; }
ul.l1 { list-style: "· "; }
ul ul { list-style: "· "; }
li { margin: 0.4mm 0; }
li.arrow { list-style: none; }
caption .lead { font-size: 10pt; }
table { table-layout: fixed; border-collapse: collapse; width: 100%; margin: 2mm 0 4mm; font-size: 8.8pt;
  line-height: 1.3; }
caption { caption-side: top; text-align: left; font-weight: bold; padding: 1mm 0; }
caption .unit { font-weight: normal; float: right; font-size: 8.5pt; }
th, td { border: 0.6px solid var(--line); padding: 0.7mm 1.6mm; vertical-align: middle; }
thead th { background: var(--head); text-align: center; font-weight: bold; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; break-inside: avoid; }
tbody th { text-align: left; font-weight: normal; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.bold th, tr.bold td { font-weight: bold; background: #f3f6f9; }
tr.lv0 th, tr.lv0 td { background: #eef2f6; }
tr.lv2 th { padding-left: 4mm; } tr.lv3 th { padding-left: 7mm; } tr.lv4 th { padding-left: 10mm; }
table.text td { vertical-align: top; }
table.text td p { margin: 0 0 1mm; }
figure { margin: 3mm 0 5mm; break-inside: avoid; page-break-inside: avoid; text-align: center; }
figure img { width: 100%; max-width: 170mm; height: auto; }
figcaption { font-size: 8.5pt; color: #444; margin-top: 1mm; }
.pagebreak { break-before: page; page-break-before: always; height: 0; }
footer.meta { margin-top: 10mm; font-size: 7.5pt; color: #777; border-top: 1px solid #ccc; padding-top: 2mm; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
@media screen { body { padding-top: 12mm; } header.cover { padding-top: 16mm; }
  .pagebreak { border-top: 1px dashed #ccc; margin: 10mm 0; } }
"""


def render(doc: Document, *, font: str = "NanumGothic", for_print: bool = False) -> str:
    css = CSS.replace("FONTS", FONT_STACK.format(font=font))
    parts = [
        "<!DOCTYPE html>",
        '<html lang="ko">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(_title(doc))}</title>",
        f'<meta name="generator" content="{escape(doc.meta.get("generator", "gyeolsan"))}">',
        f"<style>{css}</style>",
        "</head>",
        "<body>",
        '<header class="cover">',
        f"<h1>{escape(doc.title)}</h1>",
    ]
    if doc.date:
        parts.append(f"<p>{escape(doc.date)}</p>")
    if doc.office:
        parts.append(f"<p>{escape(doc.office)}</p>")
    parts.append("</header>")
    parts.append("<main>")
    parts += blocks(doc.blocks)
    parts.append("</main>")
    if doc.meta:
        meta = " · ".join(f"{escape(k)}: {escape(v)}" for k, v in doc.meta.items() if v)
        parts.append(f'<footer class="meta">{meta}</footer>')
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


def write(doc: Document, path: Path, *, font: str = "NanumGothic") -> None:
    from gyeolsan.io.atomic import atomic_write

    atomic_write(path, render(doc, font=font))


def _title(doc: Document) -> str:
    return " — ".join(x for x in (doc.title, doc.office) if x)


def blocks(items: tuple[Block, ...]) -> list[str]:
    out: list[str] = []
    bullets: list[Paragraph] = []
    skip = False
    for n, block in enumerate(items):
        if skip:
            skip = False
            continue
        if isinstance(block, Paragraph) and block.style == "bullet":
            bullets.append(block)
            continue
        if bullets:
            out.append(bullet_list(bullets))
            bullets = []
        following = items[n + 1] if n + 1 < len(items) else None
        if isinstance(block, Paragraph) and block.style == "lead" and isinstance(following, Table):
            out.append(table(following, lead=block.text))  # the headline travels with its table
            skip = True
            continue
        out.append(one(block))
    if bullets:
        out.append(bullet_list(bullets))
    return [x for x in out if x]


def one(block: Block) -> str:
    if isinstance(block, Heading):
        level = min(max(block.level, 1), 4) + 1
        return f"<h{level}>{escape(block.text)}</h{level}>"
    if isinstance(block, Paragraph):
        return paragraph(block)
    if isinstance(block, Table):
        return table(block)
    if isinstance(block, Figure):
        return figure(block)
    if isinstance(block, PageBreak):
        return '<div class="pagebreak"></div>'
    return ""


def paragraph(p: Paragraph) -> str:
    text = escape(p.text).replace("\n", "<br>")
    if p.style == "note":
        return f'<p class="note">※ {text}</p>'
    if p.style == "headline":
        return f'<p class="headline">{text}</p>'
    if p.style == "lead":
        css = "lead settle" if "결산 :" in p.text else "lead"
        return f'<p class="{css}">{text}</p>'
    return f"<p>{text}</p>"


def bullet_list(items: list[Paragraph]) -> str:
    """Nested ``<ul>`` from bullets with levels (a deeper level opens a list inside the last item)."""
    out: list[str] = []
    previous = -1
    for item in items:
        level = min(max(0, item.level), previous + 1)  # a jump of two levels nests one
        if level > previous:
            out.append(f'<ul class="l{min(level, 1)}">')
        else:
            out.append("</li>")
            out += ["</ul></li>"] * (previous - level)
        arrow = ' class="arrow"' if item.text.startswith(("▶", "※")) else ""
        out.append(f"<li{arrow}>{escape(item.text)}")
        previous = level
    out.append("</li>")
    out += ["</ul></li>"] * previous
    out.append("</ul>")
    return "".join(out)


def _span(cell: Cell) -> str:
    attrs = ""
    if cell.colspan > 1:
        attrs += f' colspan="{cell.colspan}"'
    if cell.rowspan > 1:
        attrs += f' rowspan="{cell.rowspan}"'
    return attrs


def _cell_text(cell: Cell, multi: bool) -> str:
    if multi and "\n" in cell.text:
        return "".join(f"<p>{escape(p)}</p>" for p in cell.text.split("\n") if p.strip())
    return escape(cell.text).replace("\n", "<br>")


def table(t: Table, lead: str | None = None) -> str:
    numeric = any(c.kind != "text" for r in t.rows for c in r.cells)
    css = "data" if numeric else "text"
    unit = f'<span class="unit">(단위: {escape(t.unit)})</span>' if t.unit else ""
    title = f'<span class="lead">{escape(lead)}</span>' if lead else escape(t.caption)
    out = [f'<table id="{escape(t.id)}" class="{css}">', f"<caption>{title}{unit}</caption>"]
    if t.widths:
        total = sum(t.widths) or 1
        out.append(
            "<colgroup>"
            + "".join(f'<col style="width:{w * 100 / total:.1f}%">' for w in t.widths)
            + "</colgroup>"
        )
    if t.header:
        out.append("<thead>")
        for cells in t.header:
            out.append(
                "<tr>" + "".join(f'<th scope="col"{_span(c)}>{escape(c.text)}</th>' for c in cells) + "</tr>"
            )
        out.append("</thead>")
    out.append("<tbody>")
    for row in t.rows:
        out.append(table_row(row, t))
    out.append("</tbody></table>")
    return "\n".join(out)


def table_row(row: Row, t: Table) -> str:
    classes = [f"lv{row.level}"] + (["bold"] if row.bold else [])
    cells = []
    for n, cell in enumerate(row.cells):
        if n == 0 and cell.kind == "text":
            cells.append(f'<th scope="row"{_span(cell)}>{_cell_text(cell, True)}</th>')
        elif cell.kind != "text":
            cells.append(f'<td class="num"{_span(cell)}>{escape(cell.text)}</td>')
        else:
            cells.append(f"<td{_span(cell)}>{_cell_text(cell, t.id == 'audits')}</td>")
    key = f' data-key="{escape(row.key)}"' if row.key else ""
    return f'<tr class="{" ".join(classes)}"{key}>' + "".join(cells) + "</tr>"


def figure(f: Figure) -> str:
    if f.svg:
        data = base64.b64encode(f.svg.encode("utf-8")).decode("ascii")
        src = f"data:image/svg+xml;base64,{data}"
    else:
        src = "data:image/png;base64," + base64.b64encode(f.png).decode("ascii")
    alt = escape(f.alt or f.title, quote=True)
    return (
        f'<figure id="figure-{escape(f.id)}"><img src="{src}" alt="{alt}">'
        f"<figcaption>{escape(f.title)}</figcaption></figure>"
    )
