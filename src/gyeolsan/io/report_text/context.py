"""Shared parsing state: the lines, the path and the import findings."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gyeolsan.io.report_text.reader import Line
from gyeolsan.model import DateText, Finding, Location, Severity

SECTION_NAMES = {
    1: "I. 일반현황",
    2: "II. 주요사업 추진실적",
    3: "III. 시정권고사항 조치결과",
    4: "IV. 세입·세출 결산",
}


@dataclass
class Context:
    path: str
    fiscal_year: int | None = None
    findings: list[Finding] = field(default_factory=list)

    def add(
        self,
        rule: str,
        severity: Severity,
        line: Line | None,
        message: str,
        message_en: str,
        *,
        section: int | None = None,
        hint: str | None = None,
        **coords: str | None,
    ) -> None:
        self.findings.append(
            Finding(
                rule=rule,
                severity=severity,
                message=message,
                message_en=message_en,
                hint=hint,
                location=Location(
                    path=self.path,
                    line=line.no if line else None,
                    section=SECTION_NAMES.get(section or 0),
                    **coords,  # type: ignore[arg-type]
                ),
            )
        )

    def unrecognised(self, line: Line, section: int, what: str) -> None:
        self.add(
            "IMP010",
            Severity.INFO,
            line,
            f"해석하지 못한 줄입니다 ({what}): '{line.text[:60]}'",
            f"Line not understood ({what}): '{line.text[:60]}'",
            section=section,
            hint="내용은 보존되지 않았습니다. 표준 양식의 제목·표 형식을 따르면 가져올 수 있습니다",
        )


# ----------------------------------------------------------------------------- dates

_FULL = re.compile(r"(?P<y>(?:19|20)\d{2})\s*\.\s*(?P<m>\d{1,2})\s*\.\s*(?:(?P<d>\d{1,2})\s*\.?)?")
_SHORT = re.compile(
    r"['’‘`]\s*(?P<y>\d{2})\s*[.년]\s*(?P<m>\d{1,2})(?:\s*\.\s*(?P<d>\d{1,2})(?!\d)\s*\.?|\s*월)?"
)
_MONTH_ONLY = re.compile(r"(?P<y>(?:19|20)\d{2})\s*년\s*(?P<m>\d{1,2})\s*월(?:\s*(?P<d>\d{1,2})\s*일)?")


def parse_date(text: str) -> DateText | None:
    """'2019. 6. 17.', "'18. 10월", "'18.4.28", "’15.11. 1", '2017. 4. 24.', '2019년 4월' → DateText."""
    for pattern, short in ((_FULL, False), (_MONTH_ONLY, False), (_SHORT, True)):
        m = pattern.search(text)
        if not m:
            continue
        year = int(m.group("y")) + (2000 if short else 0)
        month = int(m.group("m")) if m.group("m") else None
        day = int(m.group("d")) if m.groupdict().get("d") else None
        if month is not None and not 1 <= month <= 12:
            continue
        if day is not None and not 1 <= day <= 31:
            day = None
        return DateText(text=m.group(0).strip(), year=year, month=month, day=day)
    return None


def find_dates(text: str) -> list[DateText]:
    out: list[DateText] = []
    pos = 0
    while pos < len(text):
        d = parse_date(text[pos:])
        if d is None:
            break
        idx = text.find(d.text, pos)
        out.append(d)
        pos = idx + max(len(d.text), 1)
    return out
