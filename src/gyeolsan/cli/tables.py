"""Terminal rendering of the main tables (rich)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from gyeolsan.model import BudgetLine, Settlement
from gyeolsan.model.numbers import format_number, format_rate


def _budget_rows(table: Table, line: BudgetLine, depth: int) -> None:
    style = "bold" if line.kind in ("total", "division") else None
    table.add_row(
        "  " * depth + line.name,
        format_number(line.budget),
        format_number(line.budget_current),
        format_number(line.spent),
        format_rate(line.rate),
        style=style,
    )
    for child in line.children:
        _budget_rows(table, child, depth + 1)


def print_tables(s: Settlement, console: Console | None = None) -> None:
    console = console or Console()
    console.print(f"[bold]{s.meta.title}[/bold]  {s.meta.office or ''}  ({s.meta.fiscal_year} 회계연도)")
    if s.settlement:
        t = Table(title=f"{s.settlement.title} (단위: {s.settlement.unit})")
        for col in ("부서/사업명", "예산액", "예산현액", "집행액", "집행률(%)"):
            t.add_column(col, justify="left" if col == "부서/사업명" else "right")
        for line in s.settlement.lines:
            _budget_rows(t, line, 0)
        console.print(t)
    if s.revenue and s.revenue.lines:
        t = Table(title=f"세입결산 (단위: {s.revenue.unit})")
        for col in ("구분", "예산액", "예산현액", "징수결정액", "수납액", "미수납액"):
            t.add_column(col, justify="left" if col == "구분" else "right")
        for root in s.revenue.lines:
            for ln in root.walk():
                t.add_row(
                    ("  " if ln.kind == "item" else "") + ln.name,
                    *(
                        format_number(v)
                        for v in (ln.budget, ln.budget_current, ln.levied, ln.received, ln.uncollected)
                    ),
                )
        console.print(t)
