"""Benchmark: import of the sample report and `gyeolsan --help` start-up (target < 0.3 s).

    uv run --frozen python benchmarks/bench_import.py [SAMPLE]

Prints a Markdown table; paste it into docs/benchmarks.md with the machine and date it prints.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from _machine import machine

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT.parent / "shared" / "seeds" / "000_1b1d515c849dd1d6.txt"


def best_of(n: int, func) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(n):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def main() -> None:
    sample = Path(sys.argv[1]) if len(sys.argv) > 1 else SAMPLE
    exe = [sys.executable, "-m", "gyeolsan"]
    rows = []
    rows.append(
        (
            "`gyeolsan --help` (process start to exit)",
            *best_of(10, lambda: subprocess.run([*exe, "--help"], capture_output=True, check=True)),
            "< 0.3 s",
        )
    )
    rows.append(
        (
            "`gyeolsan import` sample (process)",
            *best_of(
                5, lambda: subprocess.run([*exe, "import", str(sample)], capture_output=True, check=True)
            ),
            "—",
        )
    )
    from gyeolsan.io.canonical import dumps
    from gyeolsan.io.report_text import import_report_text

    import_report_text(sample)
    rows.append(
        ("import_report_text(sample) in-process", *best_of(20, lambda: import_report_text(sample)), "—")
    )
    s = import_report_text(sample).settlement
    rows.append(("canonical dumps (in-process)", *best_of(20, lambda: dumps(s)), "—"))
    print(f"Machine: {machine()}; date {date.today()}\n")
    print("| what | best | median | target |\n|---|---|---|---|")
    for what, best, median, target in rows:
        print(f"| {what} | {best * 1000:.0f} ms | {median * 1000:.0f} ms | {target} |")


if __name__ == "__main__":
    main()
