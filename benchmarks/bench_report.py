"""Benchmark: writing the sample's report in every format (targets: all formats < 3 s, PDF < 1.5 s).

    uv run --frozen python benchmarks/bench_report.py [SAMPLE] [--runs N]

Measures, for the sample report, (1) the CLI as a user runs it (a fresh process: imports included),
the first time (charts drawn: an empty chart cache) and the next times (charts cached), and (2) in one
warm process: building the document, drawing the charts and each writer on its own.
Prints a Markdown table; paste it into docs/benchmarks.md with the machine and date it prints.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from _machine import machine

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT.parent / "shared" / "seeds" / "000_1b1d515c849dd1d6.txt"


def timed(n: int, func: Callable[[], object]) -> tuple[float, float]:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def fmt(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sample", nargs="?", type=Path, default=SAMPLE)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    runs: int = args.runs
    out = Path(tempfile.mkdtemp(prefix="gyeolsan-bench-"))
    cli = [sys.executable, "-m", "gyeolsan", "report", str(args.sample)]
    rows: list[tuple[str, float, float, str]] = []

    def process(*extra: str, cache: str) -> None:
        env = {**os.environ, "GYEOLSAN_CHART_CACHE": cache}
        subprocess.run([*cli, *extra], capture_output=True, check=True, env=env)

    def fresh() -> str:  # an empty chart cache: the charts are drawn (a user's first run)
        return tempfile.mkdtemp(prefix="charts-", dir=out)

    kept = fresh()
    process("-f", "all", "-o", str(out / "prime"), cache=kept)  # fills `kept` with every chart
    cases = [
        (
            "CLI `report -f pdf`, charts drawn (first run)",
            ("-f", "pdf", "-o", str(out / "r.pdf")),
            None,
            "< 1.5 s",
        ),
        (
            "CLI `report -f pdf`, charts cached (next runs)",
            ("-f", "pdf", "-o", str(out / "r.pdf")),
            kept,
            "< 1.5 s",
        ),
        (
            "CLI `report -f pdf --no-charts`",
            ("-f", "pdf", "--no-charts", "-o", str(out / "n.pdf")),
            kept,
            "—",
        ),
        (
            "CLI `report -f pdf --pdf-engine weasyprint`, charts cached",
            ("-f", "pdf", "--pdf-engine", "weasyprint", "-o", str(out / "w.pdf")),
            kept,
            "—",
        ),
        ("CLI `report -f md`", ("-f", "md", "-o", str(out / "r.md")), kept, "—"),
        (
            "CLI `report -f all`, charts drawn (first run)",
            ("-f", "all", "-o", str(out / "all")),
            None,
            "< 3 s",
        ),
        (
            "CLI `report -f all`, charts cached (next runs)",
            ("-f", "all", "-o", str(out / "all")),
            kept,
            "< 3 s",
        ),
    ]
    for name, extra, cache, target in cases:
        rows.append((name, *timed(runs, lambda e=extra, c=cache: process(*e, cache=c or fresh())), target))  # type: ignore[misc]

    os.environ["GYEOLSAN_CHART_CACHE"] = "off"  # in-process rows: always drawn
    from gyeolsan.io import load_any
    from gyeolsan.report import available_formats, write_document
    from gyeolsan.report.build import build
    from gyeolsan.report.prepare import prepare

    settlement = load_any(args.sample).settlement
    rows.append(("prepare (compute + placeholders)", *timed(runs, lambda: prepare(settlement)), "—"))
    rows.append(("build document", *timed(runs, lambda: build(settlement, charts=True)), "—"))

    def draw(fmt: str) -> None:
        for figure in build(settlement, charts=True).document.figures():
            getattr(figure, fmt)

    rows.append(("draw the 4 charts as SVG (matplotlib imported)", *timed(runs, lambda: draw("svg")), "—"))
    rows.append(("draw the 4 charts as PNG 200 dpi", *timed(runs, lambda: draw("png")), "—"))
    doc = build(settlement, charts=True).document
    for figure in doc.figures():  # the writers below get their images ready-made
        figure.svg, figure.png  # noqa: B018
    total = 0.0
    for fmt_name in available_formats():
        best, median = timed(runs, lambda f=fmt_name: write_document(doc, f, out / f"w.{f}"))  # type: ignore[misc]
        total += best
        rows.append((f"write {fmt_name} (warm)", best, median, "< 1.5 s" if fmt_name == "pdf" else "—"))
    rows.append(("all writers one after another (warm, sum of best)", total, total, "< 3 s"))
    from dataclasses import replace

    from gyeolsan.report.config import DEFAULT

    weasy = replace(DEFAULT, pdf_engine="weasyprint")
    rows.append(
        (
            "write pdf with WeasyPrint (warm)",
            *timed(runs, lambda: write_document(doc, "pdf", out / "w.pdf", None, weasy)),
            "—",
        )
    )

    print(f"Machine: {machine()}; date {date.today().isoformat()}; sample {args.sample.name}; best of {runs}")
    print()
    print("| what | best | median | target |")
    print("|---|---|---|---|")
    for name, best, median, target in rows:
        print(f"| {name} | {fmt(best)} | {fmt(median)} | {target} |")


if __name__ == "__main__":
    main()
