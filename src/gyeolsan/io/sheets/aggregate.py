"""From 세부사업/통계목 detail rows up to the report hierarchy: 부서 → 정책사업 → 단위사업 (→ 세부사업 → 통계목).

The result has the shape of the sample's '18년 결산 table: roots ``total`` (합계), ``business``
(사업예산) and ``basic_total`` (기본경비(행정운영경비)) when the file has 기본경비, then one ``division``
per 부서 with its ``policy`` lines and, last, its ``basic`` line. Every amount is a sum of detail rows
(subtotal rows of the file are checked, never added); rates are computed (집행률, one decimal, half-up).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from gyeolsan.io.sheets import frame as fr
from gyeolsan.io.sheets.longtable import Prepared
from gyeolsan.io.sheets.profiles import CODE_SUFFIX, MONEY_EXPENDITURE, MONEY_REVENUE
from gyeolsan.model import BudgetLine, BudgetTable, RevenueLine, RevenueSection, Source
from gyeolsan.model.numbers import rate

BASIC_NAME = "기본경비(행정운영경비)"
LEVELS = ("policy", "unit", "detail", "item")
KIND_OF = {"policy": "policy", "unit": "unit", "detail": "detail", "item": "item"}
DEPTHS = {"division": 0, "policy": 1, "unit": 2, "detail": 3, "item": 4}
BASIC = "_basic"
FIRST = "_first"


@dataclass
class Node:
    """A line being built: amounts summed from its rows, children in order of first appearance."""

    kind: str
    name: str
    code: str | None = None
    sums: dict[str, int] = field(default_factory=dict)
    first: int = 0
    children: dict[tuple[str, str | None], Node] = field(default_factory=dict)
    src: Source | None = None

    def add(self, rec: dict[str, Any], money: list[str]) -> None:
        for m in money:
            self.sums[m] = self.sums.get(m, 0) + (rec.get(m) or 0)

    def child(self, kind: str, name: str, code: str | None, first: int) -> Node:
        key = (name, code)
        node = self.children.get(key)
        if node is None:
            node = self.children[key] = Node(kind, name, code, first=first)
        return node


def _source(p: Prepared, row: int | None, fname: str | None) -> Source:
    loc = p.raw.location(row, fname)
    return Source.model_construct(path=p.raw.path, line=loc.line, sheet=loc.sheet, cell=loc.cell)


def _to_line(node: Node, money: list[str], present: set[str]) -> BudgetLine:
    values: dict[str, Any] = {m: (node.sums.get(m, 0) if m in present else None) for m in MONEY_EXPENDITURE}
    parts = [m for m in ("carried_explicit", "carried_accident", "carried_continuing") if m in present]
    if values["carried_over"] is None and parts:
        values["carried_over"] = sum(values[m] or 0 for m in parts)
    bc, spent = values["budget_current"], values["spent"]
    values["rate"] = rate(spent, bc) if (bc and spent is not None) else None
    kids = sorted(node.children.values(), key=lambda n: n.first)
    # model_construct: every value is built here from typed query results (ints, Decimal, str);
    # validating 100,000 lines again would double the import time of a large file.
    return BudgetLine.model_construct(
        kind=node.kind,
        name=node.name,
        code=node.code,
        children=tuple(_to_line(k, money, present) for k in kids),
        src=node.src or Source(),
        abolished=False,
        **values,
    )


def basic_expr(p: Prepared) -> pl.Expr:
    """기본경비 rows: the 정책사업 or 단위사업 name says 기본경비/행정운영경비, or its code is listed in the profile."""
    names = p.raw.profile.basic_names
    pattern = "|".join(re.escape(n) for n in names)
    flag: pl.Expr = pl.lit(False)
    for level in ("policy", "unit"):
        if level in p.keys and pattern:
            flag = flag | pl.col(level).str.replace_all(r"\s", "").str.contains(pattern).fill_null(False)
    codes = p.raw.profile.basic_codes
    if codes and "policy" + CODE_SUFFIX in p.keys:
        flag = flag | pl.col("policy" + CODE_SUFFIX).is_in(list(codes)).fill_null(False)
    return flag.alias(BASIC)


def division_keys(p: Prepared) -> list[str]:
    """The columns that name a 부서 line: the profile's ``division`` fields that the file has."""
    primary = next((k for k in p.raw.profile.division if k in p.keys), None)
    if primary is None:
        return []
    if primary != "government" and "government" in p.keys:
        return ["government", primary]
    return [primary]


def build_expenditure(p: Prepared, depth: str = "item") -> tuple[BudgetTable, BudgetTable, int]:
    """The settlement table (key "settlement") and the 부서별 summary (key "expenditure_summary").

    Every level is one polars group-by over the detail rows (so a big file costs a few queries, not
    a Python loop per row); lines keep the order in which the file first mentions them. Returns the
    two tables and the number of 자치단체 in the file (for the multi-government note).
    """
    raw = p.raw
    div_keys = division_keys(p)
    levels = [lv for lv in LEVELS if lv in p.keys and DEPTHS[lv] <= DEPTHS[depth]]
    dept_code = "department" + CODE_SUFFIX if "department" + CODE_SUFFIX in p.keys else None
    dk = div_keys + ([dept_code] if dept_code else [])
    money = p.money
    present = set(money)
    # One pass over the detail rows down to the finest level asked for; every coarser level is then
    # grouped from this (small) frame in memory.
    finest = dk + levels + [lv + CODE_SUFFIX for lv in levels if lv + CODE_SUFFIX in p.keys]
    frame = raw.collect(
        p.details.with_columns(basic_expr(p))
        .group_by([*finest, BASIC])
        .agg([pl.col(m).sum() for m in money] + [pl.col(fr.ROW).min()])
    ).lazy()
    sums = [pl.col(m).sum() for m in money] + [pl.col(fr.ROW).min().alias(FIRST)]

    def grouped(where: pl.Expr | None, keys: list[str], last: str | None = None) -> list[dict[str, Any]]:
        q = frame if where is None else frame.filter(where)
        if last is not None:
            q = q.filter(pl.col(last).is_not_null())
        q = q.group_by(keys).agg(sums) if keys else q.select(sums)
        return list(q.sort(FIRST, nulls_last=True).collect().iter_rows(named=True))

    def node(kind: str, name: str, code: str | None, rec: dict[str, Any], src: Source | None) -> Node:
        n = Node(kind, name, code, first=rec[FIRST] or 0, src=src)
        n.sums = {m: rec.get(m) or 0 for m in money}
        return n

    governments = frame.select(pl.col("government").n_unique()).collect().item() if "government" in dk else 1
    prefix_government = governments > 1 and len(div_keys) > 1
    subtotal_src = _subtotal_sources(p, div_keys, levels)
    total = node("total", "합계", None, grouped(None, [])[0], None)
    total.src = subtotal_src.get(()) or _source(p, raw.header_rows[1] + 1, None)
    divisions: dict[tuple[Any, ...], Node] = {}
    for rec in grouped(None, dk):
        names = tuple(str(rec[k]) if rec[k] is not None else "" for k in div_keys)
        name = (
            " ".join(n for n in names if n) if prefix_government else (names[-1] if names else "(부서 없음)")
        )
        src = subtotal_src.get(names) or _source(p, rec[FIRST], div_keys[-1] if div_keys else None)
        code = rec.get(dept_code) if dept_code else None
        divisions[tuple(rec[k] for k in dk)] = node("division", name, code, rec, src)
    roots = [total]
    if frame.select(pl.col(BASIC).any()).collect().item():
        roots.append(node("business", "사업예산", None, grouped(~pl.col(BASIC), [])[0], total.src))
        roots.append(node("basic_total", BASIC_NAME, None, grouped(pl.col(BASIC), [])[0], total.src))
        for rec in grouped(pl.col(BASIC), dk):
            src = _source(p, rec[FIRST], "policy" if "policy" in p.keys else None)
            basic = node("basic", BASIC_NAME, None, rec, src)
            basic.first = 10**12  # printed after the division's 정책사업
            divisions[tuple(rec[k] for k in dk)].children[BASIC_KEY] = basic
        below = [lv for lv in levels if lv in ("detail", "item")]
        _attach(p, grouped, dk, div_keys, below, pl.col(BASIC), divisions, BASIC_KEY, subtotal_src)
    _attach(p, grouped, dk, div_keys, levels, ~pl.col(BASIC), divisions, None, subtotal_src)
    roots += sorted(divisions.values(), key=lambda n: n.first)
    year = raw.year
    settlement = BudgetTable(
        key="settlement",
        title=f"'{year % 100:02d}년 결산" if year else "세출 결산",
        unit=_model_unit(p.unit),  # type: ignore[arg-type]
        columns=("budget", "budget_current", "spent", "rate"),
        lines=tuple(_to_line(n, money, present) for n in roots),
        notes=_notes(p),
        src=_source(p, raw.header_rows[0], None),
    )
    summary_roots = [Node("total", "총계", sums=total.sums, src=total.src)] + [
        Node("division", d.name, d.code, sums=d.sums, first=d.first, src=d.src)
        for d in sorted(divisions.values(), key=lambda n: n.first)
    ]
    summary = BudgetTable(
        key="expenditure_summary",
        title="부서별 세출결산",
        unit=_model_unit(p.unit),  # type: ignore[arg-type]
        columns=("budget", "budget_current", "spent", "unused", "rate"),
        lines=tuple(_to_line(n, money, present) for n in summary_roots),
        src=_source(p, raw.header_rows[0], None),
    )
    return settlement, summary, int(governments or 1)


BASIC_KEY: tuple[str, str | None] = ("\x00basic", None)


def _attach(
    p: Prepared,
    grouped: Any,
    dk: list[str],
    div_keys: list[str],
    levels: list[str],
    where: pl.Expr,
    divisions: dict[tuple[Any, ...], Node],
    below: tuple[str, str | None] | None,
    subtotal_src: dict[tuple[str, ...], Source],
) -> None:
    """Add the lines of ``levels`` (정책사업 → … → 통계목) under each division (or its 기본경비 line)."""
    parents: dict[tuple[Any, ...], Node] = {}
    for key, div in divisions.items():
        if below is None:
            parents[key] = div
        elif below in div.children:
            parents[key] = div.children[below]
    used: list[str] = []
    for lv in levels:
        code = lv + CODE_SUFFIX if lv + CODE_SUFFIX in p.keys else None
        keys = dk + used + [lv] + ([code] if code else [])
        nxt: dict[tuple[Any, ...], Node] = {}
        for rec in grouped(where, keys, lv):
            parent = parents.get(tuple(rec[k] for k in dk + used))
            if parent is None:
                continue
            name = str(rec[lv])
            named = tuple(str(rec[k]) for k in div_keys) + tuple(
                str(rec[k]) for k in used if not k.endswith(CODE_SUFFIX)
            )
            src = subtotal_src.get((*named, name)) or _source(p, rec[FIRST], lv)
            child = Node(KIND_OF[lv], name, rec.get(code) if code else None, first=rec[FIRST] or 0, src=src)
            child.sums = {m: rec.get(m) or 0 for m in p.money}
            parent.children[(name, child.code)] = child
            nxt[tuple(rec[k] for k in keys)] = child
        parents = nxt
        used += [lv] + ([code] if code else [])


def _subtotal_sources(p: Prepared, div_keys: list[str], levels: list[str]) -> dict[tuple[str, ...], Source]:
    """Where the file prints a subtotal for a line: its row becomes the line's source."""
    names = [k for k in p.keys if not k.endswith(CODE_SUFFIX)]
    order = div_keys + [lv for lv in levels if lv in names]
    subs = p.raw.collect(p.subtotals.select(fr.ROW, fr.LABEL, *names))
    out: dict[tuple[str, ...], Source] = {}
    for rec in subs.iter_rows(named=True):
        label_col = p.field_at(rec[fr.LABEL])
        path = tuple(str(rec[k]) for k in order if rec.get(k) is not None)
        out.setdefault(path, _source(p, rec[fr.ROW], label_col))
    return out


def _notes(p: Prepared) -> tuple[str, ...]:
    raw = p.raw
    where = f"{raw.path}" + (f" [{raw.sheet}]" if raw.sheet else "")
    return (f"{where}의 {raw.profile.title}에서 집계 (gyeolsan)",)


def _model_unit(unit: str) -> str:
    return unit if unit in ("원", "천원", "백만원", "억원") else "원"


# ------------------------------------------------------------------------------ revenue

REVENUE_LEVELS = ("chapter", "section", "subsection", "item")


def build_revenue(p: Prepared) -> RevenueSection:
    """세입 징수 현황 → 합계 → 장 → 관 → 항 (categories) → 목 (items)."""
    raw = p.raw
    levels = [lv for lv in REVENUE_LEVELS if lv in p.keys]
    code_cols = [lv + CODE_SUFFIX for lv in levels if lv + CODE_SUFFIX in p.keys]
    money = p.money
    agg = raw.collect(
        p.details.group_by(levels + code_cols)
        .agg([pl.col(m).sum() for m in money] + [pl.col(fr.ROW).min().alias(FIRST)])
        .sort(FIRST)
    )
    total = Node("total", "합계")
    subtotal_src = _subtotal_sources(p, [], levels)
    total.src = subtotal_src.get(())
    for rec in agg.iter_rows(named=True):
        total.add(rec, money)
        node = total
        path: list[str] = []
        named = [lv for lv in levels if rec.get(lv) is not None]
        for i, lv in enumerate(named):
            kind = "item" if i == len(named) - 1 else "category"
            path.append(str(rec[lv]))
            node = node.child(kind, str(rec[lv]), rec.get(lv + CODE_SUFFIX), rec[FIRST])
            node.src = node.src or subtotal_src.get(tuple(path)) or _source(p, rec[FIRST], lv)
            node.add(rec, money)
    present = set(money)

    def line(node: Node) -> RevenueLine:
        values = {m: (node.sums.get(m, 0) if m in present else None) for m in MONEY_REVENUE}
        kids = sorted(node.children.values(), key=lambda n: n.first)
        return RevenueLine(
            kind=node.kind,  # type: ignore[arg-type]
            name=node.name,
            code=node.code,
            children=tuple(line(k) for k in kids),
            src=node.src or Source(),
            **values,
        )

    columns = tuple(
        m for m in ("budget", "budget_current", "levied", "received", "uncollected") if m in present
    )
    # Like the report's table: the 합계 row first, then the 장 (categories) as roots.
    chapters = sorted(total.children.values(), key=lambda n: n.first)
    total.children = {}
    return RevenueSection(
        title="세입결산",
        unit=_model_unit(p.unit),  # type: ignore[arg-type]
        columns=columns,
        lines=(line(total), *(line(c) for c in chapters)),
        notes=_notes(p),
        src=_source(p, raw.header_rows[0], None),
    )
