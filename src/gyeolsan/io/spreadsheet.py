"""Import an e호조 export, a 지방재정365 download or a 지방재정연감 table (.xlsx, .xlsm, .csv, .json).

Entry point: :func:`import_spreadsheet` (wired in ``gyeolsan.io.load`` for .xlsx/.xlsm/.csv and non-canonical
.json). The file is read safely, each sheet is matched against the mapping profiles (or the one named with
``profile=``), and the tables found become one ``Settlement``: the settlement
table (세출 detail aggregated to 부서 → 정책사업 → 단위사업 → 세부사업 → 통계목), the 세입 section and
the adjustment records. Problems are findings located at the sheet and cell; a file with nothing
usable raises ``InputError`` (CLI exit code 2). Large CSV files take the streaming path (``bigcsv``).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl

from gyeolsan.io.errors import ImportResult, InputError
from gyeolsan.io.sheets import codes as codelists
from gyeolsan.io.sheets import frame as fr
from gyeolsan.io.sheets import header as hdr
from gyeolsan.io.sheets import longtable as lt
from gyeolsan.io.sheets import opendata, profiles, reader, wide
from gyeolsan.io.sheets.aggregate import DEPTHS, build_expenditure, build_revenue
from gyeolsan.io.sheets.profiles import CODE_SUFFIX, Profile
from gyeolsan.io.sheets.reader import Sheet
from gyeolsan.io.sheets.text import cell_ref
from gyeolsan.model import (
    Adjustment,
    BudgetTable,
    ExpenditureSection,
    Finding,
    Location,
    Meta,
    RevenueSection,
    Settlement,
    Severity,
)

DOC_SHEETS = re.compile(r"(?i)^(readme|설명|작성요령|작성\s*방법|안내|코드|목록|codes?)$")
DEPTH_ENV = "GYEOLSAN_DEPTH"


@dataclass
class Match:
    sheet: Sheet
    profile: Profile
    header: hdr.Header | None = None
    wide: wide.WideHeader | None = None
    explicit: bool = False


@dataclass
class Parts:
    """What the tables of one file contribute to the settlement."""

    settlement: BudgetTable | None = None
    summary: BudgetTable | None = None
    revenue: RevenueSection | None = None
    adjustments: list[Adjustment] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    governments: list[str] = field(default_factory=list)
    offices: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    prepared: list[lt.Prepared] = field(default_factory=list)
    wide_frames: list[tuple[Profile, pl.DataFrame]] = field(default_factory=list)


def import_spreadsheet(
    path: Path, display: str | None = None, profile: str | None = None, *, depth: str | None = None
) -> ImportResult:
    """Read ``path`` into a ``Settlement`` with findings; raise ``InputError`` when nothing is usable."""
    result, _ = import_with_tables(path, display, profile, depth=depth)
    return result


def import_with_tables(
    path: Path, display: str | None = None, profile: str | None = None, *, depth: str | None = None
) -> tuple[ImportResult, Parts]:
    """Like :func:`import_spreadsheet`, also returning the prepared tables (for DuckDB and compare)."""
    name = display or str(path)
    candidates = profiles.resolve(profile)
    depth = depth or os.environ.get(DEPTH_ENV) or "auto"
    if depth != "auto" and depth not in DEPTHS:
        allowed = ", ".join(["auto", *DEPTHS])
        raise InputError.single(
            "IMP192",
            f"결산표 깊이 '{depth}'은(는) 없습니다 (사용 가능: {allowed})",
            f"Unknown table depth '{depth}' (available: {allowed})",
            name,
        )
    if not path.exists():
        raise InputError.single("IMP001", "파일이 없습니다", "File not found", name)
    suffix = path.suffix.lower()
    if suffix == ".json":
        sheets, source_kind = [opendata.read_json(path, name)], "json"
    else:
        kind = reader.sniff(path, name)
        if kind != "xlsx":
            from gyeolsan.io.sheets import csvfile

            return csvfile.import_csv(path, name, candidates, explicit=bool(profile), depth=depth)  # type: ignore[no-any-return]
        sheets, source_kind = reader.read_xlsx(path, name), "xlsx"
    matches, skipped = match_sheets(sheets, candidates, name, explicit=bool(profile))
    parts = Parts(findings=skipped)
    for m in matches:
        read_match(m, name, source_kind, parts, depth=depth, file_name=path.name)
    return assemble(parts, name, path.name), parts


# ------------------------------------------------------------------------------ matching


def match_sheets(
    sheets: list[Sheet], candidates: tuple[Profile, ...], display: str, *, explicit: bool
) -> tuple[list[Match], list[Finding]]:
    """The best profile for each sheet; an InputError (with the nearest miss) when no sheet matches."""
    matches: list[Match] = []
    misses: list[tuple[int, Sheet, Profile, hdr.Header | None]] = []
    info: list[Finding] = []
    for sheet in sheets:
        best: tuple[tuple[int, int, int], Match] | None = None
        for prof in candidates:
            if prof.sheets_only and not prof.prefers_sheet(sheet.name):
                continue
            if prof.kind == "wide":
                wh = wide.find_wide_header(sheet, prof)
                if wh is None:
                    continue
                rank = (wh.score + _bonus(prof, sheet), prof.priority, 0)
                cand = Match(sheet, prof, wide=wh, explicit=explicit)
            else:
                h = hdr.find_header(sheet, prof)
                if h is None:
                    continue
                if not h.ok:
                    misses.append((h.score, sheet, prof, h))
                    continue
                rank = (h.score + _bonus(prof, sheet), prof.priority, 0)
                cand = Match(sheet, prof, header=h, explicit=explicit)
            if best is None or rank > best[0]:
                best = (rank, cand)
        if best is not None:
            matches.append(best[1])
        elif sheet.name and not DOC_SHEETS.match(sheet.name.strip()) and sheet.rows:
            info.append(
                Finding(
                    rule="IMP134",
                    severity=Severity.INFO,
                    message=f"시트 '{sheet.name}'에서 알아볼 수 있는 표를 찾지 못해 건너뛰었습니다",
                    message_en=f"Sheet '{sheet.name}' holds no recognisable table; skipped",
                    location=Location(path=display, sheet=sheet.name),
                )
            )
    if not matches:
        raise InputError(_no_table(sheets, misses, candidates, display, explicit))
    kinds_seen: dict[str, Match] = {}
    kept: list[Match] = []
    for m in matches:
        if m.profile.kind in kinds_seen and m.profile.kind != "adjustments":
            first = kinds_seen[m.profile.kind]
            info.append(
                Finding(
                    rule="IMP136",
                    severity=Severity.WARNING,
                    message=(
                        f"같은 종류의 표({m.profile.title})가 시트 '{first.sheet.name}'와 '{m.sheet.name}'에 있습니다: "
                        f"'{first.sheet.name}'만 읽었습니다"
                    ),
                    message_en=f"Two sheets hold the same kind of table; only '{first.sheet.name}' was read",
                    hint="한 파일에 같은 종류의 표는 한 시트에만 두거나, 시트를 나누어 가져오세요",
                    location=Location(path=display, sheet=m.sheet.name),
                )
            )
            continue
        kinds_seen[m.profile.kind] = m
        kept.append(m)
    return kept, info


def _bonus(prof: Profile, sheet: Sheet) -> int:
    """A profile made for this very sheet name wins; a preferred sheet name helps."""
    if not prof.prefers_sheet(sheet.name):
        return 0
    return 100 if prof.sheets_only else 5


def _no_table(
    sheets: list[Sheet],
    misses: list[tuple[int, Sheet, Profile, hdr.Header | None]],
    candidates: tuple[Profile, ...],
    display: str,
    explicit: bool,
) -> list[Finding]:
    if not any(s.rows for s in sheets):
        return [
            Finding(
                rule="IMP135",
                severity=Severity.ERROR,
                message="파일에 자료가 없습니다 (빈 시트)",
                message_en="The file holds no data (empty sheets)",
                location=Location(path=display),
            )
        ]
    if misses:
        score, sheet, prof, h = max(misses, key=lambda x: (x[0], x[2].priority))
        assert h is not None
        missing = [" 또는 ".join(lt.FIELD_KO.get(f, f) for f in group.split("|")) for group in h.missing]
        return [
            Finding(
                rule="IMP131",
                severity=Severity.ERROR,
                message=(
                    f"필수 열이 없습니다: {', '.join(missing)} "
                    f"('{prof.title}' 프로필, 시트 '{sheet.name or '-'}' {sheet.row_number(h.start)}행 머리행 기준)"
                ),
                message_en=f"Required column(s) missing: {', '.join(h.missing)} (profile {prof.name})",
                hint="머리행의 열 이름을 확인하거나, 열 이름을 적은 프로필을 --profile로 지정하세요 (docs/importers.md)",
                location=Location(
                    path=display,
                    sheet=sheet.name,
                    line=sheet.row_number(h.start) if sheet.name is None else None,
                    cell=cell_ref(0, sheet.row_number(h.start)),
                ),
            )
        ]
    names = ", ".join(p.name for p in candidates)
    where = ", ".join(f"'{s.name}'" for s in sheets if s.name) or "CSV"
    return [
        Finding(
            rule="IMP130",
            severity=Severity.ERROR,
            message=(
                f"표의 머리행을 찾지 못했습니다 (시트 {where}; 확인한 프로필: {names}). "
                "시트를 잘못 골랐거나 머리행이 없습니다"
            ),
            message_en=f"No table header found (sheets {where}; profiles tried: {names}): wrong sheet or missing header",
            hint="예산액·지출액 같은 열 이름이 있는 머리행이 필요합니다. `gyeolsan template`로 양식을 받을 수 있습니다",
            location=Location(path=display, sheet=sheets[0].name if sheets else None),
        )
    ]


# ------------------------------------------------------------------------------ reading one table


def _year_from(texts: list[str | None]) -> int | None:
    from gyeolsan.io.sheets.text import year_in

    for t in texts:
        if t:
            y = year_in(t) or (int(t) if re.fullmatch(r"(19|20)\d\d", t.strip()) else None)
            if y:
                return y
    return None


def raw_table(m: Match, display: str, source_kind: str, file_name: str) -> lt.RawTable:
    assert m.header is not None
    sheet, h, prof = m.sheet, m.header, m.profile
    pre = hdr.read_preamble(sheet, h.start)
    rows = fr.data_rows(sheet, h)
    frame = fr.frame_from_rows(rows, h, list(h.columns))
    col_units = {f: h.units[c] for f, c in h.columns.items() if c in h.units}
    raw = lt.RawTable(
        profile=prof,
        path=display,
        sheet=sheet.name,
        frame=frame.lazy(),
        columns=dict(h.columns),
        col_units=col_units,
        title=pre.title,
        office=pre.office,
        header_rows=(sheet.row_number(h.start), sheet.row_number(h.end)),
        source_kind=source_kind,
    )
    raw.unit, raw.unit_note = _table_unit(pre.unit, col_units, prof)
    if "year" in h.columns:
        years = sorted(
            {int(y) for y in frame["year"].drop_nulls().str.extract(r"((?:19|20)\d\d)").drop_nulls()}
        )
        if len(years) > 1:
            raw.findings.append(mixed_years(raw, years))
        raw.year = years[-1] if years else None
    raw.year = raw.year or pre.year or _year_from([file_name])
    if not rows:
        raw.findings.append(
            Finding(
                rule="IMP135",
                severity=Severity.ERROR,
                message="머리행 아래에 자료 행이 없습니다",
                message_en="No data rows below the header",
                location=raw.location(sheet.row_number(h.end)),
            )
        )
    return raw


def mixed_years(raw: lt.RawTable, years: list[int]) -> Finding:
    """IMP143: the rows of one table carry several fiscal years (located under the header, 회계연도 column)."""
    return Finding(
        rule="IMP143",
        severity=Severity.ERROR,
        message=f"여러 회계연도의 자료가 섞여 있습니다: {', '.join(map(str, years))}",
        message_en=f"Rows of several fiscal years are mixed: {', '.join(map(str, years))}",
        hint="회계연도별로 나누어 가져오세요",
        location=raw.location(raw.header_rows[1] + 1, "year"),
    )


def _table_unit(
    line_unit: str | None, col_units: dict[str, str], prof: Profile
) -> tuple[str | None, str | None]:
    if line_unit:
        return line_unit, None
    if col_units:
        units = sorted(set(col_units.values()))
        return units[0], f"열 이름의 단위({', '.join(units)})"
    if prof.unit:
        return prof.unit, f"'{prof.title}' 프로필의 기본 단위"
    return None, None


def _unit_findings(raw: lt.RawTable) -> list[Finding]:
    if raw.unit is None:
        return [
            Finding(
                rule="IMP140",
                severity=Severity.ERROR,
                message="금액의 단위를 알 수 없습니다: '(단위: 천원)' 같은 줄이나 열 이름의 단위가 없습니다",
                message_en="Unknown money unit: no '(단위: 천원)' line and no unit in the column labels",
                hint="표 위에 '(단위: 원)' 또는 '(단위: 천원)' 줄을 넣거나, 단위를 정한 프로필을 쓰세요",
                location=raw.location(raw.header_rows[0]),
            )
        ]
    if raw.unit_note and "프로필" in raw.unit_note:
        return [
            Finding(
                rule="IMP142",
                severity=Severity.INFO,
                message=f"파일에 단위 표시가 없어 {raw.unit_note}({raw.unit})를 썼습니다",
                message_en=f"No unit printed in the file; used the profile's unit ({raw.unit})",
                location=raw.location(raw.header_rows[0]),
            )
        ]
    return []


def _formula_findings(m: Match, display: str) -> list[Finding]:
    cells = m.sheet.formulas_without_value
    if not cells:
        return []
    shown = ", ".join(cells[:10]) + (f" 외 {len(cells) - 10}개" if len(cells) > 10 else "")
    return [
        Finding(
            rule="IMP145",
            severity=Severity.ERROR,
            message=f"수식 셀에 계산된 값이 저장되어 있지 않습니다 ({len(cells)}개: {shown})",
            message_en=f"Formula cells have no cached value ({len(cells)}: {shown}); open and save the file in Excel or LibreOffice",
            hint="엑셀(또는 LibreOffice)에서 파일을 열어 다시 저장하면 값이 함께 저장됩니다",
            location=Location(path=display, sheet=m.sheet.name, cell=cells[0]),
        )
    ]


def _profile_note(m: Match, raw_unit: str | None, display: str, source_kind: str = "xlsx") -> Finding:
    how = "지정" if m.explicit else "자동 선택"
    how_en = "as requested" if m.explicit else "auto-detected"
    if source_kind == "json":
        rows = f"JSON 레코드 {len(m.sheet.rows) - 1:,}건"
        first = 1
    elif m.header is not None:
        rows = f"머리행 {m.sheet.row_number(m.header.start)}–{m.sheet.row_number(m.header.end)}행"
        first = m.sheet.row_number(m.header.start)
    else:
        assert m.wide is not None
        rows = f"머리행 {m.sheet.row_number(m.wide.start)}–{m.sheet.row_number(m.wide.end)}행"
        first = m.sheet.row_number(m.wide.start)
    where = f"시트 '{m.sheet.name}'" if m.sheet.name else "파일"
    return Finding(
        rule="IMP132",
        severity=Severity.INFO,
        message=f"'{m.profile.title}' 프로필({m.profile.name}, {how})로 읽었습니다 — {where}, {rows}, 단위 {raw_unit or '?'}",
        message_en=f"Read {m.sheet.name or 'the file'} with profile {m.profile.name} ({how_en}); unit {raw_unit or '?'}",
        location=Location(
            path=display,
            sheet=m.sheet.name,
            line=first if source_kind == "csv" else None,
            cell=None if source_kind == "json" else cell_ref(0, first),
        ),
    )


def read_match(m: Match, display: str, source_kind: str, parts: Parts, *, depth: str, file_name: str) -> None:
    parts.findings.extend(_formula_findings(m, display))
    if m.profile.kind == "wide":
        _read_wide(m, display, parts, file_name)
        return
    raw = raw_table(m, display, source_kind, file_name)
    parts.findings.append(_profile_note(m, raw.unit, display, source_kind))
    parts.findings.extend(raw.findings)
    parts.findings.extend(_unit_findings(raw))
    if raw.unit is None:
        return
    if raw.title:
        parts.titles.append(raw.title)
    if raw.office:
        parts.offices.append(raw.office)
    if raw.year:
        parts.years.append(raw.year)
    if m.profile.kind == "adjustments":
        from gyeolsan.io.sheets.adjustments import build_adjustments

        records, found = build_adjustments(raw, raw.unit)
        parts.adjustments.extend(records)
        parts.findings.extend(found)
        return
    p = lt.prepare(raw)
    lt.materialise(p)  # a workbook is in memory anyway: prepare once, query many times
    parts.prepared.append(p)
    parts.findings.extend(p.findings)
    run_checks(p, parts.findings)
    parts.governments.extend(lt.distinct_values(p, "government", 3))
    parts.offices.extend(lt.distinct_values(p, "office", 3))
    if m.profile.kind == "expenditure":
        chosen = choose_depth(p, depth, parts.findings)
        settlement, summary, governments = build_expenditure(p, depth=chosen)
        parts.settlement, parts.summary = settlement, summary
        if governments > 1:
            parts.findings.append(_governments_note(raw, governments))
    else:
        parts.revenue = build_revenue(p)


AUTO_DETAIL_ROWS = 20_000  # above this many detail rows the settlement table stops at 단위사업


def choose_depth(p: lt.Prepared, depth: str, findings: list[Finding]) -> str:
    """The level the settlement table goes down to: as asked, or (``auto``) 통계목 for a department's
    export and 단위사업 for a national file, where 통계목 lines would be an unreadable table of
    hundreds of thousands of lines (the detail stays in DuckDB)."""
    if depth != "auto":
        return depth
    rows = p.raw.collect(p.details.select(pl.len())).item()
    if rows <= AUTO_DETAIL_ROWS:
        return "item"
    findings.append(
        Finding(
            rule="IMP138",
            severity=Severity.INFO,
            message=(
                f"상세 행이 {rows:,}개라 결산표를 단위사업 수준까지만 만들었습니다 "
                "(세부사업·통계목은 DuckDB로: gyeolsan opendata duckdb, 또는 --depth item)"
            ),
            message_en=f"{rows:,} detail rows: the settlement table stops at 단위사업 (details via DuckDB, or depth=item)",
            location=Location(path=p.raw.path),
        )
    )
    return "unit"


def _governments_note(raw: lt.RawTable, governments: int) -> Finding:
    return Finding(
        rule="IMP160",
        severity=Severity.INFO,
        message=f"자치단체 {governments}곳의 자료입니다: 부서 이름 앞에 자치단체명을 붙였습니다",
        message_en=f"Rows of {governments} local governments: division names are prefixed with the government",
        location=raw.location(raw.header_rows[1]),
    )


def run_checks(p: lt.Prepared, out: list[Finding]) -> None:
    out.extend(lt.check_padding(p))
    out.extend(lt.check_cells(p))

    def first_present(*keys: str) -> list[str]:
        return [k for k in keys if k in p.keys][:1]

    required = first_present("department", "government")
    if p.raw.profile.kind == "expenditure":
        required += first_present("detail", "unit", "policy")
    out.extend(lt.check_keys(p, required))
    out.extend(lt.check_duplicates(p))
    out.extend(lt.check_identities(p))
    out.extend(lt.check_subtotals(p))
    year = p.raw.year
    kinds = (
        [("item", "item"), ("field", "function"), ("sector", "function")]
        if p.raw.profile.kind == "expenditure"
        else [("item", "revenue"), ("subsection", "revenue"), ("section", "revenue"), ("chapter", "revenue")]
    )
    by_kind: dict[str, list[codelists.CodeUse]] = {}
    for base, kind in kinds:
        for code, name, first, count in lt.code_uses(p, base):
            use = codelists.CodeUse(code, name, p.raw.location(first, base + CODE_SUFFIX, name), count)
            by_kind.setdefault(kind, []).append(use)
    for kind, uses in by_kind.items():
        out.extend(codelists.check_codes(kind, year, uses, p.raw.path))


def _read_wide(m: Match, display: str, parts: Parts, file_name: str) -> None:
    assert m.wide is not None
    sheet, wh, prof = m.sheet, m.wide, m.profile
    title, unit, year = wide.preamble_title(sheet, wh)
    note = None
    if unit is None and prof.unit:
        unit, note = prof.unit, prof.unit
    parts.findings.append(_profile_note(m, unit, display))
    if unit is None:
        parts.findings.append(
            Finding(
                rule="IMP140",
                severity=Severity.ERROR,
                message="금액의 단위를 알 수 없습니다 (단위 줄도, 프로필의 기본 단위도 없음)",
                message_en="Unknown money unit (no unit line, no profile default)",
                location=Location(path=display, sheet=sheet.name),
            )
        )
        return
    if note:
        parts.findings.append(
            Finding(
                rule="IMP142",
                severity=Severity.INFO,
                message=f"파일에 단위 표시가 없어 '{prof.title}' 프로필의 기본 단위({unit})를 썼습니다 (연감 표는 천원)",
                message_en=f"No unit printed; used the profile's unit ({unit})",
                location=Location(path=display, sheet=sheet.name),
            )
        )
    year = year or _year_from([title, file_name])
    if year:
        parts.years.append(year)
    rows, found = wide.read_wide(sheet, wh, prof, display)
    parts.findings.extend(found)
    parts.findings.extend(wide.check_wide(sheet, wh, rows, prof, display))
    kind = prof.codes or "item"
    parts.findings.extend(codelists.check_codes(kind, year, wide.code_uses(wh, sheet, display), display))
    model_unit = unit if unit in ("원", "천원", "백만원", "억원") else "원"
    label = title or prof.title
    parts.titles.append(label)
    if kind == "revenue":
        parts.revenue = wide.build_wide_revenue(sheet, wh, rows, prof, display, model_unit)
    else:
        parts.settlement = wide.build_wide_budget(sheet, wh, rows, prof, display, model_unit, label)
    parts.wide_frames.append((prof, wide.long_records(wh, rows)))


# ------------------------------------------------------------------------------ the settlement


def assemble(parts: Parts, display: str, file_name: str) -> ImportResult:
    findings = parts.findings
    if not (parts.settlement or parts.revenue or parts.adjustments):
        fatal = [f for f in findings if f.severity is Severity.ERROR]
        raise InputError(
            fatal
            or [
                Finding(
                    rule="IMP135",
                    severity=Severity.ERROR,
                    message="읽을 수 있는 자료가 없습니다",
                    message_en="Nothing usable could be read",
                    location=Location(path=display),
                )
            ]
        )
    years = sorted(set(parts.years))
    year = years[-1] if years else _year_from([file_name])
    if year is None:
        year = date.today().year - 1
        findings.append(
            Finding(
                rule="IMP143",
                severity=Severity.WARNING,
                message=f"회계연도를 찾지 못해 {year}년으로 두었습니다 (제목 줄이나 '회계연도' 열이 없음)",
                message_en=f"No fiscal year found in the file; assumed {year}",
                hint="제목에 '2018회계연도'를 적거나 '회계연도' 열을 넣으세요",
                location=Location(path=display),
            )
        )
    elif len(years) > 1:
        findings.append(
            Finding(
                rule="IMP143",
                severity=Severity.WARNING,
                message=f"표마다 회계연도가 다릅니다: {', '.join(map(str, years))}",
                message_en=f"Tables state different fiscal years: {', '.join(map(str, years))}",
                location=Location(path=display),
            )
        )
    governments = sorted(set(parts.governments))
    offices = sorted(set(parts.offices))
    title = parts.titles[0] if parts.titles else f"{year} 회계연도 세입·세출 결산"
    meta = Meta(
        title=title,
        government=governments[0] if len(governments) == 1 else None,
        office=offices[0] if len(offices) == 1 else None,
        fiscal_year=year,
        source_path=display,
    )
    expenditure = None
    if parts.summary is not None or parts.adjustments:
        expenditure = ExpenditureSection(table=parts.summary, adjustments=tuple(parts.adjustments))
    settlement = Settlement(
        meta=meta,
        settlement=parts.settlement,
        revenue=parts.revenue,
        expenditure=expenditure,
    )
    return ImportResult(settlement=settlement, findings=findings)
