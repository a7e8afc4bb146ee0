"""지방재정연감-style wide tables: one row per local government, one column per code.

Codes and names sit together in multi-row header cells ("100 인건비" / "101 인건비" / "10101 보수"),
merged across the columns they cover. A column whose code has children among the other columns (or
whose label is 계/소계) is a subtotal column; rows 전국계 / 시도계 / 시 계 are subtotal rows that
cover the rows after them ("before" layout). Only detail cells (a government × a leaf code) are
counted; every subtotal, in rows and columns, is checked against them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import polars as pl

from gyeolsan.io.sheets import codes as codelists
from gyeolsan.io.sheets import frame as fr
from gyeolsan.io.sheets.header import read_preamble
from gyeolsan.io.sheets.longtable import MAX_EXAMPLES
from gyeolsan.io.sheets.profiles import Profile
from gyeolsan.io.sheets.reader import Sheet
from gyeolsan.io.sheets.text import HEADER_CODE, cell_ref, label_key
from gyeolsan.model import (
    BudgetLine,
    BudgetTable,
    Finding,
    Location,
    RevenueLine,
    RevenueSection,
    Severity,
    Source,
)
from gyeolsan.model.numbers import format_number

TOTAL_WORDS = {"계", "소계", "합계", "총계", "총합계"}
MIN_CODE_COLUMNS = 2


@dataclass
class WideColumn:
    col: int
    code: str | None  # None for the grand-total column
    name: str
    subtotal: bool = False


@dataclass
class WideHeader:
    start: int
    end: int
    label_col: int  # 자치단체 name
    code_col: int | None  # 자치단체 code, if printed
    columns: list[WideColumn]
    score: int
    known_codes: int

    @property
    def leaves(self) -> list[WideColumn]:
        return [c for c in self.columns if not c.subtotal]


@dataclass
class WideRow:
    row: int  # sheet row number
    label: str
    level: int | None  # 0 total, 1 group, 2 sub-group, None = a government
    values: dict[int, int | None] = field(default_factory=dict)  # column → amount
    members: list[WideRow] = field(default_factory=list)  # for subtotal rows: the governments they cover
    code: str | None = None


def _code_label(text: str) -> tuple[str, str] | None:
    m = HEADER_CODE.match(" ".join(text.split()))
    return (m[1], m[2].strip()) if m else None


def find_wide_header(sheet: Sheet, profile: Profile) -> WideHeader | None:
    rows = sheet.rows[: profile.header_search_rows]
    code_rows = [
        i
        for i, r in enumerate(rows)
        if sum(1 for c in r if c and _code_label(c)) >= MIN_CODE_COLUMNS
        and not any(_numeric(c) for c in r if c)
    ]
    if not code_rows:
        return None
    start, end = code_rows[0], code_rows[0]
    while end + 1 < len(rows) and (end + 1 in code_rows or _total_words_row(rows[end + 1])):
        end += 1
    gov_syns = {s for s in profile.fields.get("government", _EMPTY).synonyms}
    code_syns = {s for s in profile.fields.get("government_code", _EMPTY).synonyms}
    label_col = code_col = None
    for r in range(max(0, start - 2), end + 1):
        for c, text in enumerate(rows[r]):
            if not text:
                continue
            key = label_key(text)
            if key in gov_syns and label_col is None:
                label_col = c
            elif key in code_syns and code_col is None:
                code_col = c
    if label_col is None:
        label_col = 0
    if (
        start > 0
        and label_col is not None
        and any(label_key(t or "") in gov_syns for t in rows[start - 1][label_col : label_col + 1])
    ):
        start -= 1  # the row with "자치단체" above the code rows belongs to the header
    width = max(len(r) for r in rows[start : end + 1])
    cols: list[WideColumn] = []
    for c in range(width):
        if c in (label_col, code_col):
            continue
        path: list[str] = []
        for r in range(start, end + 1):
            text = rows[r][c] if c < len(rows[r]) else None
            if text and (not path or path[-1] != text):
                path.append(text)
        if not path:
            continue
        coded = [x for x in (_code_label(p) for p in path) if x]
        last_is_total = label_key(path[-1]) in TOTAL_WORDS
        if coded:
            code, name = coded[-1]
            cols.append(WideColumn(c, code, name, subtotal=last_is_total))
        elif last_is_total or any(label_key(p) in TOTAL_WORDS for p in path):
            cols.append(WideColumn(c, None, "합계", subtotal=True))
    _mark_group_columns(cols, profile.codes or "item")
    kind = profile.codes or "item"
    known = sum(1 for c in cols if c.code and _known(kind, c.code))
    if sum(1 for c in cols if c.code) < MIN_CODE_COLUMNS:
        return None
    return WideHeader(start, end, label_col, code_col, cols, known * 2 + len(cols), known)


def _numeric(text: str) -> bool:
    return bool(re.fullmatch(r"[△\-(]?[\d,]+(\.\d+)?([eE][+-]?\d+)?\)?", text.replace(" ", "")))


class _Empty:
    synonyms: tuple[str, ...] = ()


_EMPTY = _Empty()


def _total_words_row(row: list[str | None]) -> bool:
    return any(c and label_key(c) in TOTAL_WORDS for c in row)


@cache
def _known(kind: str, code: str) -> bool:
    return any(codelists.load_list(kind, y).get(code) for y in codelists.available_years(kind))


@cache
def _parent_map(kind: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for y in codelists.available_years(kind):
        for entry in codelists.load_list(kind, y).entries.values():
            if entry.parent:
                out.setdefault(entry.code, entry.parent)
    return out


def _ancestors(code: str, parents: dict[str, str]) -> set[str]:
    out: set[str] = set()
    while code in parents and parents[code] not in out:
        code = parents[code]
        out.add(code)
    return out


def _is_ancestor(a: str, b: str, parents: dict[str, str]) -> bool:
    """Is code ``a`` above code ``b``? By the code lists; for codes no list knows, 101 is above 10101."""
    if b in parents:
        return a in _ancestors(b, parents)
    return len(a) < len(b) and b.startswith(a)


def _mark_group_columns(cols: list[WideColumn], kind: str) -> None:
    parents = _parent_map(kind)
    codes = [c.code for c in cols if c.code and not c.subtotal]
    for c in cols:
        if c.code and not c.subtotal and any(o != c.code and _is_ancestor(c.code, o, parents) for o in codes):
            c.subtotal = True


def _subtree(col: WideColumn, leaves: list[WideColumn], kind: str) -> list[WideColumn]:
    if col.code is None:
        return leaves
    parents = _parent_map(kind)
    return [x for x in leaves if x.code and (x.code == col.code or _is_ancestor(col.code, x.code, parents))]


def _subtrees(header: WideHeader, kind: str) -> dict[int, list[WideColumn]]:
    return {c.col: _subtree(c, header.leaves, kind) for c in header.columns if c.subtotal}


def read_wide(
    sheet: Sheet, header: WideHeader, profile: Profile, display: str
) -> tuple[list[WideRow], list[Finding]]:
    """Rows with parsed amounts; subtotal rows get their members. Findings for unreadable cells."""
    rows: list[WideRow] = []
    texts: dict[str, list[object]] = {fr.ROW: [], "_col": [], "v": []}
    for i in range(header.end + 1, len(sheet.rows)):
        r = sheet.rows[i]
        label = r[header.label_col] if header.label_col < len(r) else None
        if not label or (len([c for c in r if c]) == 1 and fr.NOTE_ROW.match(label)):
            continue
        number = sheet.row_number(i)
        wr = WideRow(number, " ".join(label.split()), profile.subtotal_level(label))
        if header.code_col is not None and header.code_col < len(r):
            wr.code = r[header.code_col]
        rows.append(wr)
        for col in header.columns:
            texts[fr.ROW].append(number)
            texts["_col"].append(col.col)
            texts["v"].append(r[col.col] if col.col < len(r) else None)
    df = fr.parse_money(
        pl.DataFrame(texts, schema={fr.ROW: pl.Int64, "_col": pl.Int64, "v": pl.String}).lazy(), ["v"]
    ).collect()
    findings: list[Finding] = []
    by_row = {w.row: w for w in rows}
    bad = df.filter(pl.col(fr.ERR + "v") | pl.col(fr.FRAC + "v"))
    for rec in bad.head(MAX_EXAMPLES).iter_rows(named=True):
        findings.append(
            Finding(
                rule="IMP110",
                severity=Severity.ERROR,
                message=f"금액 칸에 숫자가 아닌 값이 있습니다: '{_raw_text(sheet, rec[fr.ROW], rec['_col'])}'",
                message_en="Text (or a fraction) in an amount cell",
                location=Location(
                    path=display,
                    sheet=sheet.name,
                    cell=cell_ref(rec["_col"], rec[fr.ROW]),
                    row=by_row[rec[fr.ROW]].label,
                ),
            )
        )
    for rec in df.iter_rows(named=True):
        by_row[rec[fr.ROW]].values[rec["_col"]] = rec["v"]
    _assign_members(rows, profile.subtotal_position)
    return rows, findings


def _raw_text(sheet: Sheet, row: int, col: int) -> str | None:
    r = sheet.rows[row - sheet.first_row]
    return r[col] if col < len(r) else None


def _assign_members(rows: list[WideRow], position: str) -> None:
    ordered = rows if position == "before" else list(reversed(rows))
    open_groups: dict[int, WideRow] = {}
    for w in ordered:
        if w.level is None:
            for g in open_groups.values():
                g.members.append(w)
            continue
        for lv in [lv for lv in open_groups if lv >= w.level]:
            del open_groups[lv]
        open_groups[w.level] = w
    if position != "before":
        for w in rows:
            w.members.reverse()


def check_wide(
    sheet: Sheet, header: WideHeader, rows: list[WideRow], profile: Profile, display: str
) -> list[Finding]:
    """Subtotal rows against their governments, subtotal columns against their leaf codes."""
    kind = profile.codes or "item"
    out: list[Finding] = []
    details = [w for w in rows if w.level is None]
    for w in rows:
        if w.level is None:
            continue
        members = w.members if w.level > 0 else details
        for col in header.columns:
            stated = w.values.get(col.col)
            if stated is None:
                continue
            expected = sum(m.values.get(col.col) or 0 for m in members)
            if stated != expected and len(out) < MAX_EXAMPLES * 2:
                out.append(
                    _mismatch(
                        display,
                        sheet,
                        w.row,
                        col.col,
                        f"{w.label} ({col.code or ''} {col.name})",
                        stated,
                        expected,
                        "행",
                    )
                )
    subtrees = _subtrees(header, kind)
    for w in rows:
        for col in header.columns:
            if not col.subtotal:
                continue
            stated = w.values.get(col.col)
            if stated is None:
                continue
            expected = sum(w.values.get(x.col) or 0 for x in subtrees[col.col])
            if stated != expected and len(out) < MAX_EXAMPLES * 3:
                out.append(
                    _mismatch(
                        display,
                        sheet,
                        w.row,
                        col.col,
                        f"{w.label} ({col.code or '합계'} {col.name})",
                        stated,
                        expected,
                        "열",
                    )
                )
    return out


def _mismatch(
    display: str, sheet: Sheet, row: int, col: int, what: str, stated: int, expected: int, axis: str
) -> Finding:
    diff = stated - expected
    small = abs(diff) <= 2
    return Finding(
        rule="IMP120",
        severity=Severity.INFO if small else Severity.WARNING,
        message=f"{what}: 합계 {axis}의 값 {format_number(stated)}이(가) 하위 합 {format_number(expected)}과 다릅니다 (차이 {format_number(diff)})",
        message_en=f"{what}: subtotal {stated:,} differs from the sum of its parts {expected:,} (difference {diff:,})",
        location=Location(path=display, sheet=sheet.name, cell=cell_ref(col, row), row=what),
        stated=str(stated),
        expected=str(expected),
        difference=str(diff),
    )


def code_uses(header: WideHeader, sheet: Sheet, display: str) -> list[codelists.CodeUse]:
    return [
        codelists.CodeUse(
            c.code, c.name, Location(path=display, sheet=sheet.name, cell=cell_ref(c.col, header.end + 1))
        )
        for c in header.columns
        if c.code
    ]


# ------------------------------------------------------------------------------ to the model


def _groups(rows: list[WideRow]) -> tuple[list[WideRow], list[WideRow]]:
    """(level-1/2 group rows, governments that belong to no group)."""
    groups = [w for w in rows if w.level in (1, 2)]
    grouped = {id(m) for g in groups for m in g.members}
    return groups, [w for w in rows if w.level is None and id(w) not in grouped]


def _amount(measure: str, value: int) -> dict[str, Any]:
    """The keyword for the table's one money column (``budget``, ``spent`` …)."""
    return {measure: value}


def build_wide_budget(
    sheet: Sheet,
    header: WideHeader,
    rows: list[WideRow],
    profile: Profile,
    display: str,
    unit: str,
    title: str,
) -> BudgetTable:
    measure = profile.measure if profile.measure in ("budget", "budget_current", "spent") else "budget"
    leaves = header.leaves

    def src(row: int, col: int | None = None) -> Source:
        return Source.model_construct(
            path=display, sheet=sheet.name, cell=cell_ref(col if col is not None else header.label_col, row)
        )

    def government(w: WideRow) -> BudgetLine:
        items = tuple(  # model_construct: typed values built here; 36,000 cells validated again cost seconds
            BudgetLine.model_construct(
                kind="item",
                name=c.name,
                code=c.code,
                src=src(w.row, c.col),
                **_amount(measure, w.values.get(c.col) or 0),
            )
            for c in leaves
            if w.values.get(c.col)
        )
        return BudgetLine(
            kind="division",
            name=w.label,
            code=w.code,
            children=items,
            src=src(w.row),
            **_amount(measure, sum(getattr(i, measure) for i in items)),
        )

    def group(g: WideRow, children: tuple[BudgetLine, ...]) -> BudgetLine:
        return BudgetLine(
            kind="total",
            name=g.label,
            children=children,
            src=src(g.row),
            **_amount(measure, sum(getattr(c, measure) or 0 for c in children)),
        )

    groups, loose = _groups(rows)
    lines: list[BudgetLine] = []
    made: dict[int, BudgetLine] = {}
    level1 = [g for g in groups if g.level == 1]
    for g in level1:
        subs = [
            s
            for s in groups
            if s.level == 2 and s.members and set(map(id, s.members)) <= set(map(id, g.members))
        ]
        in_sub = {id(m) for s in subs for m in s.members}
        children: list[tuple[int, BudgetLine]] = [
            (m.row, government(m)) for m in g.members if id(m) not in in_sub
        ]
        children += [(s.row, group(s, tuple(government(m) for m in s.members))) for s in subs]
        made[id(g)] = group(g, tuple(c for _, c in sorted(children, key=lambda x: x[0])))
    orphan_subs = [
        s
        for s in groups
        if s.level == 2 and not any(set(map(id, s.members)) <= set(map(id, g.members)) for g in level1)
    ]
    parts: list[tuple[int, BudgetLine]] = [(g.row, made[id(g)]) for g in level1]
    parts += [(s.row, group(s, tuple(government(m) for m in s.members))) for s in orphan_subs]
    parts += [(w.row, government(w)) for w in loose]
    lines = [c for _, c in sorted(parts, key=lambda x: x[0])]
    total_row = next((w for w in rows if w.level == 0), None)
    total = BudgetLine(
        kind="total",
        name=total_row.label if total_row else "합계",
        children=tuple(lines),
        src=src(total_row.row) if total_row else Source(path=display, sheet=sheet.name),
        **_amount(measure, sum(getattr(c, measure) or 0 for c in lines)),
    )
    return BudgetTable(
        key="detail",
        title=title,
        unit=unit,  # type: ignore[arg-type]
        columns=(measure,),
        lines=(total,),
        notes=(f"{display} [{sheet.name}] {profile.title}",),
        src=Source(path=display, sheet=sheet.name, cell=cell_ref(0, header.start + 1)),
    )


def build_wide_revenue(
    sheet: Sheet, header: WideHeader, rows: list[WideRow], profile: Profile, display: str, unit: str
) -> RevenueSection:
    measure = (
        profile.measure
        if profile.measure in ("budget", "budget_current", "levied", "received")
        else "received"
    )
    leaves = header.leaves

    def src(row: int, col: int | None = None) -> Source:
        return Source(
            path=display, sheet=sheet.name, cell=cell_ref(col if col is not None else header.label_col, row)
        )

    def government(w: WideRow) -> RevenueLine:
        items = tuple(
            RevenueLine(
                kind="item",
                name=c.name,
                code=c.code,
                src=src(w.row, c.col),
                **_amount(measure, w.values.get(c.col) or 0),
            )
            for c in leaves
            if w.values.get(c.col)
        )
        return RevenueLine(
            kind="category",
            name=w.label,
            code=w.code,
            children=items,
            src=src(w.row),
            **_amount(measure, sum(getattr(i, measure) for i in items)),
        )

    groups, loose = _groups(rows)
    parts: list[tuple[int, RevenueLine]] = []
    for g in [g for g in groups if g.level == 1] or [g for g in groups if g.level == 2]:
        kids = tuple(government(m) for m in g.members)
        parts.append(
            (
                g.row,
                RevenueLine(
                    kind="category",
                    name=g.label,
                    children=kids,
                    src=src(g.row),
                    **_amount(measure, sum(getattr(k, measure) or 0 for k in kids)),
                ),
            )
        )
    parts += [(w.row, government(w)) for w in loose]
    lines = [c for _, c in sorted(parts, key=lambda x: x[0])]
    total = RevenueLine(
        kind="total",
        name="합계",
        src=Source(path=display, sheet=sheet.name),
        **_amount(measure, sum(getattr(c, measure) or 0 for c in lines)),
    )
    return RevenueSection(
        title=profile.title,
        unit=unit,  # type: ignore[arg-type]
        columns=(measure,),
        lines=(total, *lines),
        notes=(f"{display} [{sheet.name}] {profile.title}",),
        src=Source(path=display, sheet=sheet.name, cell=cell_ref(0, header.start + 1)),
    )


def long_records(header: WideHeader, rows: list[WideRow]) -> pl.DataFrame:
    """Detail cells as a long frame (government, code, name, amount, row) for DuckDB."""
    data: dict[str, list[object]] = {
        "government": [],
        "government_code": [],
        "group": [],
        "code": [],
        "name": [],
        "amount": [],
        "row": [],
    }
    group_of: dict[int, str] = {}
    for w in rows:
        if w.level == 1:
            for m in w.members:
                group_of.setdefault(id(m), w.label)
    for w in rows:
        if w.level is not None:
            continue
        for c in header.leaves:
            v = w.values.get(c.col)
            if v is None:
                continue
            data["government"].append(w.label)
            data["government_code"].append(w.code)
            data["group"].append(group_of.get(id(w)))
            data["code"].append(c.code)
            data["name"].append(c.name)
            data["amount"].append(v)
            data["row"].append(w.row)
    return pl.DataFrame(
        data,
        schema={
            "government": pl.String,
            "government_code": pl.String,
            "group": pl.String,
            "code": pl.String,
            "name": pl.String,
            "amount": pl.Int64,
            "row": pl.Int64,
        },
    )


def preamble_title(sheet: Sheet, header: WideHeader) -> tuple[str | None, str | None, int | None]:
    pre = read_preamble(sheet, header.start)
    return pre.title, pre.unit, pre.year
