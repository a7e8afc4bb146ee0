"""Benchmark: writing the sample's report in every format (targets: all formats < 3 s, PDF < 1.5 s).

    uv run --frozen python benchmarks/bench_report.py [SAMPLE] [--runs N]

Measures, for the sample report, (1) the CLI as a user runs it (a fresh process: imports included),
and (2) in one warm process: building the document (prepare + charts) and each writer on its own.
Prints a Markdown table; paste it into docs/benchmarks.md with the machine and date it prints.
"""

from __future__ import annotations

import argparse
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

    def process(*extra: str) -> None:
        subprocess.run([*cli, *extra], capture_output=True, check=True)

    rows.append(
        (
            "CLI `report -f pdf` (process)",
            *timed(runs, lambda: process("-f", "pdf", "-o", str(out / "r.pdf"))),
            "< 1.5 s",
        )
    )
    rows.append(
        (
            "CLI `report -f md` (process)",
            *timed(runs, lambda: process("-f", "md", "-o", str(out / "r.md"))),
            "—",
        )
    )
    rows.append(
        (
            "CLI `report -f all` (process)",
            *timed(runs, lambda: process("-f", "all", "-o", str(out / "all"))),
            "< 3 s",
        )
    )

    from gyeolsan.io import load_any
    from gyeolsan.report import available_formats, write_document
    from gyeolsan.report.build import build
    from gyeolsan.report.prepare import prepare

    settlement = load_any(args.sample).settlement
    rows.append(("prepare (compute + placeholders)", *timed(runs, lambda: prepare(settlement)), "—"))
    build(settlement, charts=True)  # warm: imports, fonts
    rows.append(("build document without charts", *timed(runs, lambda: build(settlement, charts=False)), "—"))
    rows.append(("build document with 4 charts", *timed(runs, lambda: build(settlement, charts=True)), "—"))
    doc = build(settlement, charts=True).document
    total = 0.0
    for fmt_name in available_formats():
        best, median = timed(runs, lambda f=fmt_name: write_document(doc, f, out / f"w.{f}"))  # type: ignore[misc]
        total += best
        rows.append((f"write {fmt_name} (warm)", best, median, "< 1.5 s" if fmt_name == "pdf" else "—"))
    rows.append(("all writers together (warm, sum of best)", total, total, "< 3 s"))

    print(f"Machine: {machine()}; date {date.today().isoformat()}; sample {args.sample.name}; best of {runs}")
    print()
    print("| what | best | median | target |")
    print("|---|---|---|---|")
    for name, best, median, target in rows:
        print(f"| {name} | {fmt(best)} | {fmt(median)} | {target} |")


if __name__ == "__main__":
    main()
