"""Rebuilding 부서 → 정책사업 → 단위사업 from the flat rows of a printed table.

The converted text has no indentation: divisions are bold, the first program row of a division
is a 정책사업, and the following rows are its 단위사업 until their sum reaches the 정책사업's figure
in some column (then the next row is a new 정책사업). The division's 기본경비 closes the division.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from gyeolsan.io.report_text.tables import squash

_DIVISION_NAME = re.compile(r"(담당관|과|관|국|본부|실|단|센터|사업소|위원회|부)$")


@dataclass
class Row:
    """A parsed row before it becomes an immutable model object."""

    name: str
    bold: bool
    values: dict[str, Any]
    line: Any  # reader.Line
    kind: str = ""
    children: list[Row] = field(default_factory=list)


def row_role(name: str) -> str:
    key = squash(name)
    if key in {"합계", "총계", "계", "총합계"}:
        return "total"
    if key == "사업예산":
        return "business"
    if key.startswith("기본경비") or key.startswith("행정운영경비"):
        return "basic"
    return ""


def build_tree(
    rows: Sequence[Row],
    sum_keys: Sequence[str],
    known_divisions: set[str],
    flat: bool = False,
) -> list[Row]:
    """Classify rows and nest them. Returns the roots (total, business, basic_total, divisions)."""
    has_bold = any(r.bold and row_role(r.name) == "" for r in rows)
    roots: list[Row] = []
    division: Row | None = None
    pending: list[Row] = []

    def close_division() -> None:
        if division is not None:
            division.children = _nest_programs(pending, division, sum_keys)
        pending.clear()

    for row in rows:
        role = row_role(row.name)
        is_division = (
            (row.bold if has_bold else _looks_like_division(row.name, known_divisions)) if not role else False
        )
        if flat and not role:
            is_division = True
        if role == "total" and division is None:
            row.kind = "total"
            roots.append(row)
        elif role == "business" and division is None:
            row.kind = "business"
            roots.append(row)
        elif role == "basic" and division is None:
            row.kind = "basic_total"
            roots.append(row)
        elif is_division:
            close_division()
            row.kind = "division"
            roots.append(row)
            division = row
        elif division is not None:
            pending.append(row)
        else:  # a program row before any division: keep it visible as a root
            row.kind = "unit"
            roots.append(row)
    close_division()
    return roots


def _looks_like_division(name: str, known: set[str]) -> bool:
    key = squash(name)
    return key in known or bool(_DIVISION_NAME.search(key))


def _value(row: Row, key: str) -> int:
    v = row.values.get(key)
    return v if isinstance(v, int) else 0


def _matches(parent: Row, children: Sequence[Row], keys: Sequence[str]) -> bool:
    return any(
        parent.values.get(k) is not None and sum(_value(c, k) for c in children) == parent.values[k]
        for k in keys
    )


def _nest_programs(rows: Sequence[Row], division: Row, keys: Sequence[str]) -> list[Row]:
    basics = [r for r in rows if row_role(r.name) == "basic"]
    programs = [r for r in rows if row_role(r.name) != "basic"]
    for b in basics:
        b.kind = "basic"
    out: list[Row] = []
    i = 0
    while i < len(programs):
        policy = programs[i]
        end = _segment_end(programs, i, keys)
        if end is None:
            if i == 0 and _direct_units(programs, basics, division, keys):
                for p in programs:
                    p.kind = "unit"
                out.extend(programs)
                break
            end = len(programs) - 1
        policy.kind = "policy"
        policy.children = list(programs[i + 1 : end + 1])
        for c in policy.children:
            c.kind = "unit"
        out.append(policy)
        i = end + 1
    return _ordered(out + basics, rows)


def _segment_end(programs: Sequence[Row], i: int, keys: Sequence[str]) -> int | None:
    """Where the 정책사업 at ``i`` ends: its children sum to it in every column, else in some column."""
    present = [k for k in keys if programs[i].values.get(k) is not None]
    for wanted in ([present] if present else []) + [[k] for k in present]:
        for j in range(i + 1, len(programs)):
            if all(_matches(programs[i], programs[i + 1 : j + 1], [k]) for k in wanted):
                return j
    return None


def _direct_units(programs: Sequence[Row], basics: Sequence[Row], division: Row, keys: Sequence[str]) -> bool:
    """True when the division lists 단위사업 with no 정책사업 row above them."""
    return len(programs) > 1 and _matches(division, list(programs) + list(basics), keys)


def _ordered(nodes: list[Row], rows: Sequence[Row]) -> list[Row]:
    order = {id(r): n for n, r in enumerate(rows)}
    return sorted(nodes, key=lambda r: order[id(r)])


def walk(rows: Sequence[Row]) -> list[Row]:
    out: list[Row] = []
    for r in rows:
        out.append(r)
        out.extend(walk(r.children))
    return out


Converter = Callable[[Row, list[Any]], Any]
