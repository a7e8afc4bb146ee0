"""The aggregate identities as SQL, run in DuckDB (written without DuckDB-only syntax so that the web app
could run the same text on PostgreSQL; only DuckDB is tested).

:func:`load_budget_lines` puts the rows of a settlement's budget tables (section I 결산표 and the
section IV 부서별 표) into one table ``budget_lines``; :func:`run_sql` runs the queries below and turns
each violation into the same :class:`~gyeolsan.model.Finding` the Python rules produce (through the
same classification: rounding within tolerance → ROUND001/ROUND005, otherwise SUM/RATE).

duckdb is imported inside the functions: the CLI must start fast.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from gyeolsan.model import BudgetLine, BudgetTable, Finding, Settlement

AMOUNT_COLUMNS = (
    "budget",
    "budget_current",
    "spent",
    "carried_over",
    "carried_explicit",
    "carried_accident",
    "carried_continuing",
    "subsidy_returned",
    "unused",
)

CREATE_SQL = """
CREATE TABLE budget_lines (
    id BIGINT PRIMARY KEY,
    parent_id BIGINT,
    table_key VARCHAR NOT NULL,      -- 'settlement' (section I) | 'expenditure_summary' (section IV)
    kind VARCHAR NOT NULL,           -- total, business, basic_total, division, policy, unit, detail, item, basic
    name VARCHAR NOT NULL,
    line INTEGER,                    -- 1-based line in the source document
    budget BIGINT,                   -- 예산액
    budget_current BIGINT,           -- 예산현액
    spent BIGINT,                    -- 집행액
    carried_over BIGINT,             -- 다음연도 이월액
    carried_explicit BIGINT,
    carried_accident BIGINT,
    carried_continuing BIGINT,
    subsidy_returned BIGINT,
    unused BIGINT,                   -- 집행잔액
    rate DECIMAL(9, 3)               -- 집행률 as printed
)
"""

# One row per (line, column): a portable unpivot (DuckDB and PostgreSQL both accept LATERAL VALUES).
_CELLS = """cells AS (
    SELECT b.id, b.parent_id, b.table_key, b.kind, v.field, v.amount
    FROM budget_lines AS b
    CROSS JOIN LATERAL (VALUES
        ('budget', b.budget), ('budget_current', b.budget_current), ('spent', b.spent),
        ('carried_over', b.carried_over), ('carried_explicit', b.carried_explicit),
        ('carried_accident', b.carried_accident), ('carried_continuing', b.carried_continuing),
        ('subsidy_returned', b.subsidy_returned), ('unused', b.unused)
    ) AS v(field, amount)
)"""

# SUM001: every row with children equals the sum of its children, column by column.
SUM_TREE_SQL = f"""WITH {_CELLS}
SELECT p.id AS parent_id, 'children' AS identity, p.field,
       COALESCE(p.amount, 0) AS stated, CAST(COALESCE(SUM(c.amount), 0) AS BIGINT) AS computed
FROM cells AS p
JOIN cells AS c ON c.parent_id = p.id AND c.field = p.field
GROUP BY p.id, p.field, p.amount
HAVING COALESCE(p.amount, 0) <> COALESCE(SUM(c.amount), 0)
ORDER BY p.id, p.field"""

# SUM002: 합계 = 사업예산 + 기본경비 = Σ 부서; 사업예산 = Σ 정책사업; 기본경비 = Σ 부서 기본경비.
SUM_TOP_SQL = f"""WITH roots AS (
    SELECT * FROM budget_lines WHERE parent_id IS NULL
), groups AS (
    SELECT t.id AS parent_id, 'business+basic' AS identity, c.id AS child_id
    FROM roots AS t JOIN roots AS c ON c.table_key = t.table_key AND c.kind IN ('business', 'basic_total')
    WHERE t.kind = 'total'
      AND (SELECT count(DISTINCT x.kind) FROM roots AS x
           WHERE x.table_key = t.table_key AND x.kind IN ('business', 'basic_total')) = 2
    UNION ALL
    SELECT t.id, 'divisions', c.id
    FROM roots AS t JOIN roots AS c ON c.table_key = t.table_key AND c.kind = 'division'
    WHERE t.kind = 'total'
    UNION ALL
    SELECT t.id, CASE WHEN t.kind = 'business' THEN 'policies' ELSE 'basic' END, c.id
    FROM roots AS t
    JOIN roots AS d ON d.table_key = t.table_key AND d.kind = 'division'
    JOIN budget_lines AS c ON c.parent_id = d.id
    WHERE (t.kind = 'business' AND c.kind <> 'basic') OR (t.kind = 'basic_total' AND c.kind = 'basic')
), {_CELLS}
SELECT g.parent_id, g.identity, p.field,
       COALESCE(p.amount, 0) AS stated, CAST(COALESCE(SUM(c.amount), 0) AS BIGINT) AS computed
FROM groups AS g
JOIN cells AS p ON p.id = g.parent_id
JOIN cells AS c ON c.id = g.child_id AND c.field = p.field
GROUP BY g.parent_id, g.identity, p.field, p.amount
HAVING COALESCE(p.amount, 0) <> COALESCE(SUM(c.amount), 0)
ORDER BY g.parent_id, g.identity, p.field"""

# RATE001: 집행률 = 집행액 ÷ 예산현액 × 100, one decimal, half-up: rate × 10 = ⌊(1000·집행액 + 예산현액/2) ÷ 예산현액⌋.
# (The floor of a correctly rounded double is exact here: the quotient is at least 1/(2·예산현액) away from the
# next integer, far above double precision for any budget below 10^12.)
RATE_SQL = """WITH computed AS (
    SELECT id, rate,
           CAST(FLOOR((COALESCE(spent, 0) * 2000 + budget_current) / (2.0 * budget_current)) AS BIGINT) AS tenths
    FROM budget_lines
    WHERE rate IS NOT NULL AND budget_current > 0 AND COALESCE(spent, 0) >= 0
)
SELECT id, rate AS stated, CAST(tenths AS DECIMAL(18, 1)) / 10 AS expected
FROM computed
WHERE rate * 10 <> tenths
ORDER BY id"""

_IDENTITY_LABELS = {
    "children": "하위 항목 합계",
    "business+basic": "사업예산+기본경비",
    "divisions": "부서 합계",
    "policies": "정책사업 합계",
    "basic": "부서 기본경비 합계",
}


def budget_tables(s: Settlement) -> list[BudgetTable]:
    return [t for t in (s.settlement, s.expenditure.table if s.expenditure else None) if t is not None]


def load_budget_lines(con: Any, s: Settlement) -> dict[int, tuple[BudgetTable, BudgetLine]]:
    """Create and fill ``budget_lines``; return id → (table, row)."""
    con.execute(CREATE_SQL)
    rows: list[tuple[object, ...]] = []
    ids: dict[int, tuple[BudgetTable, BudgetLine]] = {}

    def add(table: BudgetTable, line: BudgetLine, parent: int | None) -> None:
        row_id = len(ids) + 1
        ids[row_id] = (table, line)
        amounts = tuple(getattr(line, c) for c in AMOUNT_COLUMNS)
        rows.append((row_id, parent, table.key, line.kind, line.name, line.src.line, *amounts, line.rate))
        for child in line.children:
            add(table, child, row_id)

    for table in budget_tables(s):
        for root in table.lines:
            add(table, root, None)
    if rows:
        marks = ", ".join("?" * len(rows[0]))
        con.executemany(f"INSERT INTO budget_lines VALUES ({marks})", rows)
    return ids


def run_sql(s: Settlement, config: Any = None, path: str | None = None) -> list[Finding]:
    """SUM001, SUM002 and RATE001 (with their ROUND001/ROUND005 rounding notes) computed in DuckDB."""
    import duckdb

    from gyeolsan.rules import load_rule_modules
    from gyeolsan.rules.arithmetic import _amounts, _rates
    from gyeolsan.rules.checks import RateCheck, execution_rate_check, merge, mismatch_check
    from gyeolsan.rules.config import DEFAULT
    from gyeolsan.rules.context import RuleContext
    from gyeolsan.rules.rounding import _rounding_amounts, _rounding_rates
    from gyeolsan.rules.sums import Mismatch, settlement_identities

    load_rule_modules()
    ctx = RuleContext(settlement=s, config=config or DEFAULT, path=path or s.meta.source_path or "")
    identities = settlement_identities(ctx)
    con = duckdb.connect()
    try:
        ids = load_budget_lines(con, s)
        mismatches: list[Mismatch] = []
        for query in (SUM_TREE_SQL, SUM_TOP_SQL):
            for parent_id, identity, field, stated, computed in con.execute(query).fetchall():
                parent = ids[parent_id][1]
                what = _IDENTITY_LABELS[identity]
                ident = next(i for i in identities if i.parent is parent and i.what == what)
                mismatches.append(Mismatch(ident, field, int(stated), int(computed)))
        amount = merge(mismatch_check(ctx, m, identities) for m in mismatches)
        rates: list[RateCheck] = []
        for row_id, _stated, expected in con.execute(RATE_SQL).fetchall():
            table, line = ids[row_id]
            rate_check = execution_rate_check(ctx, table, line, Decimal(expected).quantize(Decimal("0.1")))
            if rate_check is not None:
                rates.append(rate_check)
    finally:
        con.close()
    ctx.memo["amount_checks"] = amount
    ctx.memo["rate_checks"] = rates
    findings: list[Finding] = []
    for rule_id in ("SUM001", "SUM002"):
        findings += _amounts(ctx, rule_id)
    findings += _rates(ctx, "RATE001")
    findings += _rounding_amounts(ctx)
    findings += _rounding_rates(ctx)
    return sorted(findings, key=Finding.sort_key)
