"""Tab-separated tables of the converted report: header rows, column mapping, numeric cells."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from gyeolsan.io.report_text.reader import Line
from gyeolsan.model import Finding, Location, Severity
from gyeolsan.model.numbers import NumberParseError, parse_amount, parse_rate

_NUMERIC = re.compile(r"^[△▲\-−–—(]?\s*[0-9][0-9,]*(\.[0-9]+)?\)?%?$|^[-–—]$")


def is_numeric_cell(text: str) -> bool:
    return bool(_NUMERIC.match(text.replace(" ", "")))


def squash(text: str) -> str:
    """Name key: no spaces, unified quotes — '시 민 소 통 담 당 관' == '시민소통담당관'."""
    t = re.sub(r"\s+", "", text)
    for a, b in (("「", "'"), ("」", "'"), ("‘", "'"), ("’", "'"), ("“", '"'), ("”", '"'), ("ㆍ", "·")):
        t = t.replace(a, b)
    return t.replace("'", "").replace('"', "")


@dataclass
class Table:
    """A run of tab-separated lines split into header rows and body rows."""

    lines: list[Line]
    header: list[Line] = field(default_factory=list)
    body: list[Line] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)  # squashed header text per column

    @property
    def first_line(self) -> int:
        return self.lines[0].no


def split_table(lines: Sequence[Line]) -> Table:
    """Header rows are the leading rows with no numeric cell after the first column."""
    table = Table(lines=list(lines))
    for i, line in enumerate(lines):
        cells = line.cells[1:]
        if any(is_numeric_cell(c) for c in cells if c):
            table.header, table.body = list(lines[:i]), list(lines[i:])
            break
    else:
        table.header, table.body = list(lines), []
    table.columns = header_columns(table.header)
    return table


def header_columns(header: Sequence[Line]) -> list[str]:
    """Concatenate multi-row header cells per column; upper rows are forward-filled (merged cells)."""
    width = max((len(h.cells) for h in header), default=0)
    columns = [""] * width
    for r, line in enumerate(header):
        cells = line.cells + [""] * (width - len(line.cells))
        last = ""
        for c, cell in enumerate(cells):
            value = cell
            if r < len(header) - 1 and c > 0:  # upper rows: merged cells continue to the right
                value = cell or last
                last = value
            columns[c] += squash(value)
    return columns


def map_columns(columns: Sequence[str], rules: Sequence[tuple[str, str]]) -> dict[int, str]:
    """Map column index → field by the first matching (keyword, field) rule; field may repeat once only."""
    out: dict[int, str] = {}
    used: set[str] = set()
    for idx, col in enumerate(columns):
        if idx == 0:
            continue
        for keyword, name in rules:
            if re.search(keyword, col) and name not in used:
                out[idx] = name
                used.add(name)
                break
    return out


def detect_unit(texts: Sequence[str], default: str = "천원") -> str:
    for t in texts:
        m = re.search(r"(백만원|천원|억원|원)\s*\)", t) or re.search(
            r"단위\s*[:：]?\s*(백만원|천원|억원|원)", t
        )
        if m:
            return m.group(1)
    return default


class CellReader:
    """Parses numeric cells of one row, turning problems into located findings."""

    def __init__(self, line: Line, table_name: str, section: str, findings: list[Finding]):
        self.line, self.table_name, self.section, self.findings = line, table_name, section, findings
        self.cells = line.cells

    def _problem(self, field_name: str, message: str, message_en: str, stated: str | None = None) -> None:
        self.findings.append(
            Finding(
                rule="IMP020",
                severity=Severity.ERROR,
                message=message,
                message_en=message_en,
                hint="표의 해당 칸을 숫자(예: 1,234 또는 △1,234) 또는 '-'로 고치십시오",
                location=Location(
                    path=self.line.path,
                    line=self.line.no,
                    section=self.section,
                    table=self.table_name,
                    row=self.cells[0] if self.cells else None,
                    field=field_name,
                ),
                stated=stated,
            )
        )

    def _cell(self, idx: int, field_name: str) -> str | None:
        if idx >= len(self.cells):
            self._problem(
                field_name,
                f"'{field_name}' 칸이 없습니다 (열 {idx + 1}개 필요, {len(self.cells)}개 있음)",
                f"Missing cell '{field_name}' (needs {idx + 1} columns, row has {len(self.cells)})",
            )
            return None
        return self.cells[idx]

    def _parse(self, idx: int, field_name: str, parse: Callable[[str], object]) -> object:
        text = self._cell(idx, field_name)
        if text is None:
            return None
        try:
            return parse(text)
        except NumberParseError:
            self._problem(
                field_name,
                f"'{field_name}' 칸이 숫자가 아닙니다: '{text}'",
                f"Cell '{field_name}' is not a number: '{text}'",
                stated=text,
            )
            return None

    def amount(self, idx: int, field_name: str) -> int | None:
        value = self._parse(idx, field_name, parse_amount)
        return value if isinstance(value, int) else None

    def rate(self, idx: int, field_name: str) -> Decimal | None:
        value = self._parse(idx, field_name, parse_rate)
        return value if isinstance(value, Decimal) else None
