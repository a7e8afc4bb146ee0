"""Finding the header of a table: which rows, which column holds which field, and the title/unit above.

The header is searched for (it may be shifted down by a title and a unit line, or right by empty
columns) and may span several rows ("다음연도 이월액" over "명시이월 / 사고이월 / 계속비이월"). Each column's
label is the path of its header cells from top to bottom; a profile synonym matches the last part
("명시이월") or, written "상위>하위", the last parts of the path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gyeolsan.io.sheets.profiles import Profile
from gyeolsan.io.sheets.reader import Sheet
from gyeolsan.io.sheets.text import label_key, label_unit, unit_line, year_in

_NUMERIC = re.compile(r"^[△▲\-+(]?[\d,]+(\.\d+)?([eE][+-]?\d+)?\)?%?$")
MAX_HEADER_ROWS = 4
_OFFICE = re.compile(r"^\s*(?:실\s*국|소\s*관|기\s*관)\s*[:：]\s*(\S.*)$")


@dataclass
class Header:
    start: int  # index into sheet.rows
    end: int  # inclusive
    columns: dict[str, int]  # field → 0-based column
    paths: dict[int, tuple[str, ...]]  # column → normalised label parts
    raw_labels: dict[int, str]  # column → printed label (parts joined with " > ")
    units: dict[int, str]  # column → unit printed in its label
    score: int
    missing: list[str] = field(default_factory=list)  # unmet ``require`` groups ("a|b")

    @property
    def ok(self) -> bool:
        return not self.missing


@dataclass
class Preamble:
    """What is printed above the header: a title, a unit line, a fiscal year."""

    title: str | None = None
    unit: str | None = None
    unit_row: int | None = None  # index into sheet.rows
    unit_col: int | None = None
    year: int | None = None
    office: str | None = None  # "실국: 시민소통기획관"
    notes: list[str] = field(default_factory=list)


def _is_numeric(text: str | None) -> bool:
    return bool(text) and bool(_NUMERIC.match(text.replace(" ", "")))  # type: ignore[union-attr]


def _synonym_parts(profile: Profile) -> set[str]:
    parts: set[str] = set()
    for spec in profile.fields.values():
        for syn in spec.synonyms:
            parts.update(syn.split(">"))
    return parts


def _row_matches(row: list[str | None], profile: Profile, leaves: dict[str, set[str]]) -> int:
    keys = {label_key(c) for c in row if c}
    return sum(1 for syns in leaves.values() if keys & syns)


def _leaf_synonyms(profile: Profile) -> dict[str, set[str]]:
    return {name: {s.split(">")[-1] for s in spec.synonyms} for name, spec in profile.fields.items()}


def find_header(sheet: Sheet, profile: Profile) -> Header | None:
    rows = sheet.rows[: profile.header_search_rows]
    if not rows:
        return None
    leaves = _leaf_synonyms(profile)
    counts = [_row_matches(r, profile, leaves) for r in rows]
    best = max(range(len(rows)), key=lambda i: (counts[i], -i))
    if counts[best] == 0:
        return None
    parts = _synonym_parts(profile)

    def header_like(i: int) -> bool:
        row = rows[i]
        cells = [c for c in row if c]
        if not cells or any(_is_numeric(c) for c in cells):
            return False
        return any(label_key(c) in parts for c in cells)

    start = end = best
    while start - 1 >= 0 and best - (start - 1) < MAX_HEADER_ROWS and header_like(start - 1):
        start -= 1
    while end + 1 < len(rows) and (end + 1) - start < MAX_HEADER_ROWS and header_like(end + 1):
        end += 1
    return _map_columns(sheet, profile, start, end)


def _map_columns(sheet: Sheet, profile: Profile, start: int, end: int) -> Header:
    width = max(len(r) for r in sheet.rows[start : end + 1])
    paths: dict[int, tuple[str, ...]] = {}
    raw: dict[int, str] = {}
    units: dict[int, str] = {}
    for c in range(width):
        seq: list[str] = []
        printed: list[str] = []
        for r in range(start, end + 1):
            row = sheet.rows[r]
            text = row[c] if c < len(row) else None
            if not text:
                continue
            key = label_key(text)
            unit = label_unit(text)
            if unit:
                units[c] = unit
            if key and (not seq or seq[-1] != key):
                seq.append(key)
                printed.append(text.replace("\n", " "))
        if seq:
            paths[c] = tuple(seq)
            raw[c] = " > ".join(printed)
    columns: dict[str, int] = {}
    taken: set[int] = set()
    # Path synonyms ("다음연도이월액>명시이월") are more specific: try them first, then leaves.
    for pass_paths in (True, False):
        for name, spec in profile.fields.items():
            if name in columns:
                continue
            for syn in spec.synonyms:
                syn_parts = tuple(syn.split(">"))
                if (len(syn_parts) > 1) != pass_paths:
                    continue
                col = _find_column(paths, syn_parts, taken)
                if col is not None:
                    columns[name] = col
                    taken.add(col)
                    break
    missing = ["|".join(group) for group in profile.require if not any(f in columns for f in group)]
    satisfied = len(profile.require) - len(missing)
    return Header(start, end, columns, paths, raw, units, len(columns) + 2 * satisfied, missing)


def _find_column(paths: dict[int, tuple[str, ...]], syn: tuple[str, ...], taken: set[int]) -> int | None:
    for col, path in paths.items():
        if col in taken:
            continue
        if len(syn) == 1:
            if path[-1] == syn[0]:
                return col
        elif len(path) >= len(syn) and path[-len(syn) :] == syn:
            return col
    return None


def read_preamble(sheet: Sheet, header_start: int) -> Preamble:
    """Title, unit line and fiscal year from the rows above the header (and the header row itself)."""
    pre = Preamble()
    for i in range(0, min(header_start + 1, len(sheet.rows))):
        for c, text in enumerate(sheet.rows[i]):
            if not text:
                continue
            office = _OFFICE.match(text)
            if office and i < header_start and pre.office is None:
                pre.office = office[1].strip()
                continue
            unit = unit_line(text)
            if unit and (pre.unit is None):
                pre.unit, pre.unit_row, pre.unit_col = unit, i, c
                continue
            if i < header_start and pre.title is None and len(text) >= 4 and not text.startswith("※"):
                pre.title = " ".join(text.split())
            if i < header_start and text.startswith("※"):
                pre.notes.append(text)
            if pre.year is None and i < header_start:
                pre.year = year_in(text)
    return pre
