"""PDF through Typst: the document model as JSON into ``report.typ`` (A4, NanumGothic embedded, page
numbers, chapter running head, table headers repeated, rows never split, charts as vector SVG with
their text kept as text, tagged PDF with the charts' alt text).

Typst lays out the sample (18 pages; 24 through WeasyPrint) in ~0.2 s where WeasyPrint needs ~2.5 s; see
docs/architecture.md ("PDF engines"). The compiler is made once per process (loading the fonts is its main start-up cost)
and shared under a lock, since a Typst compiler is not meant for concurrent use.
"""

from __future__ import annotations

import json
import os
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from gyeolsan.report.document import Block, Document, Figure, Heading, PageBreak, Paragraph, Table, plain_text

TEMPLATE = Path(__file__).with_name("report.typ")
# Folders Typst reads fonts from (Debian's fonts-nanum and fonts-noto-cjk); only the ones present are
# used. System fonts are not scanned: the result must not depend on what else a machine has.
FONT_DIRS = ("/usr/share/fonts/truetype/nanum", "/usr/share/fonts/opentype/noto")
FALLBACK_FONTS = ("NanumGothic", "Noto Sans CJK KR")


class TypstFailed(RuntimeError):
    """The Typst layout failed: a bug in the template or a font missing, not a user error."""


def _block(block: Block) -> dict[str, Any] | None:
    if isinstance(block, Heading):
        return {"type": "heading", "level": block.level, "text": plain_text(block.text)}
    if isinstance(block, Paragraph):
        return {
            "type": "paragraph",
            "style": block.style,
            "level": block.level,
            "text": plain_text(block.text),
        }
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Figure):
        title = plain_text(block.title)
        return {"type": "figure", "id": block.id, "title": title, "alt": plain_text(block.alt) or title}
    if isinstance(block, PageBreak):
        return {"type": "pagebreak"}
    return None


def _table(t: Table) -> dict[str, Any]:
    def cell(c: Any) -> dict[str, Any]:
        return {"text": plain_text(c.text), "kind": c.kind, "colspan": c.colspan, "rowspan": c.rowspan}

    return {
        "type": "table",
        "id": t.id,
        "caption": plain_text(t.caption),
        "unit": t.unit,
        "widths": list(t.widths),
        "text": all(c.kind == "text" for r in t.rows for c in r.cells),  # top-aligned prose cells
        "header": [[cell(c) for c in cells] for cells in t.header],
        "rows": [{"level": r.level, "bold": r.bold, "cells": [cell(c) for c in r.cells]} for r in t.rows],
    }


def document_json(doc: Document, font: str = "NanumGothic") -> str:
    """The input of ``report.typ``: every block of the document, texts as printed."""
    fonts = [font, *(f for f in FALLBACK_FONTS if f != font)]
    data = {
        "title": plain_text(doc.title),
        "office": plain_text(doc.office) if doc.office else None,
        "date": plain_text(doc.date) if doc.date else None,
        "fonts": fonts,
        "meta": {k: v for k, v in doc.meta.items() if v},
        "blocks": [b for b in map(_block, doc.blocks) if b is not None],
    }
    return json.dumps(data, ensure_ascii=False)


_compiler: Any = None
_lock = threading.Lock()


def _get_compiler() -> Any:
    global _compiler
    if _compiler is None:
        import typst

        fonts = [d for d in FONT_DIRS if Path(d).is_dir()]
        _compiler = typst.Compiler(
            str(TEMPLATE), root=str(TEMPLATE.parent), font_paths=fonts, ignore_system_fonts=True
        )
    return _compiler


def _timestamp() -> datetime:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC).replace(microsecond=0)


def render(doc: Document, *, font: str = "NanumGothic") -> bytes:
    import typst

    inputs = {"document": document_json(doc, font)}
    for figure in doc.figures():
        inputs[f"figure-{figure.id}"] = figure.svg or ""
    with _lock:
        compiler = _get_compiler()
        try:
            pdf = compiler.compile(format="pdf", sys_inputs=inputs, timestamp=_timestamp())
        except typst.TypstError as exc:
            raise TypstFailed(
                f"Typst 조판 실패 / Typst layout failed: {exc.message}\n{exc.diagnostic}"
            ) from exc
    assert isinstance(pdf, bytes)
    return pdf


def write(doc: Document, path: Path, *, font: str = "NanumGothic") -> None:
    from gyeolsan.io.atomic import atomic_write

    atomic_write(path, render(doc, font=font))
