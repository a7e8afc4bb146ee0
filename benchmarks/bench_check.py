"""Benchmark: `gyeolsan check` on the sample report, process start to exit (target < 0.5 s).

    uv run --frozen python benchmarks/bench_check.py [SAMPLE] [--runs N] [--record]

Measures, best and median of N runs:
- the `gyeolsan check` process (console script of this virtualenv), start to exit, json and text output;
- in a fresh interpreter: importing the importer and the rule catalogue;
- in-process: importing the report, running every rule, and the rules of each category.
Prints a Markdown table with the machine and date; ``--record`` also writes it into docs/benchmarks.md
(section "`gyeolsan check`", replaced if present).
"""

from __future__ import annotations

import argparse
import os
import re
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
DOC = ROOT / "docs" / "benchmarks.md"
HEADING = "## `gyeolsan check`"
TARGET = 0.5


def timed(n: int, func: Callable[[], object]) -> tuple[float, float]:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def command() -> list[str]:
    script = Path(sys.executable).with_name("gyeolsan")
    return [str(script)] if script.exists() else [sys.executable, "-m", "gyeolsan"]


def environments() -> dict[str, dict[str, str]]:
    """Bytecode cached as in any installed package (kept outside the source tree), and never cached."""
    cached = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    cached["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="gyeolsan-pyc-")
    # never cached: an empty cache folder that may not be written to (the installed .pyc files unseen)
    never = {
        **os.environ,
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONPYCACHEPREFIX": tempfile.mkdtemp(prefix="no-pyc-"),
    }
    return {"": cached, " — no bytecode cache": never}


def process_rows(sample: Path, runs: int) -> list[tuple[str, float, float, str]]:
    rows = []
    for note, env in environments().items():
        for fmt in ("json", "text"):

            def check(fmt: str = fmt, env: dict[str, str] = env) -> None:
                args = [*command(), "check", str(sample), "--format", fmt]
                done = subprocess.run(args, capture_output=True, env=env)
                if done.returncode not in (0, 1):  # 1 = the sample has error findings, as it should
                    raise SystemExit(f"gyeolsan check failed ({done.returncode}):\n{done.stderr.decode()}")

            check()  # warm-up: writes the bytecode cache
            best, median = timed(runs, check)
            what = f"`gyeolsan check` sample `--format {fmt}` (process start to exit){note}"
            rows.append((what, best, median, "—" if note else "< 0.5 s"))
    code = "import gyeolsan.io.report_text, gyeolsan.rules; gyeolsan.rules.load_rule_modules()"
    env = environments()[""]
    best, median = timed(runs, lambda: subprocess.run([sys.executable, "-c", code], check=True, env=env))
    rows.append(("fresh interpreter: import importer + rule catalogue", best, median, "—"))
    return rows


def in_process_rows(sample: Path, runs: int) -> list[tuple[str, float, float, str]]:
    from gyeolsan.io.load import load_any
    from gyeolsan.rules import narrative, run, text
    from gyeolsan.rules.catalogue import CATEGORIES, all_rules
    from gyeolsan.rules.engine import run as run_rules

    settlement = load_any(sample).settlement

    def cold(func: Callable[[], object]) -> Callable[[], object]:
        """Each run starts with empty per-text caches, as a `gyeolsan check` process does."""

        def run_cold() -> object:
            for module in (narrative, text):
                for value in vars(module).values():
                    if hasattr(value, "cache_clear"):
                        value.cache_clear()
            return func()

        return run_cold

    rows = [
        ("in-process: import the sample (load_any)", *timed(runs, lambda: load_any(sample)), "—"),
        ("in-process: all rules (rules.run)", *timed(runs, cold(lambda: run(settlement))), "—"),
    ]
    every = all_rules()
    for category in CATEGORIES:
        chosen = [r for r in every if r.category == category]
        label = f"in-process: {category} rules ({len(chosen)})"
        rows.append((label, *timed(runs, cold(lambda c=chosen: run_rules(settlement, rules=c))), "—"))  # type: ignore[misc]
    return rows


def table(rows: list[tuple[str, float, float, str]]) -> str:
    out = ["| what | best | median | target |", "|---|---:|---:|---|"]
    out += [
        f"| {what} | {best * 1000:.0f} ms | {median * 1000:.0f} ms | {target} |"
        for what, best, median, target in rows
    ]
    return "\n".join(out)


def record(text: str) -> None:
    doc = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks / 성능 측정\n"
    pattern = re.compile(rf"^{re.escape(HEADING)}\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    if pattern.search(doc):
        doc = pattern.sub(lambda _: text.rstrip() + "\n\n", doc)
    else:
        doc = doc.rstrip() + "\n\n" + text.rstrip() + "\n"
    DOC.write_text(doc.rstrip() + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sample", nargs="?", type=Path, default=SAMPLE)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--record", action="store_true", help="write the table into docs/benchmarks.md")
    args = parser.parse_args()
    if not args.sample.exists():
        raise SystemExit(f"sample not found: {args.sample}")
    rows = process_rows(args.sample, args.runs) + in_process_rows(args.sample, args.runs)
    best_process = min(best for what, best, _, _ in rows[:2])
    verdict = "meets" if best_process < TARGET else "MISSES"
    text = "\n".join(
        [
            HEADING,
            "",
            "Command: `uv run --frozen python benchmarks/bench_check.py` (add `--record` to update this section)",
            "",
            f"Machine: {machine()}; date {date.today().isoformat()}; best and median of {args.runs} runs",
            "",
            table(rows),
            "",
            f"`gyeolsan check` on the sample {verdict} the {TARGET} s target (best {best_process * 1000:.0f} ms). "
            "The process time is mostly interpreter start-up and importing pydantic and the model; the "
            "rules themselves are the in-process rows. Without a bytecode cache (no `.pyc` files and "
            "`PYTHONDONTWRITEBYTECODE=1`, as in containers when packages are installed without compiling) every "
            "start recompiles the modules first; scripts/bootstrap.sh compiles them at install.",
        ]
    )
    print(text)
    if args.record:
        record(text)
        print(f"\nrecorded in {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
