"""Importer for the 결산 업무보고 as text (HWP converted to markdown-like text with tab tables).

``import_report_text(path)`` returns an ``ImportResult``: the model plus located import findings.
It raises ``InputError`` only when nothing usable can be read (empty, binary, unknown encoding).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from gyeolsan.io.errors import ImportResult, InputError
from gyeolsan.io.report_text.accounts import Names, parse_expenditure, parse_revenue, split_accounts
from gyeolsan.io.report_text.audits import parse_audits
from gyeolsan.io.report_text.cards import parse_cards
from gyeolsan.io.report_text.context import SECTION_NAMES, Context
from gyeolsan.io.report_text.general import parse_general, parse_preamble
from gyeolsan.io.report_text.linking import link_cards, link_transfers
from gyeolsan.io.report_text.reader import Line, read_lines
from gyeolsan.io.report_text.tables import squash
from gyeolsan.model import Meta, Settlement, Severity

__all__ = ["import_report_text", "parse_lines"]

_ROMAN = {"Ⅰ": 1, "I": 1, "Ⅱ": 2, "II": 2, "Ⅲ": 3, "III": 3, "Ⅳ": 4, "IV": 4}
_SECTION = re.compile(r"^(Ⅰ|Ⅱ|Ⅲ|Ⅳ|IV|III|II|I)\s*\.\s*(\S.*)$|^(Ⅰ|Ⅱ|Ⅲ|Ⅳ)\s+(\S.*)$")
_KEYWORDS = ((1, "일반현황"), (2, "주요사업"), (3, "권고사항"), (4, "결산현황"), (4, "세입·세출결산"))


def import_report_text(path: Path, display: str | None = None) -> ImportResult:
    lines, findings = read_lines(path, display)
    result = parse_lines(lines, display or str(path))
    result.findings[:0] = findings
    return result


def section_of(line: Line, *, by_keyword: bool) -> int | None:
    text = line.bare
    m = _SECTION.match(text)
    if m:
        return _ROMAN[m.group(1) or m.group(3)]
    if by_keyword and line.heading_level and "업무보고" not in text:
        key = squash(text)
        for number, word in _KEYWORDS:
            if word in key and len(key) < 40:
                return number
    return None


def split_sections(lines: Sequence[Line]) -> dict[int, list[Line]]:
    """Split at the I–IV headings (Roman numerals; headings by keyword when numerals are missing)."""
    numbered = sum(1 for ln in lines if section_of(ln, by_keyword=False))
    by_keyword = numbered < 2
    parts: dict[int, list[Line]] = {0: []}
    current = 0
    for line in lines:
        number = section_of(line, by_keyword=by_keyword)
        if number is not None and number not in parts and number > current:
            current = number
            parts[current] = [line]
            continue
        parts[current].append(line)
    return parts


def parse_lines(lines: Sequence[Line], path: str) -> ImportResult:
    ctx = Context(path=path)
    parts = split_sections(lines)
    pre = parse_preamble(parts.get(0, []))
    if pre.fiscal_year is None:
        raise InputError.single(
            "IMP003",
            "결산 업무보고로 보이지 않습니다: 'YYYY 회계연도' 제목을 찾지 못했습니다",
            "Does not look like a settlement report: no 'YYYY 회계연도' title found",
            path,
            1,
        )
    ctx.fiscal_year = pre.fiscal_year
    for number in (1, 2, 3, 4):
        if number not in parts:
            ctx.add(
                "IMP040",
                Severity.WARNING,
                None,
                f"'{SECTION_NAMES[number]}' 장이 없습니다",
                f"Section '{SECTION_NAMES[number]}' is missing",
                section=number,
                hint="빠진 장이 의도된 것인지 확인하십시오",
            )
    general = parse_general(parts.get(1, [])[1:], ctx, pre.office)
    groups, cards = parse_cards(parts.get(2, [])[1:], ctx)
    cards = link_cards(cards, groups, general.settlement)
    audit_title, audits = parse_audits(parts.get(3, [])[1:], ctx)
    revenue_lines, expenditure_lines = split_accounts(parts.get(4, [])[1:])
    revenue = parse_revenue(revenue_lines, ctx)
    names = _names(general)
    expenditure, reorgs = parse_expenditure(expenditure_lines, ctx, names)
    if expenditure is not None:
        adjustments = link_transfers(expenditure.adjustments, audits, names.programs)
        expenditure = expenditure.model_copy(update={"adjustments": tuple(adjustments)})
    first = lines[0] if lines else None
    meta = Meta(
        title=pre.title,
        government=_government(lines),
        office=pre.office,
        fiscal_year=pre.fiscal_year,
        report_date=pre.report_date,
        source_path=path,
        src=pre.line.src() if pre.line else (first.src() if first else Meta.model_fields["src"].default),
    )
    settlement = Settlement(
        meta=meta,
        organization=general.organization,
        staffing=general.staffing,
        settlement=general.settlement,
        next_year=general.next_year,
        card_groups=tuple(groups),
        cards=tuple(cards),
        audits=tuple(audits),
        audit_title=audit_title,
        revenue=revenue,
        expenditure=expenditure,
        reorganizations=tuple(general.reorganizations + reorgs),
    )
    return ImportResult(settlement=settlement, findings=ctx.findings)


def _names(general) -> Names:  # type: ignore[no-untyped-def]
    programs: list[str] = []
    divisions: list[str] = []
    owner: dict[str, str] = {}
    for table in (general.settlement, general.next_year):
        if table is None:
            continue
        for division in table.divisions:
            divisions.append(squash(division.name))
            for line in division.walk()[1:]:
                if line.kind in ("unit", "policy", "detail"):
                    programs.append(line.name)
                    owner.setdefault(squash(line.name), squash(division.name))
    if general.organization:
        divisions += [d.name for d in general.organization.divisions]
    return Names(programs=programs, divisions=sorted(set(divisions)), program_division=owner)


def _government(lines: Sequence[Line]) -> str | None:
    for line in lines:
        m = re.search(r"(\S{2,}?(?:특별시|광역시|특별자치시|특별자치도))", line.text)
        if m:
            return m.group(1).lstrip("「『'‘")
    return None
