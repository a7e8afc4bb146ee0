"""Reports: the document model (``document``), computed figures (``compute``), placeholders, charts and
one writer module per format (``markdown``, ``html``, ``pdf``, ``docx``, ``xlsx``, ``hwpx``).

``render(settlement, fmt, path)`` builds the document once and writes it atomically.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
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


# Rough cost of each writer for the sample, in seconds (docs/benchmarks.md), to split the work of
# write_all(parallel=True) into two halves of about the same length.
COST = {"hwpx": 1.0, "docx": 0.25, "xlsx": 0.15, "html": 0.05, "md": 0.02, "pdf": 0.3, "pdf-weasyprint": 2.5}


def split_jobs(
    jobs: Sequence[tuple[str, Path]], config: ReportConfig | None = None
) -> tuple[list[tuple[str, Path]], list[tuple[str, Path]]]:
    """Two groups of about equal cost (greedy: the dearest job first, into the lighter group)."""
    engine = config.pdf_engine if config is not None else "typst"

    def cost(fmt: str) -> float:
        return COST.get(f"pdf-{engine}" if fmt == "pdf" and engine != "typst" else fmt, 0.1)

    groups: tuple[list[tuple[str, Path]], list[tuple[str, Path]]] = ([], [])
    loads = [0.0, 0.0]
    for job in sorted(jobs, key=lambda j: -cost(j[0])):
        n = 0 if loads[0] <= loads[1] else 1
        groups[n].append(job)
        loads[n] += cost(job[0])
    return groups


def write_all(
    doc: Document,
    jobs: Sequence[tuple[str, Path]],
    settlement: Settlement | None = None,
    config: ReportConfig | None = None,
    *,
    parallel: bool = False,
) -> None:
    """Write ``doc`` once per ``(format, path)``. With ``parallel`` (the CLI; never inside a threaded
    server) half of the work runs in a forked process while this one writes the rest: on two cores
    ``report -f all`` takes about as long as its slowest half (the HWPX writer alone)."""
    own, child = split_jobs(jobs, config)
    if not (parallel and child and own and can_fork()):
        _write(doc, jobs, settlement, config)
        return
    forked(lambda: _write(doc, child, settlement, config), lambda: _write(doc, own, settlement, config))


def _write(
    doc: Document,
    jobs: Sequence[tuple[str, Path]],
    settlement: Settlement | None,
    config: ReportConfig | None,
) -> None:
    for fmt, path in jobs:
        write_document(doc, fmt, path, settlement, config)


def forked(theirs: Callable[[], None], mine: Callable[[], None]) -> None:
    """Run ``theirs`` in a forked process and ``mine`` here, at the same time. The child leaves with
    ``os._exit`` (no interpreter teardown, ~0.2 s with the document libraries loaded); an exception in
    it is sent back through a pipe and raised here, after ``mine`` is done."""
    import os
    import pickle
    import sys

    for stream in (sys.stdout, sys.stderr):  # nothing buffered twice
        stream.flush()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_end)
        code = 0
        try:
            theirs()
        except BaseException as exc:
            code = 1
            try:
                payload = pickle.dumps(exc)
            except Exception:  # an exception that does not pickle: its text
                payload = pickle.dumps(RuntimeError(f"{type(exc).__name__}: {exc}"))
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(payload)
        finally:
            os._exit(code)
    os.close(write_end)
    try:
        mine()
    finally:
        with os.fdopen(read_end, "rb") as pipe:
            payload = pipe.read()
        os.waitpid(pid, 0)
    if payload:
        raise pickle.loads(payload)


def can_fork() -> bool:
    """Fork only a process that runs no other thread — and no Typst yet: Typst's worker threads
    (Rust, invisible to ``threading``) do not survive a fork, and a PDF written by the forked process
    would wait for them forever."""
    import sys
    import threading

    typst_used = getattr(sys.modules.get("gyeolsan.report.pdf_typst"), "_compiler", None) is not None
    return sys.platform == "linux" and threading.active_count() == 1 and not typst_used


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
    written = [
        Path(path) / f"{report_stem(settlement)}{FORMATS[f][1]}" if fmt == "all" else Path(path)
        for f in formats
    ]
    write_all(doc, list(zip(formats, written, strict=True)), settlement, config)
    return written


def report_stem(settlement: Settlement) -> str:
    source = settlement.meta.source_path
    if source:
        return Path(source).stem
    return f"gyeolsan-{settlement.meta.fiscal_year}"
