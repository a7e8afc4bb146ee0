"""Does a report summarise its export? ``compare_to_export(report, export) -> [Finding]`` (rules XSRC0xx).

The report (usually imported from the report text) states its tables; the export (an e호조 file
imported by ``gyeolsan.io.spreadsheet``) holds the detail they should add up from. Lines are matched
by kind and name (spaces, quotes and brackets ignored; a close name is accepted with a note), from
the 부서 down to the deepest level the report prints. Amounts are compared in the report's unit: an
export in 원 is converted half-up per line, the way the report's author rounded it, so a difference
of one or two 천원 on a subtotal is a rounding note (XSRC002), anything more an error (XSRC001).

Each finding is located at the report line (file and line) with the export cell in ``related``.

| rule | severity | what |
|---|---|---|
| XSRC001 | error | an amount differs from the export |
| XSRC002 | info | differs by rounding only (±2 in the report's unit) |
| XSRC003 | warning | a report line has no counterpart in the export |
| XSRC004 | warning | an export line (부서, 정책사업, 단위사업) is missing from the report |
| XSRC005 | error | the fiscal years differ |
| XSRC006 | info | a table cannot be compared (missing on one side) |
| XSRC007 | info | matched by a similar, not identical, name |
| XSRC010 | error | a 세입 line differs from the export |
| XSRC020 | warning | the number of adjustment records of a kind differs |
| XSRC021 | error | the total amount of an adjustment kind differs |
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from gyeolsan.io.sheets.text import name_key
from gyeolsan.model import (
    BudgetLine,
    BudgetTable,
    Finding,
    Location,
    RevenueLine,
    Settlement,
    Severity,
    Source,
)
from gyeolsan.model.numbers import Unit, convert, format_number

TOLERANCE = 2
SIMILAR = 0.85
BUDGET_FIELDS = (("budget", "예산액"), ("budget_current", "예산현액"), ("spent", "집행액"))
SUMMARY_FIELDS = (*BUDGET_FIELDS, ("unused", "집행잔액"))
REVENUE_FIELDS = (
    ("budget", "예산액"),
    ("budget_current", "예산현액"),
    ("levied", "징수결정액"),
    ("received", "수납액"),
    ("uncollected", "미수납액"),
)
KIND_KO = {
    "division": "부서",
    "policy": "정책사업",
    "unit": "단위사업",
    "basic": "기본경비",
    "detail": "세부사업",
}


def _loc(src: Source, path: str, **coords: str | None) -> Location:
    return Location(path=src.path or path, line=src.line, sheet=src.sheet, cell=src.cell, **coords)  # type: ignore[arg-type]


def _similarity(a: str, b: str) -> float:
    ka, kb = name_key(a), name_key(b)
    if ka == kb:
        return 1.0
    ga = {ka[i : i + 2] for i in range(len(ka) - 1)}
    gb = {kb[i : i + 2] for i in range(len(kb) - 1)}
    if not ga or not gb:
        return 0.0
    return 2 * len(ga & gb) / (len(ga) + len(gb))


def _compatible(a: str, b: str) -> bool:
    same = {"total", "business", "basic_total", "division", "basic"}
    if a in same or b in same:
        return a == b
    return True  # 정책사업/단위사업/세부사업: a report may print a level the export names differently


def _match(
    report: Sequence[BudgetLine], export: Sequence[BudgetLine]
) -> list[tuple[BudgetLine, BudgetLine | None, float]]:
    """Pair each report line with an export line: exact name first, then the most similar one."""
    free = list(export)
    out: list[tuple[BudgetLine, BudgetLine | None, float]] = []
    pending = []
    for line in report:
        hit = next(
            (e for e in free if _compatible(line.kind, e.kind) and name_key(e.name) == name_key(line.name)),
            None,
        )
        if hit is None and line.kind in ("total", "business", "basic_total"):
            hit = next((e for e in free if e.kind == line.kind), None)
        if hit is not None:
            free.remove(hit)
            out.append((line, hit, 1.0))
        else:
            pending.append(line)
    for line in pending:
        scored = sorted(
            ((_similarity(line.name, e.name), e) for e in free if _compatible(line.kind, e.kind)),
            key=lambda x: -x[0],
        )
        if scored and scored[0][0] >= SIMILAR:
            free.remove(scored[0][1])
            out.append((line, scored[0][1], scored[0][0]))
        else:
            out.append((line, None, 0.0))
    return out


class _Comparer:
    def __init__(self, report: Settlement, export: Settlement) -> None:
        self.report, self.export = report, export
        self.path = report.meta.source_path or ""
        self.out: list[Finding] = []

    def add(
        self,
        rule: str,
        severity: Severity,
        ko: str,
        en: str,
        loc: Location,
        related: Iterable[Location] = (),
        **kw: str | None,
    ) -> None:
        self.out.append(
            Finding(
                rule=rule,
                severity=severity,
                message=ko,
                message_en=en,
                location=loc,
                related=tuple(related),
                **kw,
            )  # type: ignore[arg-type]
        )

    def value(self, line: BudgetLine | RevenueLine, field: str, from_unit: str, to_unit: str) -> int | None:
        v = getattr(line, field, None)
        if v is None:
            return None
        return v if from_unit == to_unit else convert(v, Unit(from_unit), Unit(to_unit))

    # -------------------------------------------------------------- budget tables

    def tables(
        self, rt: BudgetTable | None, et: BudgetTable | None, fields: tuple[tuple[str, str], ...], title: str
    ) -> None:
        if rt is None or et is None:
            if rt is not None:
                self.add(
                    "XSRC006",
                    Severity.INFO,
                    f"'{title}' 표를 대조할 수 없습니다: 엑셀 자료에 해당 표가 없습니다",
                    f"Cannot compare '{title}': the export has no such table",
                    _loc(rt.src, self.path, table=rt.title),
                )
            return
        self.lines(rt, et, rt.lines, et.lines, fields, top=True)

    def lines(
        self,
        rt: BudgetTable,
        et: BudgetTable,
        report: Sequence[BudgetLine],
        export: Sequence[BudgetLine],
        fields: tuple[tuple[str, str], ...],
        top: bool = False,
    ) -> None:
        pairs = _match(report, export)
        matched = {id(e) for _, e, _ in pairs if e is not None}
        for line, hit, score in pairs:
            where = _loc(line.src, self.path, table=rt.title, row=line.name)
            if hit is None:
                if line.kind not in ("business", "basic_total"):
                    self.add(
                        "XSRC003",
                        Severity.WARNING,
                        f"보고서의 {KIND_KO.get(line.kind, line.kind)} '{line.name}'이(가) 엑셀 자료에 없습니다",
                        f"Report line '{line.name}' ({line.kind}) has no counterpart in the export",
                        where,
                        hint="사업명이 바뀌었거나 다른 부서로 옮겨졌는지 확인하세요",
                    )
                continue
            related = [_loc(hit.src, self.export.meta.source_path or "", row=hit.name)]
            if score < 1.0:
                self.add(
                    "XSRC007",
                    Severity.INFO,
                    f"이름이 조금 다르지만 같은 사업으로 대조했습니다: 보고서 '{line.name}' ↔ 엑셀 '{hit.name}'",
                    f"Matched by a similar name: report '{line.name}' ~ export '{hit.name}'",
                    where,
                    related,
                )
            self.amounts(line, hit, rt.unit, et.unit, fields, where, related)
            if line.children:
                self.lines(rt, et, line.children, hit.children, fields)
        if top or report:
            self.missing_in_report(rt, [e for e in export if id(e) not in matched], report)

    def amounts(
        self,
        line: BudgetLine | RevenueLine,
        hit: BudgetLine | RevenueLine,
        r_unit: str,
        e_unit: str,
        fields: tuple[tuple[str, str], ...],
        where: Location,
        related: list[Location],
        rule: str = "XSRC001",
    ) -> None:
        for field, ko in fields:
            stated = getattr(line, field, None)
            expected = self.value(hit, field, e_unit, r_unit)
            if stated is None or expected is None or stated == expected:
                continue
            diff = stated - expected
            subtotal = bool(line.children) or line.kind in (
                "total",
                "business",
                "basic_total",
                "division",
                "category",
            )
            rounding = abs(diff) <= TOLERANCE and (subtotal or r_unit != e_unit)
            loc = where.model_copy(update={"field": ko})
            self.add(
                "XSRC002" if rounding else rule,
                Severity.INFO if rounding else Severity.ERROR,
                f"'{line.name}' {ko}: 보고서 {format_number(stated)}, 엑셀 자료 {format_number(expected)} (차이 {format_number(diff)})"
                + (" — 반올림 차이" if rounding else ""),
                f"'{line.name}' {field}: report {stated:,}, export {expected:,} (difference {diff:,})",
                loc,
                related,
                stated=str(stated),
                expected=str(expected),
                difference=str(diff),
                hint=None if rounding else "보고서 숫자를 엑셀 자료(e호조)와 맞추거나 차이를 설명하세요",
            )

    def missing_in_report(
        self, rt: BudgetTable, extra: list[BudgetLine], report: Sequence[BudgetLine]
    ) -> None:
        if not report:
            return
        depth_kinds = {ln.kind for ln in report}
        for e in extra:
            if e.kind not in depth_kinds or e.kind not in ("division", "policy", "unit", "basic"):
                continue
            self.add(
                "XSRC004",
                Severity.WARNING,
                f"엑셀 자료의 {KIND_KO.get(e.kind, e.kind)} '{e.name}'이(가) 보고서에 없습니다 (예산현액 {format_number(e.budget_current)})",
                f"Export line '{e.name}' ({e.kind}) is missing from the report",
                _loc(report[0].src, self.path, table=rt.title, row=e.name),
                [_loc(e.src, self.export.meta.source_path or "", row=e.name)],
            )

    # -------------------------------------------------------------- revenue

    def revenue(self) -> None:
        rr, er = self.report.revenue, self.export.revenue
        if rr is None or er is None:
            return
        flat = [x for root in er.lines for x in root.walk()]
        for line in rr.all_lines():
            hit = (
                next((e for e in flat if e.kind == line.kind == "total"), None)
                if line.kind == "total"
                else None
            )
            hit = hit or next(
                (e for e in flat if e.kind != "total" and name_key(e.name) == name_key(line.name)), None
            )
            if hit is None:
                hit = next(
                    (
                        e
                        for e in flat
                        if e.kind != "total"
                        and (
                            name_key(line.name) in name_key(e.name) or name_key(e.name) in name_key(line.name)
                        )
                    ),
                    None,
                )
            if hit is None:
                continue
            where = _loc(line.src, self.path, table=rr.title, row=line.name)
            related = [_loc(hit.src, self.export.meta.source_path or "", row=hit.name)]
            self.amounts(line, hit, rr.unit, er.unit, REVENUE_FIELDS, where, related, rule="XSRC010")

    # -------------------------------------------------------------- adjustments

    def adjustments(self) -> None:
        if self.report.expenditure is None or not self.export.adjustments:
            return
        unit_r = self.report.expenditure.summaries[0].unit if self.report.expenditure.summaries else "천원"
        for summary in self.report.expenditure.summaries:
            if summary.kind == "집행잔액":
                continue
            records = [a for a in self.export.adjustments if a.kind == summary.kind]
            count = 0 if summary.none else summary.count
            where = _loc(summary.src, self.path, section="IV", row=f"예산 {summary.kind}")
            related = [_loc(a.src, self.export.meta.source_path or "") for a in records[:5]]
            if count is not None and count != len(records):
                self.add(
                    "XSRC020",
                    Severity.WARNING,
                    f"예산 {summary.kind} 건수: 보고서 {count}건, 엑셀 대장 {len(records)}건",
                    f"{summary.kind} records: the report says {count}, the ledger holds {len(records)}",
                    where.model_copy(update={"field": "건수"}),
                    related,
                    stated=str(count),
                    expected=str(len(records)),
                    difference=str(count - len(records)),
                )
            amount = 0 if summary.none else summary.amount
            total = sum(convert(a.amount or 0, Unit(a.unit), Unit(summary.unit or unit_r)) for a in records)
            if amount is not None and amount != total:
                self.add(
                    "XSRC021",
                    Severity.ERROR,
                    f"예산 {summary.kind} 금액: 보고서 {format_number(amount)}, 엑셀 대장 합계 {format_number(total)}",
                    f"{summary.kind} amount: report {amount:,}, ledger total {total:,}",
                    where.model_copy(update={"field": "금액"}),
                    related,
                    stated=str(amount),
                    expected=str(total),
                    difference=str(amount - total),
                )


def compare_to_export(report: Settlement, export: Settlement) -> list[Finding]:
    """Findings (XSRC0xx) where ``report`` does not summarise ``export``; an empty list when it does."""
    c = _Comparer(report, export)
    if report.meta.fiscal_year != export.meta.fiscal_year:
        c.add(
            "XSRC005",
            Severity.ERROR,
            f"회계연도가 다릅니다: 보고서 {report.meta.fiscal_year}, 엑셀 자료 {export.meta.fiscal_year}",
            f"Fiscal years differ: report {report.meta.fiscal_year}, export {export.meta.fiscal_year}",
            _loc(report.meta.src, c.path),
            [Location(path=export.meta.source_path or "")],
        )
    c.tables(
        report.settlement,
        export.settlement,
        BUDGET_FIELDS,
        report.settlement.title if report.settlement else "결산표",
    )
    rs = report.expenditure.table if report.expenditure else None
    es = export.expenditure.table if export.expenditure else None
    if rs is not None:
        c.tables(rs, es, SUMMARY_FIELDS, rs.title)
    c.revenue()
    c.adjustments()
    return sorted(c.out, key=Finding.sort_key)
