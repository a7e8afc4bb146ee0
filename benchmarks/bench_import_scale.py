"""Benchmark: importing national-scale spreadsheets — gyeolsan vs plain pandas with the same checks.

    uv run --frozen python benchmarks/bench_import_scale.py [--rows 1000000] [--append]

Builds (once, cached in $TMPDIR/gyeolsan-bench) a synthetic 지방재정365-style 세부사업 CSV of
``--rows`` rows (amounts in 원, text with commas) and a 지방재정연감 table (≈ 260 local governments ×
≈ 140 통계목 columns, codes in three header rows). Each measurement runs in its own process, so the
peak memory (``ru_maxrss``) is that import's alone. The pandas baseline reads the same file
(``read_csv`` with every column as text / ``read_excel``) and runs the same checks written directly in
pandas: exact amount parsing (commas, △, parentheses, scientific notation), the 예산현액 identity,
duplicated rows, codes against the code list, and the sums by 부서 → 정책사업 → 단위사업 (for the
연감: the 계 rows and columns against their parts). ``--append`` adds the table to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from _machine import machine

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "sheets"))


# ------------------------------------------------------------------------------ the measured work


def run_gyeolsan(path: str) -> int:
    from gyeolsan.io.spreadsheet import import_spreadsheet

    result = import_spreadsheet(Path(path))
    table = result.settlement.settlement
    assert table is not None
    return sum(1 for _ in table.all_lines())


def _parse_amounts(col):  # type: ignore[no-untyped-def]
    """Exact amounts from text, in pandas: "1,234", "△1,234", "(1,234)", "3.1E10"; NaN for text."""
    from decimal import Decimal, InvalidOperation

    import pandas as pd

    s = col.fillna("").str.replace(",", "", regex=False).str.strip()
    neg = s.str.startswith(("△", "-")) | (s.str.startswith("(") & s.str.endswith(")"))
    body = s.str.strip("()").str.lstrip("△-+")
    plain = pd.to_numeric(body.where(body.str.fullmatch(r"\d+")), errors="coerce").astype("Int64")
    other = body[plain.isna() & (body != "")]

    def exact(t: str) -> object:
        try:
            d = Decimal(t)
        except InvalidOperation:
            return pd.NA
        return int(d) if d == d.to_integral_value() else pd.NA

    plain.loc[other.index] = other.map(exact).astype("Int64")
    plain = plain.where(s != "", 0)
    return plain.where(~neg, -plain)


def run_pandas_csv(path: str) -> int:
    import csv

    import pandas as pd

    codes = {
        r["code"]
        for r in csv.DictReader((ROOT / "src/gyeolsan/data/codes/item_2017.csv").open(encoding="utf-8"))
    }
    df = pd.read_csv(path, skiprows=1, dtype=str, keep_default_na=False)
    money = ["예산액", "예산현액", "지출액", "명시이월", "사고이월", "계속비이월", "보조금반납", "집행잔액"]
    for m in money:
        df[m] = _parse_amounts(df[m])
    bad = df[money].isna().any(axis=1).sum()
    carried = df["명시이월"] + df["사고이월"] + df["계속비이월"]
    identity = (df["예산현액"] != df["지출액"] + carried + df["보조금반납"] + df["집행잔액"]).sum()
    keys = ["자치단체", "부서명", "정책사업", "단위사업", "세부사업코드", "통계목코드"]
    dups = df.duplicated(subset=keys + money, keep=False).sum()
    unknown = (~df["통계목코드"].isin(codes)).sum()
    over = (df["지출액"] > df["예산현액"]).sum()
    levels = [
        ["자치단체", "부서명"],
        ["자치단체", "부서명", "정책사업"],
        ["자치단체", "부서명", "정책사업", "단위사업"],
    ]
    lines = sum(len(df.groupby(k, sort=False)[money].sum()) for k in levels)
    _ = (bad, identity, dups, unknown, over)
    return int(lines)


def run_pandas_excel(path: str) -> int:
    import pandas as pd

    df = pd.read_excel(path, header=[2, 3, 4], index_col=0)
    df = df.apply(lambda c: pd.to_numeric(c.astype(str).str.replace(",", ""), errors="coerce"))
    labels = df.index.astype(str).str.replace(" ", "")
    details = df[~labels.str.endswith("계") & ~labels.str.startswith("전국")]
    leaf = [c for c in df.columns if str(c[2]).split(" ")[0].isdigit() and len(str(c[2]).split(" ")[0]) == 5]
    total = df.iloc[0][leaf].sum()
    check_rows = abs(total - details[leaf].sum().sum()) < 1
    groups = {}
    for c in leaf:
        groups.setdefault(c[0], []).append(c)
    group_cols = [c for c in df.columns if str(c[1]) == "계"]
    mismatches = sum(int((df[g] != df[groups[g[0]]].sum(axis=1)).sum()) for g in group_cols if g[0] in groups)
    _ = (check_rows, mismatches)
    return int(details[leaf].notna().sum().sum())


def child(kind: str, path: str) -> None:
    start = time.perf_counter()
    out = {"gyeolsan": run_gyeolsan, "pandas_csv": run_pandas_csv, "pandas_excel": run_pandas_excel}[kind](
        path
    )
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "out": out}))


def measure(kind: str, path: Path) -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(path)], capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


# ------------------------------------------------------------------------------ main


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--append", action="store_true", help="append the results to docs/benchmarks.md")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return
    from make_fixtures import make_detail_csv, make_national_yearbook

    cache = Path(tempfile.gettempdir()) / "gyeolsan-bench"
    cache.mkdir(exist_ok=True)
    big_csv = cache / f"detail_{args.rows}.csv"
    if not big_csv.exists():
        make_detail_csv(big_csv, args.rows)
    yearbook = cache / "yearbook_national.xlsx"
    if not yearbook.exists():
        make_national_yearbook(yearbook)
    cells = 255 * 139
    rows = []
    for label, path, count, what, ours, theirs in (
        (
            f"세부사업 CSV, {args.rows:,} rows ({big_csv.stat().st_size / 2**20:,.0f} MB)",
            big_csv,
            args.rows,
            "rows",
            "gyeolsan",
            "pandas_csv",
        ),
        (
            "지방재정연감 XLSX, 255 governments × 139 통계목",
            yearbook,
            cells,
            "cells",
            "gyeolsan",
            "pandas_excel",
        ),
    ):
        a = measure(ours, path)
        b = measure(theirs, path)
        rows.append((label, count, what, a, b))
    lines = [
        f"Command: `uv run --frozen python benchmarks/bench_import_scale.py --rows {args.rows}`",
        "",
        f"Machine: {machine()}; date {date.today()}; load average {os.getloadavg()[0]:.1f}",
        "",
        "| input | tool | time | throughput | peak memory |",
        "|---|---|---:|---:|---:|",
    ]
    for label, count, what, a, b in rows:
        for tool, m in (("gyeolsan import (checks + model)", a), ("pandas + the same checks", b)):
            speed = f"{count / m['seconds']:,.0f} {what}/s"
            lines.append(f"| {label} | {tool} | {m['seconds']:.1f} s | {speed} | {m['peak_mb']:,.0f} MB |")
    table = "\n".join(lines)
    print(table)
    if args.append:
        doc = ROOT / "docs" / "benchmarks.md"
        text = doc.read_text(encoding="utf-8") if doc.exists() else "# Benchmarks / 성능 측정\n"
        heading = "## Spreadsheet import at scale / 대용량 엑셀·CSV 가져오기"
        note = (
            "gyeolsan streams the CSV with polars (prepared once into a temporary Parquet file), so its memory "
            "follows the aggregates, not the file; pandas holds every cell as a Python string. gyeolsan also "
            "builds the settlement model (부서 → 정책사업 → 단위사업 lines with sources) and located findings."
        )
        doc.write_text(text.rstrip() + f"\n\n{heading}\n\n{table}\n\n{note}\n", encoding="utf-8")
        print(f"appended to {doc}")


if __name__ == "__main__":
    main()
