"""Preamble and section I (일반현황): title, date, organisation, staffing, the two budget tables."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from gyeolsan.io.report_text.budget_tables import parse_budget_table, parse_change_table, parse_staffing_table
from gyeolsan.io.report_text.context import Context, parse_date
from gyeolsan.io.report_text.reader import Line
from gyeolsan.io.report_text.sentences import tag_figures
from gyeolsan.io.report_text.tables import split_table, squash
from gyeolsan.model import (
    BudgetTable,
    ChangeTable,
    DateText,
    Figure,
    Headline,
    Organization,
    OrgDivision,
    Reorganization,
    Severity,
    StaffingTable,
    Team,
)


@dataclass
class Preamble:
    title: str = ""
    fiscal_year: int | None = None
    report_date: DateText | None = None
    office: str | None = None
    line: Line | None = None


def parse_preamble(lines: Sequence[Line]) -> Preamble:
    pre = Preamble()
    for i, line in enumerate(lines):
        text = line.bare
        if not text or text == "---":
            continue
        m = re.search(r"((?:19|20)\d{2})\s*회계연도", text)
        if m and not pre.title:
            pre.title, pre.fiscal_year, pre.line = text, int(m.group(1)), line
            continue
        if pre.report_date is None and re.fullmatch(
            r"(?:19|20)\d{2}\s*\.\s*\d{1,2}\s*\.\s*\d{1,2}\s*\.?", text
        ):
            pre.report_date = parse_date(text)
            pre.office = _next_text(lines, i)
    return pre


def _next_text(lines: Sequence[Line], i: int) -> str | None:
    for line in lines[i + 1 :]:
        if line.bare:
            return squash(line.bare)
    return None


@dataclass
class _TeamDraft:
    name: str
    line: Line
    functions: list[str] = field(default_factory=list)


@dataclass
class _DivisionDraft:
    name: str
    line: Line
    teams: list[_TeamDraft] = field(default_factory=list)

    def build(self) -> OrgDivision:
        teams = tuple(Team(name=t.name, functions=tuple(t.functions), src=t.line.src()) for t in self.teams)
        return OrgDivision(name=self.name, teams=teams, src=self.line.src())


@dataclass
class GeneralSection:
    organization: Organization | None = None
    staffing: StaffingTable | None = None
    settlement: BudgetTable | None = None
    next_year: ChangeTable | None = None
    reorganizations: list[Reorganization] = field(default_factory=list)


_ORG = re.compile(r"^조\s*직")
_STAFF = re.compile(r"^인\s*력")
_FUNCTIONS = re.compile(r"주\s*요\s*기\s*능")


def parse_general(lines: Sequence[Line], ctx: Context, office: str | None) -> GeneralSection:
    out = GeneralSection()
    org_summary: Line | None = None
    affiliates: list[str] = []
    staff_line: Line | None = None
    as_of: DateText | None = None
    settlement_headline: Headline | None = None
    next_headline: Headline | None = None
    unit_texts: list[str] = []
    functions_mode = False
    current_div: _DivisionDraft | None = None
    current_team: _TeamDraft | None = None
    div_drafts: list[_DivisionDraft] = []
    known: set[str] = set()
    pending_notes: list[Line] = []
    next_notes: list[Line] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        text = line.bare
        if line.is_table:
            j = i
            while j < len(lines) and lines[j].is_table:
                j += 1
            table = split_table(lines[i:j])
            cols = "".join(table.columns)
            if "정원" in cols:
                out.staffing = parse_staffing_table(table, ctx)
                known |= {r.name for r in out.staffing.rows if not r.is_total}
            elif "증감" in cols or re.search(r"\d{4}년예산", cols):
                out.next_year = parse_change_table(
                    table,
                    ctx,
                    title=_title(next_headline, "다음연도 예산"),
                    unit_texts=unit_texts[-2:],
                    headline=next_headline,
                    known_divisions=known,
                    fiscal_year=ctx.fiscal_year,
                )
            elif "예산현액" in cols or "집행액" in cols:
                out.settlement = parse_budget_table(
                    table,
                    ctx,
                    key="settlement",
                    title=_title(settlement_headline, "결산"),
                    section=1,
                    unit_texts=unit_texts[-2:],
                    headline=settlement_headline,
                    known_divisions=known,
                )
                known |= {squash(d.name) for d in out.settlement.divisions}
            else:
                ctx.add(
                    "IMP011",
                    Severity.WARNING,
                    line,
                    "알 수 없는 표입니다 (머리행으로 종류를 판단하지 못함)",
                    "Unknown table (its header does not say what it is)",
                    section=1,
                )
            i = j
            continue
        i += 1
        if not text or text in {"---"}:
            continue
        if _ORG.match(text):
            org_summary = line
            functions_mode = False
        elif "출연기관" in text:
            affiliates = [a.strip() for a in re.split(r"[,，·ㆍ]", text.split(":", 1)[-1]) if a.strip()]
        elif _STAFF.match(text):
            staff_line = line
        elif "현재" in text and parse_date(text.replace(" ", "")):
            as_of = parse_date(text.replace(" ", ""))
        elif _FUNCTIONS.search(text) and line.heading_level:
            functions_mode = True
        elif re.search(r"년\s*결산", text) and ("현액" in text or "집행" in text):
            settlement_headline = Headline(text=text, figures=tag_figures(text), src=line.src())
            functions_mode = False
        elif re.search(r"년\s*예산", text) and "세출예산" in text:
            next_headline = Headline(text=text, figures=_relabel(tag_figures(text), "total"), src=line.src())
            functions_mode = False
        elif _UNIT_LINE.match(text):
            unit = _UNIT_LINE.match(text)
            assert unit is not None
            unit_texts.append(unit.group(0))
            rest = text[unit.end() :].strip()
            if rest.startswith("※"):
                (next_notes if next_headline else pending_notes).append(line)
        elif text.startswith("※") or line.text.startswith("※"):
            (next_notes if next_headline else pending_notes).append(line)
            out.reorganizations.extend(_reorganization(line))
        elif functions_mode and (line.heading_level or not line.text.startswith(("·", "-", "ㆍ"))):
            key = squash(text)
            is_div = line.heading_level and (
                key in known or line.heading_level <= 3 and not key.endswith("팀")
            )
            if is_div:
                current_div = _DivisionDraft(name=key, line=line)
                div_drafts.append(current_div)
                current_team = None
            elif current_div is not None:
                current_team = _TeamDraft(name=key, line=line)
                current_div.teams.append(current_team)
            else:
                ctx.unrecognised(line, 1, "주요기능")
        elif functions_mode and current_team is not None:
            current_team.functions.append(text)
        else:
            ctx.unrecognised(line, 1, "일반현황")

    divisions = [d.build() for d in div_drafts]
    if org_summary or divisions or affiliates:
        out.organization = _organization(org_summary, office, divisions, affiliates)
    if out.staffing is not None:
        quota = current = None
        if staff_line is not None:
            m = re.search(r"(\d[\d,]*)\s*명?\s*/\s*(\d[\d,]*)\s*명", staff_line.bare)
            if m:
                quota, current = int(m.group(1).replace(",", "")), int(m.group(2).replace(",", ""))
        out.staffing = out.staffing.model_copy(
            update={"as_of": as_of, "stated_quota": quota, "stated_current": current}
        )
    if out.next_year is not None and next_notes:
        notes = tuple(_note_text(n) for n in next_notes)
        out.next_year = out.next_year.model_copy(update={"notes": notes})
    if out.settlement is not None and out.reorganizations:
        out.settlement = _mark_abolished(out.settlement, out.reorganizations)
    if out.settlement is not None and pending_notes:
        notes = tuple(_note_text(n) for n in pending_notes)
        out.settlement = out.settlement.model_copy(update={"notes": notes})
    return out


_UNIT_LINE = re.compile(r"^\(?\s*(?:단위\s*[:：]?\s*)?(?:백만원|천원|억원|원)\s*\)")


def _note_text(line: Line) -> str:
    text = line.bare
    m = _UNIT_LINE.match(text)
    return (text[m.end() :] if m else text).strip().lstrip("※").strip()


def _mark_abolished(table: BudgetTable, reorgs: Sequence[Reorganization]) -> BudgetTable:
    gone = {r.division for r in reorgs if r.kind == "abolished" and r.division}
    lines = tuple(
        ln.model_copy(update={"abolished": True}) if ln.kind == "division" and squash(ln.name) in gone else ln
        for ln in table.lines
    )
    return table.model_copy(update={"lines": lines})


def _title(headline: Headline | None, default: str) -> str:
    if headline is None:
        return default
    m = re.match(r"^(['’]?\d{2,4}년\s*(?:결산|예산))", headline.text.replace("**", ""))
    return m.group(1) if m else default


def _relabel(figures: tuple[Figure, ...], key: str) -> tuple[Figure, ...]:
    return tuple(f.model_copy(update={"key": key}) if f.unit == "원" else f for f in figures)


def _organization(
    line: Line | None, office: str | None, divisions: list[OrgDivision], affiliates: list[str]
) -> Organization:
    summary = line.bare if line else None
    stated_div = stated_team = None
    if summary:
        summary = re.sub(r"^조\s*직\s*", "", summary).strip()
        m = re.search(r"(\d+)\s*(?:담당관|과)", summary)
        stated_div = int(m.group(1)) if m else None
        m = re.search(r"(\d+)\s*팀", summary)
        stated_team = int(m.group(1)) if m else None
    return Organization(
        office=office or "",
        summary=summary,
        stated_divisions=stated_div,
        stated_teams=stated_team,
        divisions=tuple(divisions),
        affiliates=tuple(affiliates),
        src=line.src() if line else Organization.model_fields["src"].default,
    )


def _reorganization(line: Line) -> list[Reorganization]:
    text = line.bare
    if "조직개편" not in text and "폐지" not in text and "신설" not in text:
        return []
    date = parse_date(text)
    m = re.search(r"(\S+?(?:담당관|과|관|국|본부|단))\s*(폐지|신설)", text)
    kind = {"폐지": "abolished", "신설": "created"}.get(m.group(2), "other") if m else "other"
    return [
        Reorganization(
            date=date,
            kind=kind,  # type: ignore[arg-type]
            division=squash(m.group(1)) if m else None,
            description=text,
            src=line.src(),
        )
    ]
