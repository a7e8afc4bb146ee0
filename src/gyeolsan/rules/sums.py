"""The generic "children sum" check over any table of rows (BudgetLine, ChangeLine, RevenueLine).

An :class:`Identity` says "this row equals the sum of those rows" (a subtotal and its children, or
합계 = 사업예산 + 기본경비, 합계 = Σ 부서, …). :func:`mismatches` lists every identity that fails in
some column; :func:`blame` decides which printed value is most likely wrong, using independent
witnesses (another decomposition of the same row, the grandparent, the row's own 집행률, section IV,
the program card, 집행잔액 reasons, the next-year table). Rules turn a mismatch into a finding:
beyond ``config.rounding_tolerance`` it is an error (SUM…), within it a rounding note (ROUND001).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from gyeolsan.model import (
    BudgetLine,
    BudgetTable,
    ChangeLine,
    ChangeTable,
    RevenueLine,
    RevenueSection,
    Source,
)
from gyeolsan.model.numbers import change_rate, convert, rate
from gyeolsan.rules.context import RuleContext
from gyeolsan.rules.helpers import SECTION_I, SECTION_IV, label, label_en, name_key, unit_of
from gyeolsan.rules.index import card_rows, index_of, keyed_rows, row_key

Row = Any  # BudgetLine | ChangeLine | RevenueLine: rows with ``name``, ``kind``, ``children``, ``src``

BUDGET_FIELDS = (
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
CHANGE_FIELDS = ("previous", "current", "change")
REVENUE_FIELDS = ("budget", "budget_current", "levied", "received", "written_off", "uncollected")


@dataclass(frozen=True)
class Identity:
    """``parent`` = Σ ``children`` in every column of ``fields``."""

    table: str  # the table's title, e.g. "'18년 결산"
    section: str | None
    parent: Row
    children: tuple[Row, ...]
    what: str  # Korean: which children ("하위 항목", "사업예산+기본경비", "부서 합계" …)
    what_en: str
    fields: tuple[str, ...]
    tree: bool = False  # the parent's own children (as opposed to a top-level decomposition)


@dataclass(frozen=True)
class Mismatch:
    identity: Identity
    field: str
    stated: int
    computed: int

    @property
    def difference(self) -> int:
        return self.stated - self.computed


@dataclass(frozen=True)
class Blame:
    """Where a mismatch is most likely wrong, and what the value there should be."""

    row: Row
    stated: int
    expected: int
    parent_wrong: bool
    why: str = ""  # which witnesses decided
    related: tuple[Source | None, ...] = field(default=())


def value(row: Row, name: str) -> int:
    return getattr(row, name, None) or 0


def present(rows: Iterable[Row], fields: tuple[str, ...]) -> tuple[str, ...]:
    rows = list(rows)
    return tuple(f for f in fields if any(getattr(r, f, None) is not None for r in rows))


# --- identities per table ---------------------------------------------------------------------------


def _all(lines: Iterable[Row]) -> list[Row]:
    return [x for ln in lines for x in ln.walk()]


def tree_identities(
    table: str, section: str | None, lines: Iterable[Row], fields: tuple[str, ...]
) -> list[Identity]:
    return [
        Identity(
            table, section, ln, tuple(ln.children), "하위 항목 합계", "sum of its rows", fields, tree=True
        )
        for ln in _all(lines)
        if ln.children
    ]


def top_identities(
    table: str, section: str | None, lines: tuple[Row, ...], fields: tuple[str, ...]
) -> list[Identity]:
    """합계 = 사업예산 + 기본경비 = Σ 부서; 사업예산 = Σ 정책사업; 기본경비 = Σ 부서 기본경비."""

    def root(kind: str) -> Row | None:
        return next((ln for ln in lines if ln.kind == kind), None)

    total, business, basic = root("total"), root("business"), root("basic_total")
    divisions = tuple(ln for ln in lines if ln.kind == "division")
    out: list[Identity] = []
    if total is not None and business is not None and basic is not None:
        out.append(
            Identity(
                table, section, total, (business, basic), "사업예산+기본경비", "business + basic", fields
            )
        )
    if total is not None and divisions:
        out.append(Identity(table, section, total, divisions, "부서 합계", "sum of divisions", fields))
    split = [d for d in divisions if d.children]
    if business is not None and split:
        programs = tuple(c for d in split for c in d.children if c.kind != "basic")
        out.append(
            Identity(table, section, business, programs, "정책사업 합계", "sum of policy programs", fields)
        )
    if basic is not None and split:
        basics = tuple(c for d in split for c in d.children if c.kind == "basic")
        out.append(
            Identity(table, section, basic, basics, "부서 기본경비 합계", "sum of division basic", fields)
        )
    return out


def budget_table_identities(table: BudgetTable, *, tree: bool = True, top: bool = True) -> list[Identity]:
    fields = present(table.all_lines(), BUDGET_FIELDS)
    section = table.section
    out: list[Identity] = []
    if tree:
        out += tree_identities(table.title, section, table.lines, fields)
    if top:
        out += top_identities(table.title, section, table.lines, fields)
    return out


def change_table_identities(table: ChangeTable) -> list[Identity]:
    fields = present(table.all_lines(), CHANGE_FIELDS)
    return tree_identities(table.title, SECTION_I, table.lines, fields) + top_identities(
        table.title, SECTION_I, table.lines, fields
    )


def revenue_identities(rev: RevenueSection) -> list[Identity]:
    fields = present(rev.all_lines(), REVENUE_FIELDS)
    section = SECTION_IV
    out = tree_identities(rev.title, section, rev.lines, fields)
    total = next((ln for ln in rev.lines if ln.kind == "total"), None)
    others = tuple(ln for ln in rev.lines if ln.kind != "total")
    if total is not None and others:
        out.append(Identity(rev.title, section, total, others, "구분별 합계", "sum of categories", fields))
    return out


def settlement_identities(ctx: RuleContext) -> list[Identity]:
    """Every identity of section I's settlement table and section IV's division table."""

    def build() -> list[Identity]:
        s = ctx.settlement
        out: list[Identity] = []
        for table in (s.settlement, s.expenditure.table if s.expenditure else None):
            if table is not None:
                out += budget_table_identities(table)
        if s.next_year:
            out += change_table_identities(s.next_year)
        if s.revenue:
            out += revenue_identities(s.revenue)
        return out

    return ctx.cached("identities", build)


def mismatches(identities: Iterable[Identity]) -> Iterator[Mismatch]:
    for ident in identities:
        for f in ident.fields:
            stated = getattr(ident.parent, f, None)
            computed = sum(value(c, f) for c in ident.children)
            if stated is None and computed == 0:
                continue
            if (stated or 0) != computed:
                yield Mismatch(ident, f, stated or 0, computed)


# --- witnesses: independent places that print a value for (row, field) ------------------------------


Witness = Callable[[RuleContext, Row, str, int], bool | None]


def _own_rate(ctx: RuleContext, row: Row, f: str, v: int) -> bool | None:
    stated = getattr(row, "rate", None)
    if stated is None or f not in ("spent", "budget_current") or not isinstance(row, BudgetLine):
        return None
    spent = v if f == "spent" else value(row, "spent")
    current = v if f == "budget_current" else value(row, "budget_current")
    return rate(spent, current, 1) == stated if current else None


def _own_change(ctx: RuleContext, row: Row, f: str, v: int) -> bool | None:
    if not isinstance(row, ChangeLine) or f not in CHANGE_FIELDS:
        return None
    prev = v if f == "previous" else value(row, "previous")
    cur = v if f == "current" else value(row, "current")
    chg = v if f == "change" else value(row, "change")
    ok = cur - prev == chg
    if f != "change" and row.change_rate is not None and prev:
        ok = ok and change_rate(prev, cur, 2) == row.change_rate
    return ok


def _own_uncollected(ctx: RuleContext, row: Row, f: str, v: int) -> bool | None:
    if not isinstance(row, RevenueLine) or f not in ("levied", "received", "written_off", "uncollected"):
        return None
    vals = {k: (v if k == f else value(row, k)) for k in ("levied", "received", "written_off", "uncollected")}
    return vals["levied"] - vals["received"] - vals["written_off"] == vals["uncollected"]


def _other_table(ctx: RuleContext, row: Row, f: str, v: int) -> bool | None:
    """Section I row ↔ section IV row (same division / total)."""
    if not isinstance(row, BudgetLine) or row.kind not in ("total", "division"):
        return None
    s = ctx.settlement
    tables = [t for t in (s.settlement, s.expenditure.table if s.expenditure else None) if t is not None]
    for table in tables:
        if any(ln is row for ln in table.lines):
            continue
        twin = keyed_rows(table.lines).get(row_key(row))
        if twin is not None and getattr(twin, f, None) is not None:
            return bool(getattr(twin, f) == v)
    return None


def _card(ctx: RuleContext, row: Row, f: str, v: int) -> bool | None:
    """A program card that covers exactly this row (its 백만원 figure)."""
    if not isinstance(row, BudgetLine) or f not in ("spent", "budget_current") or row.kind == "division":
        return None
    index = index_of(ctx)
    for card in ctx.settlement.cards:
        cs = card.settlement
        rows, missing = card_rows(index, card)
        if cs is None or missing or len(rows) != 1 or rows[0] is not row:
            continue
        printed = cs.spent if f == "spent" else cs.budget_current
        if printed is None:
            continue
        amount = v + (index.carried(row) if f == "spent" and _includes_carry(cs.note) else 0)
        return convert(amount, index.unit, unit_of(cs.unit)) == printed
    return None


def _includes_carry(note: str | None) -> bool:
    return bool(note) and "포함" in (note or "")


def _unused_item(ctx: RuleContext, row: Row, f: str, v: int) -> bool | None:
    """A 집행잔액 reason naming the program: '문해교육 지원 : … 33,582천원' = 예산현액 − 집행액 − 이월."""
    if (
        not isinstance(row, BudgetLine)
        or f not in ("spent", "budget_current")
        or not ctx.settlement.expenditure
    ):
        return None
    key = name_key(row.name)
    index = index_of(ctx)
    for reason in ctx.settlement.expenditure.unused_reasons:
        for item in reason.items:
            if item.amount is None or not name_key(item.text).startswith(key):
                continue
            spent = v if f == "spent" else value(row, "spent")
            current = v if f == "budget_current" else value(row, "budget_current")
            return current - spent - index.carried(row) == item.amount
    return None


def _next_year(ctx: RuleContext, row: Row, f: str, v: int) -> bool | None:
    """The next-year table restates this year's 예산액 in its 전년 column (same organisation only)."""
    if not isinstance(row, BudgetLine) or f != "budget" or ctx.settlement.next_year is None:
        return None
    if row.kind not in ("unit", "detail") or index_of(ctx).is_abolished(row):
        return None
    twin = keyed_rows(ctx.settlement.next_year.lines).get(row_key(row))
    if twin is None or getattr(twin, "previous", None) is None:
        return None
    return bool(twin.previous == v)  # type: ignore[union-attr]


WITNESSES: tuple[tuple[str, Witness], ...] = (
    ("같은 행의 집행률", _own_rate),
    ("같은 행의 증감·증감률", _own_change),
    ("같은 행의 미수납액 관계", _own_uncollected),
    ("I장·IV장 대응 행", _other_table),
    ("주요사업 카드 결산 문장", _card),
    ("집행잔액 사유 금액", _unused_item),
    ("다음연도 예산표 전년 예산", _next_year),
)


def support(
    ctx: RuleContext, row: Row, f: str, v: int, exclude: Identity, identities: list[Identity]
) -> list[str]:
    """Names of the independent witnesses that print ``v`` for ``row.f`` (excluding ``exclude``)."""
    found: list[str] = []
    for ident in identities:
        if ident is exclude or f not in ident.fields:
            continue
        if ident.parent is row and sum(value(c, f) for c in ident.children) == v:
            found.append(ident.what)
        elif any(c is row for c in ident.children) and getattr(ident.parent, f, None) is not None:
            others = sum(value(c, f) for c in ident.children if c is not row)
            if others + v == value(ident.parent, f):
                found.append(f"상위 행({ident.parent.name})")
    for name, witness in WITNESSES:
        if witness(ctx, row, f, v):
            found.append(name)
    return found


def blame(ctx: RuleContext, m: Mismatch, identities: list[Identity]) -> Blame:
    """The place most likely wrong: a child when exactly one child is contradicted by its witnesses
    and corrected by the difference; otherwise the parent (always named in the finding).

    Only discriminating witnesses count: a 집행률 that rounds the same for both values says nothing.
    """
    ident, f = m.identity, m.field
    parent = ident.parent
    child_srcs = tuple(c.src for c in ident.children)
    for_stated, for_computed = _discriminate(ctx, parent, f, m.stated, m.computed, ident, identities)
    if for_computed and not for_stated:
        return Blame(parent, m.stated, m.computed, True, ", ".join(for_computed), child_srcs)
    if for_stated and not for_computed:
        suspects: list[tuple[Row, int, int, list[str]]] = []
        for child in ident.children:
            current = value(child, f)
            corrected = current + m.difference
            against, why = _discriminate(ctx, child, f, current, corrected, ident, identities)
            if why and not against:
                suspects.append((child, current, corrected, why))
        if len(suspects) == 1:
            child, current, corrected, why = suspects[0]
            related = (parent.src,) + tuple(c.src for c in ident.children if c is not child)
            return Blame(child, current, corrected, False, ", ".join(why), related)
    return Blame(parent, m.stated, m.computed, True, "", child_srcs)


def _discriminate(
    ctx: RuleContext, row: Row, f: str, a: int, b: int, exclude: Identity, identities: list[Identity]
) -> tuple[list[str], list[str]]:
    """Witnesses for ``a`` only and for ``b`` only."""
    for_a = support(ctx, row, f, a, exclude, identities)
    for_b = support(ctx, row, f, b, exclude, identities)
    return [w for w in for_a if w not in for_b], [w for w in for_b if w not in for_a]


def describe(m: Mismatch, b: Blame) -> tuple[str, str]:
    """Korean and English message for a subtotal mismatch."""
    ident, f = m.identity, m.field
    parent = ident.parent
    lab, lab_en = label(f), label_en(f)
    if b.parent_wrong:
        ko = (
            f"{ident.table} '{parent.name}' {lab} {m.stated:,}이(가) {ident.what} {m.computed:,}과(와) "
            f"{m.difference:+,} 다릅니다"
        )
        en = (
            f"{ident.table} '{parent.name}' {lab_en} {m.stated:,} differs from the {ident.what_en} "
            f"{m.computed:,} by {m.difference:+,}"
        )
    else:
        ko = (
            f"{ident.table} '{parent.name}' {lab} {m.stated:,}이(가) {ident.what} {m.computed:,}과(와) "
            f"{m.difference:+,} 다릅니다. '{b.row.name}' {lab} {b.stated:,}이(가) {b.expected:,}이어야 "
            f"합계가 맞고 다른 근거({b.why})와도 일치합니다"
        )
        en = (
            f"{ident.table} '{parent.name}' {lab_en} {m.stated:,} differs from the {ident.what_en} "
            f"{m.computed:,} by {m.difference:+,}; row '{b.row.name}' {lab_en} {b.stated:,} should be "
            f"{b.expected:,}, which makes the total add up and agrees with other sources"
        )
    return ko, en
