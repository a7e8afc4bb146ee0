"""Year-on-year tables that survive reorganisations (the '19년 예산 table of the sample).

``compare(old, new, mapping)`` restates the old year's budget in the new organisation — moving
lines as the mapping file says — then pairs each new 단위사업 (and 기본경비) with its restated old
amount and computes 증감 and 증감률 (two decimals, half-up; never divided by zero: a new item prints
"100" or "순증" as configured, a removed one △100). The result is a ``ChangeTable`` with the sample's
structure (합계, 사업예산, 기본경비, 부서 → 정책사업 → 단위사업, 기본경비) plus the notes that explain
each restated amount, written as text, Markdown, CSV or XLSX.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

from gyeolsan.io.sheets.mapping import Mapping, matches
from gyeolsan.io.sheets.text import name_key
from gyeolsan.model import BudgetLine, ChangeLine, ChangeTable, Finding, Location, Settlement, Severity
from gyeolsan.model.numbers import UNIT_FACTOR, Unit, change_rate, format_number, format_rate

BASIC_NAME = "기본경비(행정운영경비)"


@dataclass
class Leaf:
    """A 단위사업 (or 기본경비) line with its place in the organisation and one amount."""

    division: str
    policy: str | None
    unit: str | None  # None for 기본경비
    amount: int
    code: str | None = None
    basic: bool = False
    notes: list[str] = field(default_factory=list)
    order: float = 0.0

    def key(self) -> tuple[str, str]:
        return (
            name_key(self.division),
            "\x00basic" if self.basic else name_key(self.unit or self.policy or ""),
        )


@dataclass
class Comparison:
    table: ChangeTable
    notes: list[str]
    findings: list[Finding]
    new_item: str = "100"
    unit: str = "천원"


def leaves(s: Settlement, measure: str = "budget", *, side: str = "new") -> tuple[list[Leaf], str, int]:
    """Leaf lines of a settlement table (or, without one, of its next-year table), its unit and year."""
    out: list[Leaf] = []
    if s.settlement is not None:
        for d in s.settlement.divisions:
            _collect(d, d.name, None, measure, out)
        return out, s.settlement.unit, s.meta.fiscal_year
    if s.next_year is not None:
        nt = s.next_year
        field_ = "previous" if side == "old" else "current"
        for cd in nt.divisions:
            for child in cd.children:
                if child.kind == "basic":
                    out.append(
                        Leaf(
                            cd.name, None, None, getattr(child, field_) or 0, child.code, True, order=len(out)
                        )
                    )
                for unit in child.children if child.kind == "policy" else ():
                    out.append(
                        Leaf(
                            cd.name,
                            child.name,
                            unit.name,
                            getattr(unit, field_) or 0,
                            unit.code,
                            order=len(out),
                        )
                    )
        return out, nt.unit, nt.previous_year if side == "old" else nt.year
    return out, "천원", s.meta.fiscal_year


def _collect(line: BudgetLine, division: str, policy: str | None, measure: str, out: list[Leaf]) -> None:
    for child in line.children:
        value = getattr(child, measure) or 0
        if child.kind == "basic":
            out.append(Leaf(division, None, None, value, child.code, True, order=len(out)))
        elif child.kind == "policy":
            units = [c for c in child.children if c.kind in ("unit", "detail")]
            if units:
                _collect(child, division, child.name, measure, out)
            else:
                out.append(Leaf(division, child.name, child.name, value, child.code, order=len(out)))
        elif child.kind in ("unit", "detail"):
            out.append(Leaf(division, policy, child.name, value, child.code, order=len(out)))


def restate(
    old: list[Leaf], mapping: Mapping | None, unit: str
) -> tuple[list[Leaf], list[str], list[Finding]]:
    """Apply the moves in file order; notes say where each amount went."""
    if mapping is None:
        return old, [], []
    current = [Leaf(**{**lf.__dict__, "notes": list(lf.notes)}) for lf in old]
    notes: list[str] = []
    findings: list[Finding] = []
    for move in mapping.moves:
        hits = [
            lf for lf in current if matches(move.source, lf.division, lf.policy, lf.unit, lf.code, lf.basic)
        ]
        when = f"{move.date} " if move.date else ""
        why = f" ({move.reason})" if move.reason else ""
        if not hits:
            findings.append(
                Finding(
                    rule="MAP002",
                    severity=Severity.WARNING,
                    message=f"매핑 '{move.source.describe()}'에 해당하는 전년도 사업이 없습니다",
                    message_en=f"Mapping source '{move.source.describe()}' matches no line of the old year",
                    location=Location(path=mapping.path, row=move.where),
                )
            )
            continue
        if move.amount is not None:
            if len(hits) != 1:
                findings.append(
                    Finding(
                        rule="MAP003",
                        severity=Severity.WARNING,
                        message=f"금액을 옮기는 매핑은 한 사업만 가리켜야 합니다: '{move.source.describe()}' ({len(hits)}개)",
                        message_en=f"A partial move must select exactly one line ('{move.source.describe()}' selects {len(hits)})",
                        location=Location(path=mapping.path, row=move.where),
                    )
                )
                continue
            src = hits[0]
            if move.amount > src.amount:
                findings.append(
                    Finding(
                        rule="MAP004",
                        severity=Severity.ERROR,
                        message=f"옮길 금액 {format_number(move.amount)}이(가) '{move.source.describe()}'의 남은 금액 {format_number(src.amount)}보다 큽니다",
                        message_en=f"Amount {move.amount:,} exceeds what is left of '{move.source.describe()}' ({src.amount:,})",
                        location=Location(path=mapping.path, row=move.where),
                    )
                )
                continue
            src.amount -= move.amount
            moved = Leaf(**{**src.__dict__, "amount": move.amount, "notes": [], "order": src.order + 0.001})
            _retarget(moved, move)
            note = f"{when}{src.division} {_label(src)} {format_number(move.amount)}{unit} → {moved.division} {_label(moved)}{why}"
            moved.notes.append(note)
            src.notes.append(note)
            current.append(moved)
            notes.append(note)
        else:
            for lf in hits:
                before = f"{lf.division} {_label(lf)}"
                _retarget(lf, move)
                note = f"{when}{before} {format_number(lf.amount)}{unit} → {lf.division} {_label(lf)}{why}"
                lf.notes.append(note)
                notes.append(note)
    return current, notes, findings


def _label(lf: Leaf) -> str:
    return "기본경비" if lf.basic else (lf.unit or lf.policy or "")


def _retarget(lf: Leaf, move: object) -> None:
    t = move.target  # type: ignore[attr-defined]
    if t.division:
        lf.division = t.division
    if t.policy:
        lf.policy = t.policy
    if t.basic is not None:
        lf.basic = bool(t.basic)
        if lf.basic:
            lf.unit = None
    if t.unit:
        lf.unit = t.unit
        lf.basic = False


def _scale(leaves_: list[Leaf], from_unit: str, to_unit: str) -> None:
    if from_unit == to_unit:
        return
    factor = UNIT_FACTOR[Unit(from_unit)] // UNIT_FACTOR[Unit(to_unit)]
    for lf in leaves_:
        lf.amount *= factor


def compare(
    old: Settlement,
    new: Settlement,
    mapping: Mapping | None = None,
    *,
    measure: str = "budget",
    new_item: str = "100",
) -> Comparison:
    old_leaves, old_unit, old_year = leaves(old, measure, side="old")
    new_leaves, new_unit, new_year = leaves(new, measure, side="new")
    unit = min((old_unit, new_unit), key=lambda u: UNIT_FACTOR[Unit(u)])  # the finer unit: exact
    _scale(old_leaves, old_unit, unit)
    _scale(new_leaves, new_unit, unit)
    before = sum(lf.amount for lf in old_leaves)
    restated, notes, findings = restate(old_leaves, mapping, unit)
    after = sum(lf.amount for lf in restated)
    if before != after:  # pragma: no cover - moves conserve money by construction
        findings.append(
            Finding(
                rule="MAP005",
                severity=Severity.ERROR,
                message=f"재분류 전후 전년도 합계가 다릅니다 ({format_number(before)} → {format_number(after)})",
                message_en="The old total changed while restating",
                location=Location(path=mapping.path if mapping else ""),
            )
        )
    old_by_key: dict[tuple[str, str], list[Leaf]] = {}
    for lf in restated:
        old_by_key.setdefault(lf.key(), []).append(lf)
    by_unit: dict[str, list[tuple[str, str]]] = {}
    for k in old_by_key:
        by_unit.setdefault(k[1], []).append(k)
    rows: list[tuple[Leaf | None, list[Leaf]]] = []
    used: set[tuple[str, str]] = set()
    for lf in new_leaves:
        key = lf.key()
        if key not in old_by_key and len(by_unit.get(key[1], [])) == 1 and key[1] != "\x00basic":
            other = by_unit[key[1]][0]
            if other not in used:
                notes.append(
                    f"{lf.unit}: 전년도 {other and old_by_key[other][0].division}에서 {lf.division}(으)로 (이름으로 대응)"
                )
                key = other
        olds = old_by_key.get(key, []) if key not in used else []
        used.add(key)
        rows.append((lf, olds))
    for key, olds in old_by_key.items():  # lines that no longer exist: 당해 "-", △100
        if key not in used and any(o.amount for o in olds):
            rows.append((None, olds))
    table = _build(rows, old_year, new_year, unit, new_item)
    table = table.model_copy(update={"notes": tuple(notes)})
    return Comparison(table, notes, findings, new_item, unit)


def _build(
    rows: list[tuple[Leaf | None, list[Leaf]]], old_year: int, new_year: int, unit: str, new_item: str
) -> ChangeTable:
    """Group the pairs by division and policy in the new year's order; removed lines after their old neighbour."""
    divisions: dict[str, dict[str, list[tuple[str, str | None, int, int, bool]]]] = {}
    basics: dict[str, tuple[int, int]] = {}
    div_names: dict[str, str] = {}
    pol_names: dict[tuple[str, str], str] = {}
    for new_leaf, olds in rows:
        ref = new_leaf or olds[0]
        prev = sum(o.amount for o in olds)
        cur = new_leaf.amount if new_leaf else 0
        dkey = name_key(ref.division)
        div_names.setdefault(dkey, ref.division)
        divisions.setdefault(dkey, {})
        if ref.basic:
            p, c = basics.get(dkey, (0, 0))
            basics[dkey] = (p + prev, c + cur)
            continue
        pname = ref.policy or ref.unit or ""
        pkey = name_key(pname)
        pol_names.setdefault((dkey, pkey), pname)
        items = divisions[dkey].setdefault(pkey, [])
        items.append((ref.unit or pname, ref.code, prev, cur, new_leaf is None))
    _place_removed(rows, divisions)

    def line(
        kind: str,
        name: str,
        prev: int,
        cur: int,
        children: tuple[ChangeLine, ...] = (),
        code: str | None = None,
    ) -> ChangeLine:
        change = cur - prev
        rate = change_rate(prev, cur)
        if not prev and cur:
            rate = Decimal(100) if new_item == "100" else None
        return ChangeLine(
            kind=kind,  # type: ignore[arg-type]
            name=name,
            code=code,
            previous=prev or None,
            current=cur or None,
            change=change or None,
            change_rate=rate,
            children=children,
        )

    div_lines: list[ChangeLine] = []
    biz = [0, 0]
    bas = [0, 0]
    for dkey, policies in divisions.items():
        kids: list[ChangeLine] = []
        dp = dc = 0
        for pkey, items in policies.items():
            units = tuple(line("unit", n, p, c, code=code) for n, code, p, c, _ in items)
            pp, pc = sum(p for _, _, p, _, _ in items), sum(c for _, _, _, c, _ in items)
            kids.append(line("policy", pol_names[(dkey, pkey)], pp, pc, units))
            dp, dc = dp + pp, dc + pc
        biz[0] += dp
        biz[1] += dc
        if dkey in basics:
            bp, bc = basics[dkey]
            kids.append(line("basic", BASIC_NAME, bp, bc))
            dp, dc = dp + bp, dc + bc
            bas[0] += bp
            bas[1] += bc
        div_lines.append(line("division", div_names[dkey], dp, dc, tuple(kids)))
    total = line("total", "합계", biz[0] + bas[0], biz[1] + bas[1])
    roots = [total]
    if basics:
        roots += [
            line("business", "사업예산", biz[0], biz[1]),
            line("basic_total", BASIC_NAME, bas[0], bas[1]),
        ]
    return ChangeTable(
        title=f"'{new_year % 100:02d}년 예산 (전년 대비)",
        year=new_year,
        previous_year=old_year,
        unit=unit if unit in ("원", "천원", "백만원", "억원") else "원",  # type: ignore[arg-type]
        lines=tuple(roots + div_lines),
    )


def _place_removed(
    rows: list[tuple[Leaf | None, list[Leaf]]],
    divisions: dict[str, dict[str, list[tuple[str, str | None, int, int, bool]]]],
) -> None:
    """Move each removed line right after the line that preceded it in the old year, when listed."""
    old_order: dict[str, float] = {}
    for new_leaf, olds in rows:
        for o in olds:
            old_order.setdefault(name_key(o.unit or o.policy or ""), o.order)
        if new_leaf is not None and olds:
            old_order[name_key(new_leaf.unit or "")] = min(o.order for o in olds)
    for policies in divisions.values():
        for pkey, items in policies.items():
            kept = [it for it in items if not it[4]]
            removed = [it for it in items if it[4]]
            for it in removed:
                mine = old_order.get(name_key(it[0]), 1e18)
                pos = 0
                for i, k in enumerate(kept):
                    if old_order.get(name_key(k[0]), -1) < mine:
                        pos = i + 1
                kept.insert(pos, it)
            policies[pkey] = kept


# ------------------------------------------------------------------------------ output

HEAD = ("부서/사업명", "{old}년 예산", "{new}년 예산", "증감", "증감률(%)")


def _rate_text(line: ChangeLine, new_item: str) -> str:
    if not line.previous and line.current:
        return "100" if new_item == "100" else new_item
    return format_rate(line.change_rate, 2)


def _rows(c: Comparison) -> list[tuple[int, ChangeLine]]:
    out: list[tuple[int, ChangeLine]] = []

    def walk(ln: ChangeLine, depth: int) -> None:
        out.append((depth, ln))
        for ch in ln.children:
            walk(ch, depth + 1)

    for root in c.table.lines:
        walk(root, 0)
    return out


def _header(c: Comparison) -> list[str]:
    return [h.format(old=c.table.previous_year, new=c.table.year) for h in HEAD]


def to_text(c: Comparison) -> str:
    head = _header(c)
    body = [
        [
            "  " * d + ln.name,
            format_number(ln.previous),
            format_number(ln.current),
            format_number(ln.change),
            _rate_text(ln, c.new_item),
        ]
        for d, ln in _rows(c)
    ]
    widths = [max(_width(r[i]) for r in [head, *body]) for i in range(len(head))]

    def fmt(r: list[str]) -> str:
        first = r[0] + " " * (widths[0] - _width(r[0]))
        rest = [" " * (w - _width(x)) + x for x, w in zip(r[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest])

    lines = [f"{c.table.title} (단위: {c.unit})", fmt(head), "-" * (sum(widths) + 8)]
    lines += [fmt(r) for r in body]
    if c.notes:
        lines += ["", "※ 전년도 예산은 당해 조직·사업 체계 기준으로 재분류:"] + [f"  - {n}" for n in c.notes]
    return "\n".join(lines) + "\n"


def _width(s: str) -> int:
    """Display width: Hangul and other wide characters take two columns."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in s)


def to_markdown(c: Comparison) -> str:
    head = _header(c)
    out = [
        f"### {c.table.title}",
        "",
        f"(단위: {c.unit})",
        "",
        "| " + " | ".join(head) + " |",
        "|---|---:|---:|---:|---:|",
    ]
    for d, ln in _rows(c):
        name = ("&nbsp;&nbsp;" * d) + (f"**{ln.name}**" if ln.kind in ("total", "division") else ln.name)
        out.append(
            f"| {name} | {format_number(ln.previous)} | {format_number(ln.current)} | {format_number(ln.change)} | {_rate_text(ln, c.new_item)} |"
        )
    if c.notes:
        out += ["", "※ 전년도 예산은 당해 조직·사업 체계 기준으로 재분류:", ""] + [f"- {n}" for n in c.notes]
    return "\n".join(out) + "\n"


def to_csv(c: Comparison) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(
        [
            "구분",
            "단계",
            "부서/사업명",
            "코드",
            f"{c.table.previous_year}년 예산",
            f"{c.table.year}년 예산",
            "증감",
            "증감률(%)",
            "단위",
        ]
    )
    for d, ln in _rows(c):
        rate = _rate_text(ln, c.new_item).replace("△", "-")
        w.writerow(
            [
                ln.kind,
                d,
                ln.name,
                ln.code or "",
                ln.previous or 0,
                ln.current or 0,
                ln.change or 0,
                "" if rate == "-" else rate,
                c.unit,
            ]
        )
    for n in c.notes:
        w.writerow(["note", "", n, "", "", "", "", "", ""])
    return buf.getvalue()


def to_xlsx(c: Comparison) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "전년대비"
    ws["A1"] = c.table.title
    ws["A1"].font = Font(bold=True, size=13)
    ws["E2"] = f"(단위: {c.unit})"
    money = '#,##0;"△"#,##0;"-"'
    for i, h in enumerate(_header(c), start=1):
        cell = ws.cell(3, i, h)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center")
    r = 4
    for d, ln in _rows(c):
        ws.cell(r, 1, ln.name).alignment = Alignment(indent=d)
        for col, v in ((2, ln.previous), (3, ln.current), (4, ln.change)):
            cell = ws.cell(r, col, v or 0)
            cell.number_format = money
        text = _rate_text(ln, c.new_item)
        if text in ("-",) or not text.replace("△", "").replace(".", "").replace(",", "").isdigit():
            ws.cell(r, 5, text).alignment = Alignment(horizontal="right")
        else:
            cell = ws.cell(r, 5, Decimal(text.replace("△", "-").replace(",", "")))
            cell.number_format = '0.00;"△"0.00;"-"'
        if ln.kind in ("total", "division"):
            for col in range(1, 6):
                ws.cell(r, col).font = Font(bold=True)
        r += 1
    if c.notes:
        r += 1
        ws.cell(r, 1, "※ 전년도 예산은 당해 조직·사업 체계 기준으로 재분류")
        for n in c.notes:
            r += 1
            ws.cell(r, 1, f"- {n}")
    ws.column_dimensions["A"].width = 48
    for letter in "BCDE":
        ws.column_dimensions[letter].width = 16
    ws.freeze_panes = "B4"
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
