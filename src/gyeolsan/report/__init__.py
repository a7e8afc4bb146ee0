"""Reports: the document model (``document``), computed figures (``compute``), placeholders, charts and
one writer module per format (``markdown``, ``html``, ``pdf``, ``docx``, ``xlsx``, ``hwpx``).

``render(settlement, fmt, path)`` builds the document once and writes it atomically.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gyeolsan.model import Finding, Settlement
    from gyeolsan.report.config import ReportConfig
    from gyeolsan.report.document import Document

# format → (writer module, file suffix)
FORMATS: dict[str, tuple[str, str]] = {
    "md": ("markdown", ".md"),
    "html": ("html", ".html"),
    "pdf": ("pdf", ".pdf"),
    "docx": ("docx", ".docx"),
    "xlsx": ("xlsx", ".xlsx"),
    "hwpx": ("hwpx", ".hwpx"),
}
CHART_FORMATS = {"html", "pdf", "docx", "hwpx"}  # formats that show charts


class WriterMissing(LookupError):
    """The writer module of a format is not available (yet)."""

    def __init__(self, fmt: str):
        self.fmt = fmt
        super().__init__(
            f"'{fmt}' 형식의 보고서 작성기가 아직 없습니다 / no writer for format '{fmt}' yet "
            f"(gyeolsan.report.{FORMATS[fmt][0] if fmt in FORMATS else fmt})"
        )


def writer(fmt: str) -> ModuleType:
    if fmt not in FORMATS:
        raise WriterMissing(fmt)
    name = f"gyeolsan.report.{FORMATS[fmt][0]}"
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name == name:
            raise WriterMissing(fmt) from None
        raise
    if not hasattr(module, "write") and not hasattr(module, "render"):
        raise WriterMissing(fmt)
    return module


def available_formats() -> list[str]:
    out = []
    for fmt in FORMATS:
        try:
            writer(fmt)
        except WriterMissing:
            continue
        out.append(fmt)
    return out


def write_document(
    doc: Document,
    fmt: str,
    path: Path,
    settlement: Settlement | None = None,
    config: ReportConfig | None = None,
) -> None:
    """Write ``doc`` as ``fmt`` to ``path`` atomically (temp file in the same folder, then rename).
    ``config`` gives the font (HTML/PDF) and the PDF engine."""
    from gyeolsan.io.atomic import atomic_path
    from gyeolsan.report.config import DEFAULT

    cfg = config or DEFAULT
    module = writer(fmt)
    path = Path(path)
    with atomic_path(path, prefix=f".{path.stem}.", suffix=path.suffix or FORMATS[fmt][1]) as tmp:
        if fmt == "xlsx" and settlement is not None:  # the provenance sheet lists each row's source line
            module.write(doc, tmp, settlement=settlement)
        elif fmt == "pdf":
            module.write(doc, tmp, font=cfg.font, engine=cfg.pdf_engine)
        elif fmt == "html":
            module.write(doc, tmp, font=cfg.font)
        elif hasattr(module, "write"):
            module.write(doc, tmp)
        else:
            data = module.render(doc)
            tmp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def render(
    settlement: Settlement,
    fmt: str,
    path: Path,
    config: ReportConfig | None = None,
    findings: Sequence[Finding] | None = None,
) -> list[Path]:
    """Build the report of ``settlement`` and write it; ``fmt="all"`` writes every available format
    into the folder ``path``. Returns the written paths."""
    from gyeolsan.report.document import build_document

    formats = available_formats() if fmt == "all" else [fmt]
    for f in formats:
        writer(f)  # fail before building anything
    charts = any(f in CHART_FORMATS for f in formats)
    doc = build_document(
        settlement, config, findings=list(findings) if findings is not None else None, charts=charts
    )
    written = []
    for f in formats:
        target = Path(path) / f"{report_stem(settlement)}{FORMATS[f][1]}" if fmt == "all" else Path(path)
        write_document(doc, f, target, settlement, config)
        written.append(target)
    return written


def report_stem(settlement: Settlement) -> str:
    source = settlement.meta.source_path
    if source:
        return Path(source).stem
    return f"gyeolsan-{settlement.meta.fiscal_year}"
