"""Lookups over one settlement shared by the rules: rows by name, parents, divisions, carry-overs.

Built once per run (``ctx.cached``). Names are compared with :func:`helpers.name_key`.
The adjustment records need some care: a "전년도 이월" sentence may be imported as an 이월 record,
and the direction of an 이체 record is not always reliable, so rules ask this module instead of
reading ``s.adjustments`` directly.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from gyeolsan.model import Adjustment, BudgetLine, BudgetTable, ChangeLine, ProgramCard, Settlement, Source
from gyeolsan.model.numbers import Unit, convert, parse_amount
from gyeolsan.rules.context import RuleContext
from gyeolsan.rules.helpers import name_key, unit_of

PROGRAM_KINDS = ("unit", "detail", "policy")
TOTAL_KEYS = {"total": "#total", "business": "#business", "basic_total": "#basic_total"}


@dataclass(frozen=True)
class PreviousCarry:
    """전년도 이월 into a program (included in its 예산현액)."""

    program: str
    amount: int
    carry_kind: str
    src: Source


@dataclass(frozen=True)
class Move:
    """One restatement stated in a note: 'A 170,000 → B' (amount moved from program A to B)."""

    source: str  # name key of the program the amount left
    target: str  # name key of the program (or division) it went to
    amount: int
    src: Source | None


@dataclass
class Index:
    s: Settlement
    unit: Unit
    parent: dict[int, BudgetLine] = field(default_factory=dict)  # settlement table: id(line) → parent
    division: dict[int, BudgetLine] = field(default_factory=dict)  # settlement table: id(line) → division
    programs: dict[str, list[BudgetLine]] = field(default_factory=dict)  # key → unit/detail/policy rows
    abolished: set[str] = field(default_factory=set)  # division keys abolished by a reorganisation

    # --- rows ----------------------------------------------------------------------------------

    def program(self, name: str | None) -> BudgetLine | None:
        """The settlement row of a program (단위사업 preferred over 정책사업)."""
        rows = self.programs.get(name_key(name), [])
        for kind in PROGRAM_KINDS:
            for row in rows:
                if row.kind == kind:
                    return row
        return None

    def division_of(self, line: BudgetLine) -> BudgetLine | None:
        return self.division.get(id(line))

    def is_abolished(self, line: BudgetLine) -> bool:
        div = line if line.kind == "division" else self.division_of(line)
        return div is not None and (div.abolished or name_key(div.name) in self.abolished)

    # --- adjustments ---------------------------------------------------------------------------

    def carries(self) -> list[Adjustment]:
        """다음연도 이월 records (전년도 이월 sentences excluded)."""
        return [a for a in self.s.adjustments if a.kind == "이월" and not is_previous_year(a)]

    def records(self) -> list[Adjustment]:
        """Itemised records as the section IV summary counts them (전년도 이월 excluded)."""
        return [a for a in self.s.adjustments if not is_previous_year(a)]

    def carry_division(self, adj: Adjustment) -> str | None:
        if adj.from_division:
            return name_key(adj.from_division)
        row = self.program(adj.from_program)
        div = self.division_of(row) if row is not None else None
        return name_key(div.name) if div is not None else None

    def carries_of(self, line: BudgetLine) -> list[Adjustment]:
        """The 다음연도 이월 records that belong to a row (a program, a division, or all for the total)."""
        return [a for a in self.carries() if _carry_applies(self, a, line)]

    def carried(self, line: BudgetLine, table_unit: Unit | None = None) -> int:
        """다음연도 이월액 of a row: its own column if printed, else the 이월 records that name it."""
        if line.carried_over is not None:
            return line.carried_over
        parts = (line.carried_explicit, line.carried_accident, line.carried_continuing)
        if any(p is not None for p in parts):  # 명시·사고·계속비이월 printed without their 계
            return sum(p or 0 for p in parts)
        unit = table_unit or self.unit
        return sum(convert(adj.amount or 0, unit_of(adj.unit), unit) for adj in self.carries_of(line))

    def previous_carries(self) -> list[PreviousCarry]:
        return previous_year_carries(self.s)


def _carry_applies(index: Index, adj: Adjustment, line: BudgetLine) -> bool:
    if line.kind == "total":
        return True
    if line.kind == "division":
        return index.carry_division(adj) == name_key(line.name)
    if line.kind in PROGRAM_KINDS:
        names = {name_key(x.name) for x in line.walk()}
        return name_key(adj.from_program) in names
    return False


def build_index(s: Settlement) -> Index:
    table = s.settlement
    index = Index(s=s, unit=unit_of(table.unit if table else None))
    index.abolished = {
        name_key(r.division) for r in s.reorganizations if r.kind == "abolished" and r.division
    }
    if table is None:
        return index
    for root in table.lines:
        _walk(index, root, None, root if root.kind == "division" else None)
    return index


def _walk(index: Index, line: BudgetLine, parent: BudgetLine | None, division: BudgetLine | None) -> None:
    if parent is not None:
        index.parent[id(line)] = parent
    if division is not None:
        index.division[id(line)] = division
    if line.kind in PROGRAM_KINDS:
        index.programs.setdefault(name_key(line.name), []).append(line)
    for child in line.children:
        _walk(index, child, line, division)


def index_of(ctx: RuleContext) -> Index:
    return ctx.cached("index", lambda: build_index(ctx.settlement))


# --- keys for matching rows across tables ------------------------------------------------------------


def row_key(line: BudgetLine | ChangeLine, division: str | None = None) -> str:
    """A key that identifies a row across tables: totals by kind, 기본경비 by division, others by name."""
    if line.kind in TOTAL_KEYS:
        return TOTAL_KEYS[line.kind]
    if line.kind == "basic":
        return f"{name_key(division)}#basic"
    return name_key(line.name)


def keyed_rows(lines: tuple[BudgetLine, ...] | tuple[ChangeLine, ...]) -> dict[str, BudgetLine | ChangeLine]:
    """Every row of a table by :func:`row_key` (the first one wins)."""
    out: dict[str, BudgetLine | ChangeLine] = {}

    def walk(line: BudgetLine | ChangeLine, division: str | None) -> None:
        div = line.name if line.kind == "division" else division
        out.setdefault(row_key(line, div), line)
        for child in line.children:
            walk(child, div)

    for root in lines:
        walk(root, None)
    return out


def table_rows(table: BudgetTable | None) -> dict[str, BudgetLine]:
    return keyed_rows(table.lines) if table else {}  # type: ignore[return-value]


# --- adjustment records ----------------------------------------------------------------------------


def is_previous_year(adj: Adjustment) -> bool:
    """A '전년도 이월액 … 포함' sentence imported as an 이월 record: not a 다음연도 이월."""
    text = (adj.reason or "") + (adj.src.text or "")
    return adj.kind == "이월" and (adj.previous_year or "전년도" in text)


_PREV_ITEM = re.compile(
    r"(?:^|[(,，:]\s*)([^(),，:]+?)\s*(명시이월|사고이월|계속비이월)\s*액?\s*([\d,]+)\s*천원"
)


def previous_year_carries(s: Settlement) -> list[PreviousCarry]:
    """전년도 이월 per program from sentences like '전년도 이월액 …(A 명시이월 780,000천원, B 사고이월 …)'."""
    texts: list[tuple[str, Source]] = []
    if s.expenditure:
        texts += [(h.text, h.src) for h in s.expenditure.narrative]
    texts += [(a.reason or "", a.src) for a in s.adjustments if is_previous_year(a)]
    seen: set[tuple[str, int]] = set()
    out: list[PreviousCarry] = []
    for text, src in texts:
        if "전년도" not in text or "이월" not in text:
            continue
        for m in _PREV_ITEM.finditer(text):
            amount = parse_amount(m.group(3)) or 0
            key = (name_key(m.group(1)), amount)
            if key not in seen:
                seen.add(key)
                out.append(PreviousCarry(m.group(1).strip(), amount, m.group(2), src))
    return out


# --- restatement notes ('A 170,000 → B') --------------------------------------------------------------

_CLAUSE_SPLIT = re.compile(r",\s+|\s*/\s*|;\s*")
_ITEM_SPLIT = re.compile(r"(?<=\d)\s*(?:·|및|,\s|와|과)\s*")
_ITEM = re.compile(r"^(.*?)\s*([\d][\d,]*)\s*(?:천원)?\s*$")


def restatement_moves(notes: list[tuple[str, Source | None]]) -> list[Move]:
    """Moves stated in table notes: '희망서울 재능나눔 15,000 및 … 11,835 → 현장소통 프로그램 운영'."""
    moves: list[Move] = []
    for text, src in notes:
        if "→" not in text:
            continue
        for clause in _CLAUSE_SPLIT.split(text):
            if "→" not in clause:
                continue
            head, _, target = clause.rpartition("→")
            target_key = name_key(target)
            for item in _ITEM_SPLIT.split(head.split("→")[-1]):
                m = _ITEM.match(item.strip())
                if not m:
                    continue
                amount = parse_amount(m.group(2))
                if amount:
                    moves.append(Move(name_key(m.group(1)), target_key, amount, src))
    return moves


def note_texts(s: Settlement) -> list[tuple[str, Source | None]]:
    out: list[tuple[str, Source | None]] = []
    if s.settlement:
        out += [(n, s.settlement.src) for n in s.settlement.notes]
    if s.next_year:
        out += [(n, s.next_year.src) for n in s.next_year.notes]
    out += [(r.description, r.src) for r in s.reorganizations if r.description]
    return out


# --- cards --------------------------------------------------------------------------------------------


def card_rows(index: Index, card: ProgramCard) -> tuple[list[BudgetLine], list[str]]:
    """The settlement rows a card covers, and the names that could not be found."""
    rows: list[BudgetLine] = []
    missing: list[str] = []
    for name in card.unit_programs:
        row = index.program(name)
        if row is None:
            missing.append(name)
        elif all(row is not r for r in rows):
            rows.append(row)
    return rows, missing


def divisions_by_key(lines: tuple[BudgetLine, ...]) -> dict[str, BudgetLine]:
    out: dict[str, BudgetLine] = {}
    for line in lines:
        if line.kind == "division":
            out.setdefault(name_key(line.name), line)
    return out


def group_by(items: list[tuple[str, int]]) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for key, value in items:
        out[key] += value
    return dict(out)
