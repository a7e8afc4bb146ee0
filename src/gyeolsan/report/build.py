"""Laying a prepared (computed, resolved) settlement out as document blocks, in the sample's order.

I 일반현황 (조직·인력, 주요기능, 결산표, 다음연도 예산표) · II 주요사업 카드 · III 시정권고사항 ·
IV 세입·세출 결산 (총괄, 표, 징수내역, 이용·전용·변경사용·이체·이월·집행잔액) · annex of findings.
Only the prepared model is read here, so every printed figure is a computed one.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

from gyeolsan import __version__
from gyeolsan.model import (
    Adjustment,
    AdjustmentSummary,
    BudgetLine,
    BudgetTable,
    ChangeLine,
    ChangeTable,
    ExpenditureSection,
    Finding,
    Headline,
    ProgramCard,
    RevenueLine,
    RevenueSection,
    Settlement,
    StaffingTable,
)
from gyeolsan.model.labels import FIELD_LABELS
from gyeolsan.model.numbers import find_quantities, format_number, format_rate
from gyeolsan.report import compute
from gyeolsan.report.compute import key
from gyeolsan.report.config import DEFAULT, ReportConfig
from gyeolsan.report.document import Block, Cell, Document, Heading, PageBreak, Paragraph, Row, Table
from gyeolsan.report.placeholders import narrative_kinds
from gyeolsan.report.prepare import Prepared, prepare

ROMAN = ("Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ")
KIND_LABELS = {
    "이용": "예산 이용",
    "전용": "예산 전용",
    "변경사용": "예산 변경사용",
    "이체": "예산 이체",
    "이월": "예산의 다음연도 이월",
    "집행잔액": "예산 집행잔액",
}
BUDGET_HEADERS = {**FIELD_LABELS, "rate": "집행률(%)"}  # table column headers
REVENUE_HEADERS = BUDGET_HEADERS


@dataclass
class Built:
    document: Document
    prepared: Prepared
    findings: list[Finding] = field(default_factory=list)


def build(
    settlement: Settlement,
    config: ReportConfig | None = None,
    *,
    findings: Sequence[Finding] | None = None,
    charts: bool = True,
    prepared: Prepared | None = None,
) -> Built:
    cfg = config or DEFAULT
    prepared = prepared or prepare(settlement, cfg)
    s = prepared.settlement
    blocks: list[Block] = []
    blocks += general(s, cfg, charts and cfg.charts)
    if s.cards or s.card_groups:
        blocks += [PageBreak(), *programs(s, cfg)]
    if s.audits:
        blocks += [PageBreak(), *audits(s)]
    if s.revenue is not None or s.expenditure is not None:
        blocks += [PageBreak(), *accounts(s, cfg, charts and cfg.charts)]
    if findings is not None:
        from gyeolsan.report.annex import annex

        blocks += [PageBreak(), *annex(list(findings), cfg)]
    meta = provenance(settlement, findings)
    doc = Document(
        title=s.meta.title,
        office=s.meta.office,
        date=s.meta.report_date.text if s.meta.report_date else None,
        blocks=tuple(blocks),
        meta=meta,
    )
    return Built(document=doc, prepared=prepared, findings=prepared.findings)


def provenance(settlement: Settlement, findings: Sequence[Finding] | None) -> dict[str, str]:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = datetime.fromtimestamp(int(epoch), UTC) if epoch and epoch.isdigit() else datetime.now(UTC)
    meta = {
        "source": settlement.meta.source_path or "",
        "generated": when.strftime("%Y-%m-%d %H:%M UTC"),
        "generator": f"gyeolsan {__version__}",
        "fiscal_year": str(settlement.meta.fiscal_year),
    }
    if settlement.meta.government:
        meta["government"] = settlement.meta.government
    if findings is not None:
        counts = {s: sum(1 for f in findings if f.severity.value == s) for s in ("error", "warning", "info")}
        meta["findings"] = f"오류 {counts['error']} · 경고 {counts['warning']} · 참고 {counts['info']}"
    return meta


def yy(year: int) -> str:
    return f"'{year % 100:02d}"


# ----------------------------------------------------------------------------- cells


def text_cell(text: str, **kw: object) -> Cell:
    return Cell(text=text, **kw)  # type: ignore[arg-type]


def amount_cell(value: int | None, formula: str | None = None, zero: str = "-") -> Cell:
    text = format_number(value) if value != 0 or zero == "-" else zero
    return Cell(text=text, value=value, kind="amount", formula=formula)


def rate_cell(
    value: Decimal | None, places: int = 1, formula: str | None = None, text: str | None = None
) -> Cell:
    return Cell(text=text or format_rate(value, places), value=value, kind="rate", formula=formula)


def count_cell(value: int | None, formula: str | None = None) -> Cell:
    return Cell(text=format_number(value), value=value, kind="count", formula=formula)


def header(*names: str) -> tuple[tuple[Cell, ...], ...]:
    return (tuple(Cell(text=n) for n in names),)


# ----------------------------------------------------------------------------- I. 일반현황


def general(s: Settlement, cfg: ReportConfig, charts: bool) -> list[Block]:
    out: list[Block] = [Heading(1, f"{ROMAN[0]}. 일반현황")]
    org = s.organization
    if org is not None:
        if org.summary:
            out.append(Paragraph(f"조 직  {org.summary}", "lead"))
        if org.affiliates:
            out.append(Paragraph(f"출연기관 : {', '.join(org.affiliates)}", "note"))
    if s.staffing is not None:
        out += staffing(s.staffing)
    if org is not None and org.divisions:
        out.append(Heading(2, "주요기능"))
        out.append(functions_table(s))
    if s.settlement is not None:
        table = s.settlement
        if table.headline is not None:
            out.append(Paragraph(table.headline.text, "lead"))
        out.append(budget_table(table, "settlement", f"{table.title}" if table.title else "결산"))
        out += [Paragraph(n, "note") for n in table.notes]
        if charts:
            from gyeolsan.report.charts import settlement_figures

            out += settlement_figures(s, cfg)
    if s.next_year is not None:
        nxt = s.next_year
        if nxt.headline is not None:
            out.append(Paragraph(nxt.headline.text, "lead"))
        out.append(change_table(nxt, cfg))
        out += [Paragraph(n, "note") for n in nxt.notes]
        if charts:
            from gyeolsan.report.charts import change_figures

            out += change_figures(s, cfg)
    return out


def staffing(table: StaffingTable) -> list[Block]:
    out: list[Block] = []
    if table.stated_quota is not None or table.stated_current is not None:
        quota, current = format_number(table.stated_quota), format_number(table.stated_current)
        out.append(Paragraph(f"인 력  {quota}명/{current}명 (정원/현원)", "lead"))
    if table.as_of is not None:
        out.append(Paragraph(f"( {table.as_of.text} 현재 )"))
    top = [Cell("구 분", rowspan=2), Cell("총 계", colspan=2)]
    top += [Cell(name, colspan=2) for name in table.series]
    second = [Cell("정원"), Cell("현원")] * (len(table.series) + 1)
    rows = []
    totals = [i for i, r in enumerate(table.rows) if r.is_total]
    parts = tuple(i for i, r in enumerate(table.rows) if not r.is_total)
    for i, row in enumerate(table.rows):
        pair_formula = "sum:children" if row.is_total else None
        cells = [Cell(row.name)]
        cells += [
            count_cell(row.total.quota, pair_formula or ("sum:series" if row.by_series else None)),
            count_cell(row.total.current, pair_formula or ("sum:series" if row.by_series else None)),
        ]
        for h in row.by_series:
            cells += [count_cell(h.quota, pair_formula), count_cell(h.current, pair_formula)]
        for _ in range(len(table.series) - len(row.by_series)):
            cells += [count_cell(None), count_cell(None)]
        rows.append(
            Row(
                cells=tuple(cells),
                level=0 if row.is_total else 1,
                bold=row.is_total,
                key=f"staffing/{row.name}",
                children=parts if i in totals else (),
            )
        )
    columns = ("name", *(("quota", "current_staff") * (len(table.series) + 1)))
    out.append(
        Table(
            id="staffing",
            caption="인력 현황 (정원/현원)",
            unit="명",
            header=(tuple(top), tuple(second)),
            rows=tuple(rows),
            columns=columns,
            widths=(22, *([8] * (2 * (len(table.series) + 1)))),
        )
    )
    return out


def functions_table(s: Settlement) -> Table:
    assert s.organization is not None
    rows = []
    for division in s.organization.divisions:
        teams = division.teams or ()
        for n, team in enumerate(teams):
            first = n == 0
            cells = ((Cell(division.name, rowspan=len(teams)),) if first else ()) + (
                Cell(team.name),
                Cell("\n".join(team.functions)),
            )
            rows.append(Row(cells=cells, level=1, key=f"functions/{division.name}/{team.name}"))
        if not teams:
            rows.append(Row(cells=(Cell(division.name), Cell(""), Cell("")), level=1))
    return Table(
        id="functions",
        caption="주요기능",
        unit=None,
        header=header("부서", "팀", "주요기능"),
        rows=tuple(rows),
        columns=("division", "team", "text"),
        widths=(22, 18, 60),
    )


def _budget_key(prefix: str, path: list[str]) -> str:
    return "/".join([prefix, *path])


def budget_table(table: BudgetTable, table_id: str, caption: str) -> Table:
    """Settlement-style table: 부서/사업명 + the table's columns; subtotals as sum formulas."""
    columns = compute.budget_columns(table)
    rows: list[Row] = []
    unit = table.unit

    def cells_of(line: BudgetLine, has_children: bool) -> tuple[Cell, ...]:
        out = [Cell(line.name)]
        for col in columns:
            if col == "rate":
                out.append(rate_cell(line.rate, 1, "rate:spent/budget_current"))
            elif col == "unused":
                out.append(amount_cell(line.unused, "unused"))
            else:
                out.append(amount_cell(getattr(line, col), "sum:children" if has_children else None))
        return tuple(out)

    def add(line: BudgetLine, level: int, path: list[str]) -> int:
        index = len(rows)
        rows.append(Row(cells=()))
        child_indexes = tuple(add(c, level + 1, [*path, c.name]) for c in line.children)
        bold = line.kind == "total" or (line.kind == "division" and table.key != "expenditure_summary")
        rows[index] = Row(
            cells=cells_of(line, bool(line.children)),
            level=level,
            bold=bold,
            key=_budget_key(table_id, path),
            children=child_indexes,
        )
        return index

    roots = [ln for ln in table.lines if ln.kind not in ("total", "business", "basic_total")]
    positions: dict[str, int] = {}
    for line in table.lines:
        if line.kind in ("total", "business", "basic_total"):
            positions[line.kind] = len(rows)
            rows.append(
                Row(cells=(), level=0, bold=line.kind == "total", key=_budget_key(table_id, [line.name]))
            )
        else:
            add(line, 1, [line.name])
    # the roots: 합계 = divisions, 사업예산 = programs, 기본경비 = basic rows
    top = tuple(i for i, r in enumerate(rows) if r.level == 1)
    policies = tuple(
        i
        for i, r in enumerate(rows)
        if r.level == 2 and not key(r.cells[0].text).startswith(("기본경비", "행정운영경비"))
    )
    basics = tuple(
        i
        for i, r in enumerate(rows)
        if r.level == 2 and key(r.cells[0].text).startswith(("기본경비", "행정운영경비"))
    )
    for kind, members in (("total", top), ("business", policies), ("basic_total", basics)):
        if kind not in positions:
            continue
        root = table.root(kind)  # type: ignore[arg-type]
        assert root is not None
        line = root
        has = bool(roots)
        formula_cells = cells_of(line, has)
        rows[positions[kind]] = Row(
            cells=formula_cells,
            level=0,
            bold=kind == "total",
            key=rows[positions[kind]].key,
            children=members if has else (),
        )
    heads = ["부서/사업명" if table.key != "expenditure_summary" else "부서명"]
    heads += [BUDGET_HEADERS.get(c, c) for c in columns]
    return Table(
        id=table_id,
        caption=caption,
        unit=unit,
        header=header(*heads),
        rows=tuple(rows),
        columns=("name", *columns),
        widths=(40, *([15] * len(columns))),
    )


def change_table(table: ChangeTable, cfg: ReportConfig) -> Table:
    rows: list[Row] = []

    def cells_of(line: ChangeLine, has_children: bool) -> tuple[Cell, ...]:
        formula = "sum:children" if has_children else None
        new_item = not line.previous and bool(line.current)
        ratio_text = cfg.new_item_rate if new_item else None
        return (
            Cell(line.name),
            amount_cell(line.previous, formula),
            amount_cell(line.current, formula),
            amount_cell(line.change, "diff:current-previous"),
            rate_cell(line.change_rate, 2, "change_rate", text=ratio_text),
        )

    def add(line: ChangeLine, level: int, path: list[str]) -> int:
        index = len(rows)
        rows.append(Row(cells=()))
        kids = tuple(add(c, level + 1, [*path, c.name]) for c in line.children)
        rows[index] = Row(
            cells=cells_of(line, bool(line.children)),
            level=level,
            bold=line.kind in ("total", "division"),
            key=_budget_key("next_year", path),
            children=kids,
        )
        return index

    positions: dict[str, int] = {}
    for line in table.lines:
        if line.kind in ("total", "business", "basic_total"):
            positions[line.kind] = len(rows)
            rows.append(Row(cells=()))
        else:
            add(line, 1, [line.name])
    top = tuple(i for i, r in enumerate(rows) if r.level == 1)
    second = [i for i, r in enumerate(rows) if r.level == 2]
    basics = tuple(i for i in second if key(rows[i].cells[0].text).startswith(("기본경비", "행정운영경비")))
    policies = tuple(i for i in second if i not in basics)
    for kind, members in (("total", top), ("business", policies), ("basic_total", basics)):
        if kind not in positions:
            continue
        change_root = table.root(kind)  # type: ignore[arg-type]
        assert change_root is not None
        rows[positions[kind]] = Row(
            cells=cells_of(change_root, bool(top)),
            level=0,
            bold=kind == "total",
            key=_budget_key("next_year", [change_root.name]),
            children=members if top else (),
        )
    prev, cur = str(table.previous_year), str(table.year)
    head = (
        (
            Cell("부서/사업명", rowspan=2),
            Cell(f"{prev}년 예산", rowspan=2),
            Cell(f"{cur}년 예산", rowspan=2),
            Cell(f"{prev}년 대비", colspan=2),
        ),
        (Cell("증 감"), Cell("증감률(%)")),
    )
    return Table(
        id="next_year",
        caption=f"{table.title}" if table.title else f"{yy(table.year)}년 예산",
        unit=table.unit,
        header=head,
        rows=tuple(rows),
        columns=("name", "previous", "current", "change", "change_rate"),
        widths=(40, 15, 15, 15, 10),
    )


# ----------------------------------------------------------------------------- II. 주요사업


CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def circled(n: int) -> str:
    return CIRCLED[n - 1] if 1 <= n <= len(CIRCLED) else f"({n})"


def programs(s: Settlement, cfg: ReportConfig) -> list[Block]:
    out: list[Block] = [Heading(1, f"{ROMAN[1]}. {s.meta.fiscal_year}년 주요사업 추진실적")]
    groups = list(s.card_groups)
    numbers = {g.number for g in groups}
    for card in s.cards:  # cards of groups that the model does not list
        if card.group not in numbers:
            from gyeolsan.model import CardGroup

            groups.append(CardGroup(number=card.group, title=f"사업군 {card.group}"))
            numbers.add(card.group)
    out += [Paragraph(f"{g.number}. {g.title}") for g in groups]
    for group in groups:
        cards = [c for c in s.cards if c.group == group.number]
        out.append(Heading(2, f"{group.number}. {group.title}"))
        titles = list(group.card_titles) or [c.title for c in cards]
        out += [Paragraph(f"{circled(i)} {t}") for i, t in enumerate(titles, start=1)]
        for card in cards:
            out += program_card(card, s.meta.fiscal_year, cfg)
    return out


def program_card(card: ProgramCard, year: int, cfg: ReportConfig) -> list[Block]:
    out: list[Block] = [Heading(3, f"{circled(card.index)} {card.title}")]
    if card.goal:
        out.append(Paragraph(card.goal, "headline"))
    tables = 0
    for section in card.sections:
        out.append(Heading(4, f"□ {section.heading}"))
        for block in section.blocks:
            if block.type == "bullet":
                out.append(Paragraph(block.text, "bullet", block.level))
            else:
                tables += 1
                rows = [tuple(Cell(c) for c in r) for r in block.rows]
                out.append(
                    Table(
                        id=f"card-{card.group}-{card.index}-{tables}",
                        caption=f"{card.title} ({section.heading})",
                        unit=None,
                        header=(rows[0],) if rows else (),
                        rows=tuple(Row(cells=r, level=1) for r in rows[1:]),
                        columns=("name", *("text",) * (len(rows[0]) - 1 if rows else 0)),
                    )
                )
    line = card.settlement
    if line is not None and line.budget_current is not None and line.spent is not None:
        out.append(
            Paragraph(card_line(line.budget_current, line.spent, line.rate, line.unit, year, cfg), "lead")
        )
        if line.note:
            out.append(Paragraph(line.note, "note"))
    return out


def card_line(
    budget_current: int, spent: int, rate: Decimal | None, unit: str, year: int, cfg: ReportConfig
) -> str:
    shown = format_rate(rate, cfg.card_rate_places) if rate is not None else "-"
    return f"{yy(year)}년 결산 : 예산현액 {budget_current:,}{unit} 중 {spent:,}{unit} 집행(집행률 {shown}%)"


# ----------------------------------------------------------------------------- III. 시정권고사항


def audits(s: Settlement) -> list[Block]:
    title = f"{ROMAN[2]}. {s.meta.fiscal_year} 결산검사 시정권고사항 조치결과"
    out: list[Block] = [Heading(1, title)]
    if s.audit_title:
        out.append(Paragraph(s.audit_title, "lead"))
    rows = []
    for a in s.audits:
        rows.append(
            Row(
                cells=(
                    count_cell(a.number),
                    Cell(a.title),
                    Cell("\n".join(a.content)),
                    Cell("\n".join(a.action)),
                    Cell(a.department or ""),
                ),
                level=1,
                key=f"audits/{a.number}",
            )
        )
    out.append(
        Table(
            id="audits",
            caption="결산검사 시정·권고사항 조치결과",
            unit=None,
            header=header("연번", "시 정 · 권고사항", "내 용", "추 진 현 황", "소관실국 (부서명)"),
            rows=tuple(rows),
            columns=("number", "title", "text", "text", "department"),
            widths=(6, 16, 36, 30, 12),
        )
    )
    return out


# ----------------------------------------------------------------------------- IV. 세입·세출


def accounts(s: Settlement, cfg: ReportConfig, charts: bool) -> list[Block]:
    out: list[Block] = [Heading(1, f"{ROMAN[3]}. {s.meta.fiscal_year} 회계연도 세입·세출 결산 현황")]
    if s.revenue is not None:
        out += revenue(s.revenue, cfg)
        if charts:
            from gyeolsan.report.charts import revenue_figures

            out += revenue_figures(s, cfg)
    if s.expenditure is not None:
        out += expenditure(s, s.expenditure)
    return out


_SECTION_HEADINGS = ("세입결산", "세출결산")


def _is_heading_echo(text: str) -> bool:
    k = key(text).rstrip(".")
    return any(k.endswith(h) and k[: -len(h)].rstrip(".").isdigit() for h in _SECTION_HEADINGS)


def revenue(rev: RevenueSection, cfg: ReportConfig) -> list[Block]:
    echo = next((h.text for h in rev.statements if _is_heading_echo(h.text)), "1 세입결산")
    out: list[Block] = [Heading(2, echo), Heading(3, "□ 총괄")]
    if rev.headline is not None:
        out.append(Paragraph(rev.headline.text, "bullet"))
    if rev.lines:
        out.append(Paragraph(f"세입결산 내용은 아래 표와 같습니다. (단위 : {rev.unit})", "bullet"))
        out.append(revenue_table(rev, cfg))
    out += [Paragraph(n, "note") for n in rev.notes]
    body = collection(rev)
    if body:
        out.append(Heading(3, "□ 세입 징수내역"))
        out += body
    return out


def revenue_table(rev: RevenueSection, cfg: ReportConfig) -> Table:
    columns = rev.columns or compute.DEFAULT_REVENUE_COLUMNS
    zero = "0" if cfg.revenue_zero == "0" else "-"
    rows: list[Row] = []

    def cells_of(line: RevenueLine, has_children: bool) -> tuple[Cell, ...]:
        out = [Cell(line.name)]
        for col in columns:
            if col == "uncollected":
                formula = "diff:levied-received" + ("-written_off" if "written_off" in columns else "")
                out.append(amount_cell(line.uncollected, formula, zero))
            else:
                out.append(amount_cell(getattr(line, col), "sum:children" if has_children else None, zero))
        return tuple(out)

    def add(line: RevenueLine, level: int) -> int:
        index = len(rows)
        rows.append(Row(cells=()))
        kids = tuple(add(c, level + 1) for c in line.children)
        rows[index] = Row(
            cells=cells_of(line, bool(line.children)),
            level=level,
            bold=False,
            key=f"revenue/{line.name}",
            children=kids,
        )
        return index

    total_at: int | None = None
    for line in rev.lines:
        if line.kind == "total":
            total_at = len(rows)
            rows.append(Row(cells=()))
        else:
            add(line, 1)
    if total_at is not None:
        line = next(ln for ln in rev.lines if ln.kind == "total")
        members = tuple(i for i, r in enumerate(rows) if r.level == 1)
        rows[total_at] = Row(
            cells=cells_of(line, bool(members)),
            level=0,
            bold=True,
            key=f"revenue/{line.name}",
            children=members,
        )
    return Table(
        id="revenue",
        caption="세입결산",
        unit=rev.unit,
        header=header("구분", *(REVENUE_HEADERS.get(c, c) for c in columns)),
        rows=tuple(rows),
        columns=("name", *columns),
        widths=(28, *([14] * len(columns))),
    )


def collection(rev: RevenueSection) -> list[Block]:
    """징수내역: the sentences and ▶ items, in the order they were written (by source line)."""
    skip = {rev.headline.text} if rev.headline else set()
    skip |= set(rev.notes)
    statements = [h for h in rev.statements if h.text not in skip and not _is_heading_echo(h.text)]
    root_names = {key(ln.name) for ln in rev.lines}
    child_names = {key(c.name) for ln in rev.lines for c in ln.children}
    statement_lines = {h.src.line for h in statements if h.src.line is not None}
    entries: list[tuple[float, int, Block]] = []
    for n, h in enumerate(statements):
        first = key(h.text.split()[0]) if h.text.split() else ""
        level = 1 if any(first.startswith(c) for c in child_names) else 0
        if level == 0 and not any(first.startswith(r) for r in root_names):
            level = 0
        entries.append((h.src.line if h.src.line is not None else n, 0, Paragraph(h.text, "bullet", level)))
    groups: dict[object, list] = {}  # type: ignore[type-arg]
    order: list[object] = []
    for n, item in enumerate(rev.items):
        echoed = item.src.line in statement_lines or any(key(item.name) in key(h.text) for h in statements)
        if item.category is None and echoed:
            continue
        group_key: object = item.src.line if item.src.line is not None else ("item", n)
        if group_key not in groups:
            groups[group_key] = []
            order.append(group_key)
        groups[group_key].append(item)
    for n, group_key in enumerate(order):
        items = groups[group_key]
        text = "   ".join(
            f"▶ {i.name} {format_number(i.amount)}{rev.unit if i.amount else ''}" for i in items
        )
        position = group_key if isinstance(group_key, int) else 10**6 + n
        entries.append((position, 1, Paragraph(text, "bullet", 2)))
    entries.sort(key=lambda e: (e[0], e[1]))
    return [e[2] for e in entries]


def expenditure(s: Settlement, exp: ExpenditureSection) -> list[Block]:
    out: list[Block] = [Heading(2, "2 세출결산"), Heading(3, "□ 총괄")]
    if exp.headline is not None:
        out.append(Paragraph(exp.headline.text, "bullet"))
    if exp.table is not None:
        out.append(
            Paragraph(f"부서별 세출결산 내용은 아래 표와 같습니다. (단위 : {exp.table.unit})", "bullet")
        )
        out.append(budget_table(exp.table, "expenditure", "부서별 세출결산"))
    kinds = narrative_kinds(exp.narrative, exp.summaries)
    general_lines = [h for h, k in zip(exp.narrative, kinds, strict=True) if k is None]
    out += [Paragraph(h.text, "bullet" if find_quantities(h.text) else "note") for h in general_lines]
    body: list[Block] = []
    for summary in exp.summaries:
        body += adjustment_block(
            summary, exp, [h for h, k in zip(exp.narrative, kinds, strict=True) if k == summary.kind]
        )
    if body:
        out.append(Heading(3, "□ 세출 집행내역"))
        out += body
    return out


def summary_text(summary: AdjustmentSummary) -> str:
    label = f"【{KIND_LABELS.get(summary.kind, summary.kind)}】 ..... "
    if summary.none or (summary.count is None and summary.amount is None):
        return label + "해당사항 없음"
    if summary.count is None:
        return label + f"{format_number(summary.amount)}{summary.unit}"
    return label + f"{summary.count}건 {format_number(summary.amount)}{summary.unit}"


def josa(word: str, with_final: str, without: str) -> str:
    last = word[-1] if word else ""
    if "가" <= last <= "힣":
        return with_final if (ord(last) - 0xAC00) % 28 else without
    return with_final


def adjustment_block(
    summary: AdjustmentSummary, exp: ExpenditureSection, narrative: list[Headline]
) -> list[Block]:
    out: list[Block] = [Paragraph(summary_text(summary), "lead")]
    kind = summary.kind
    if kind == "집행잔액":
        if exp.unused_headline is not None:
            out.append(Paragraph(exp.unused_headline.text, "bullet"))
        out += [Paragraph(h.text, "bullet") for h in narrative]
        for reason in exp.unused_reasons:
            text = reason.reason
            if reason.amount is not None and f"{reason.amount:,}" not in text:
                text = f"{text} {reason.amount:,}{summary.unit},"
            out.append(Paragraph(text, "bullet", 1))
            out += [Paragraph(f"▶ {item.text}", "bullet", 2) for item in reason.items]
        return out
    if narrative:
        for n, h in enumerate(narrative):
            level = 0 if n == 0 or "규모는" in h.text or "없습니다" in h.text else 1
            out.append(Paragraph(h.text, "bullet", level))
        return out
    records = [a for a in exp.adjustments if a.kind == kind]
    word = "다음연도 이월" if kind == "이월" else kind
    if not records:
        return out
    out.append(
        Paragraph(
            f"{word}규모는 총 {summary.count}건, {format_number(summary.amount)}{summary.unit}으로,", "bullet"
        )
    )
    out += [Paragraph(describe(a), "bullet", 1) for a in records]
    return out


def describe(a: Adjustment) -> str:
    if a.reason:
        return a.reason
    origin = " ".join(x for x in (a.from_division, a.from_program, a.from_item) if x)
    target = " ".join(x for x in (a.to_division, a.to_program, a.to_item) if x)
    amount = f"{format_number(a.amount)}{a.unit}"
    if target:
        return f"{origin} → {target} : {amount}"
    return f"{origin} : {amount}"
