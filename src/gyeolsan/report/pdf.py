"""PDF writer: the same document through one of two engines.

- ``typst`` (default) — :mod:`gyeolsan.report.pdf_typst`, the document as data into ``report.typ``;
  ~0.2 s for the sample, tagged PDF.
- ``weasyprint`` — :mod:`gyeolsan.report.pdf_weasyprint`, the printable HTML through WeasyPrint;
  the PDF is the HTML report exactly as a browser prints it, ~2.5 s for the sample.

Both give A4 pages with NanumGothic embedded, "n / N" page numbers, table headers repeated on every
page, rows never split and the charts as vector graphics (tested for both in tests/report/test_pdf.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, get_args

from gyeolsan.report.document import Document

Engine = Literal["typst", "weasyprint"]
ENGINES: tuple[str, ...] = get_args(Engine)
DEFAULT_ENGINE: Engine = "typst"


def _module(engine: str):  # type: ignore[no-untyped-def]
    if engine == "typst":
        from gyeolsan.report import pdf_typst

        return pdf_typst
    if engine == "weasyprint":
        from gyeolsan.report import pdf_weasyprint

        return pdf_weasyprint
    raise ValueError(f"알 수 없는 PDF 엔진 / unknown PDF engine: {engine!r} ({', '.join(ENGINES)})")


def render(doc: Document, *, font: str = "NanumGothic", engine: str = DEFAULT_ENGINE) -> bytes:
    data: bytes = _module(engine).render(doc, font=font)
    return data


def write(doc: Document, path: Path, *, font: str = "NanumGothic", engine: str = DEFAULT_ENGINE) -> None:
    from gyeolsan.io.atomic import atomic_write

    atomic_write(path, render(doc, font=font, engine=engine))
