"""DuckDB tables for analysis: the model's lines and, when read from a file, every detail row.

    con = to_duckdb(Path("지방재정365.csv"))            # import, then load
    con = to_duckdb(settlement)                         # a Settlement already in memory
    con.sql("SELECT division, CAST(SUM(spent) AS BIGINT) FROM expenditure_rows GROUP BY 1")

Tables:

- ``budget_lines`` — every line of every budget table (settlement, 부서별 summary, 연감 detail), with
  ``id``/``parent_id``, ``table_key``, ``kind``, ``depth``, ``division``, names, codes and amounts;
- ``revenue_lines`` and ``adjustments`` — likewise;
- from a file: ``expenditure_rows`` / ``revenue_rows`` (one row per detail or subtotal row as read,
  ``level`` null for details, ``line`` the sheet row or file line) and ``yearbook_cells`` (연감: one
  row per government × code).

Amounts are BIGINT in the table's unit (column ``unit``). DuckDB's ``SUM`` of a BIGINT returns a
DECIMAL(38,0): cast it back (``CAST(SUM(x) AS BIGINT)``) when an integer is wanted; the views
``division_totals`` and ``yearbook_totals`` do so.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import polars as pl

from gyeolsan.io.sheets import frame as fr
from gyeolsan.model import BudgetLine, RevenueLine, Settlement

BUDGET_COLUMNS = {
    "id": pl.Int64,
    "parent_id": pl.Int64,
    "table_key": pl.String,
    "kind": pl.String,
    "depth": pl.Int64,
    "division": pl.String,
    "name": pl.String,
    "code": pl.String,
    "unit": pl.String,
    "budget": pl.Int64,
    "budget_current": pl.Int64,
    "spent": pl.Int64,
    "carried_over": pl.Int64,
    "subsidy_returned": pl.Int64,
    "unused": pl.Int64,
    "sheet": pl.String,
    "cell": pl.String,
    "line": pl.Int64,
}
REVENUE_COLUMNS = {
    "id": pl.Int64,
    "parent_id": pl.Int64,
    "kind": pl.String,
    "depth": pl.Int64,
    "name": pl.String,
    "code": pl.String,
    "unit": pl.String,
    "budget": pl.Int64,
    "budget_current": pl.Int64,
    "levied": pl.Int64,
    "received": pl.Int64,
    "written_off": pl.Int64,
    "uncollected": pl.Int64,
}


def budget_frame(s: Settlement) -> pl.DataFrame:
    rows: list[dict[str, Any]] = []
    tables = [t for t in (s.settlement, s.expenditure.table if s.expenditure else None) if t is not None]

    def walk(
        line: BudgetLine, parent: int | None, depth: int, division: str | None, key: str, unit: str
    ) -> None:
        ident = len(rows) + 1
        division = line.name if line.kind == "division" else division
        rows.append(
            {
                "id": ident,
                "parent_id": parent,
                "table_key": key,
                "kind": line.kind,
                "depth": depth,
                "division": division,
                "name": line.name,
                "code": line.code,
                "unit": unit,
                **{
                    f: getattr(line, f)
                    for f in (
                        "budget",
                        "budget_current",
                        "spent",
                        "carried_over",
                        "subsidy_returned",
                        "unused",
                    )
                },
                "sheet": line.src.sheet,
                "cell": line.src.cell,
                "line": line.src.line,
            }
        )
        for child in line.children:
            walk(child, ident, depth + 1, division, key, unit)

    for t in tables:
        for root in t.lines:
            walk(root, None, 0, None, t.key, t.unit)
    return pl.DataFrame(rows, schema=BUDGET_COLUMNS)


def revenue_frame(s: Settlement) -> pl.DataFrame:
    rows: list[dict[str, Any]] = []
    if s.revenue is None:
        return pl.DataFrame(schema=REVENUE_COLUMNS)

    def walk(line: RevenueLine, parent: int | None, depth: int) -> None:
        ident = len(rows) + 1
        rows.append(
            {
                "id": ident,
                "parent_id": parent,
                "kind": line.kind,
                "depth": depth,
                "name": line.name,
                "code": line.code,
                "unit": s.revenue.unit,  # type: ignore[union-attr]
                **{
                    f: getattr(line, f)
                    for f in ("budget", "budget_current", "levied", "received", "written_off", "uncollected")
                },
            }
        )
        for child in line.children:
            walk(child, ident, depth + 1)

    for root in s.revenue.lines:
        walk(root, None, 0)
    return pl.DataFrame(rows, schema=REVENUE_COLUMNS)


def adjustments_frame(s: Settlement) -> pl.DataFrame:
    schema = {
        "kind": pl.String,
        "carry_kind": pl.String,
        "date": pl.String,
        "from_division": pl.String,
        "from_program": pl.String,
        "from_item": pl.String,
        "to_division": pl.String,
        "to_program": pl.String,
        "to_item": pl.String,
        "amount": pl.Int64,
        "unit": pl.String,
        "reason": pl.String,
    }
    rows = [
        {
            **{k: getattr(a, k) for k in schema if k not in ("date",)},
            "date": a.date.text if a.date else None,
        }
        for a in s.adjustments
    ]
    return pl.DataFrame(rows, schema=schema)


def _detail_columns(lf: pl.LazyFrame) -> list[pl.Expr]:
    names = lf.collect_schema().names()
    keep = [n for n in names if not n.startswith("_")]
    return [
        pl.col(fr.ROW).alias("line"),
        pl.col(fr.LEVEL).alias("level"),
        pl.col(fr.LABEL_TEXT).alias("label"),
        *[pl.col(n) for n in keep],
    ]


def to_duckdb(source: Settlement | Path | str, con: Any = None, *, profile: str | None = None) -> Any:
    """Load a settlement (or a file, imported first) into DuckDB; returns the connection."""
    import duckdb

    con = con if con is not None else duckdb.connect()
    parts = None
    if isinstance(source, str | Path):
        from gyeolsan.io.spreadsheet import import_with_tables

        result, parts = import_with_tables(Path(source), str(source), profile)
        settlement = result.settlement
    else:
        settlement = source
    for name, df in (
        ("budget_lines", budget_frame(settlement)),
        ("revenue_lines", revenue_frame(settlement)),
        ("adjustments", adjustments_frame(settlement)),
    ):
        _create(con, name, df)
    if parts is not None:
        for p in parts.prepared:
            table = "expenditure_rows" if p.raw.profile.kind == "expenditure" else "revenue_rows"
            lf = p.lf.select(_detail_columns(p.lf)).with_columns(pl.lit(p.unit).alias("unit"))
            with tempfile.TemporaryDirectory(prefix="gyeolsan-duck-") as tmp:
                spill = Path(tmp) / "rows.parquet"
                lf.sink_parquet(spill)  # streaming: a million rows never sit in Python memory
                con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM read_parquet(?)", [str(spill)])
        for prof, cells in parts.wide_frames:
            _create(
                con, "yearbook_cells", cells.with_columns(pl.lit(prof.codes or "item").alias("code_kind"))
            )
    _views(con)
    return con


def _create(con: Any, name: str, df: pl.DataFrame) -> None:
    arrow = df.to_arrow()  # noqa: F841 - scanned by name below
    con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM arrow")


def _views(con: Any) -> None:
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    if "budget_lines" in tables:
        con.execute(
            """CREATE OR REPLACE VIEW division_totals AS
               SELECT table_key, division,
                      CAST(SUM(budget) AS BIGINT) AS budget,
                      CAST(SUM(budget_current) AS BIGINT) AS budget_current,
                      CAST(SUM(spent) AS BIGINT) AS spent
               FROM budget_lines WHERE kind = 'division' GROUP BY ALL"""
        )
    if "yearbook_cells" in tables:
        con.execute(
            """CREATE OR REPLACE VIEW yearbook_totals AS
               SELECT code, name, CAST(SUM(amount) AS BIGINT) AS amount, COUNT(*) AS governments
               FROM yearbook_cells GROUP BY ALL ORDER BY code"""
        )
