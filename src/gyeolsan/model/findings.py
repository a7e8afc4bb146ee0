"""The finding — one shape everywhere (CLI, web, API, reports).

Its JSON form is fixed by ``shared/schemas/findings.schema.json`` (format ``gyeolsan.findings/1``).
Findings are data, never exceptions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from pydantic import Field

from gyeolsan.model.base import Model, Source

FINDINGS_FORMAT = "gyeolsan.findings/1"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label_ko(self) -> str:
        return {"error": "오류", "warning": "경고", "info": "참고"}[self.value]

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


class Location(Model):
    """Where a finding points: file and line, plus the report coordinates."""

    path: str
    line: int | None = None
    column: int | None = None
    sheet: str | None = None
    cell: str | None = None
    section: str | None = None
    table: str | None = None
    row: str | None = None
    field: str | None = None

    @classmethod
    def at(cls, src: Source | None, path: str = "", **coords: str | int | None) -> Location:
        """A location from a model object's ``Source`` plus report coordinates."""
        src = src or Source()
        return cls(
            path=src.path or path or "",
            line=src.line,
            sheet=src.sheet,
            cell=src.cell,
            **coords,  # type: ignore[arg-type]
        )


class Finding(Model):
    rule: str
    severity: Severity
    message: str
    message_en: str
    hint: str | None = None
    location: Location
    related: tuple[Location, ...] = ()
    stated: str | None = None
    expected: str | None = None
    difference: str | None = None

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.location.path, self.location.line or 0, self.severity.rank, self.rule)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class FindingsReport(Model):
    """The document printed by ``gyeolsan check --format json``."""

    format: str = Field(default=FINDINGS_FORMAT)
    source: str
    summary: dict[str, int]
    findings: tuple[Finding, ...]

    @classmethod
    def build(cls, source: str, findings: Iterable[Finding], rules_run: int) -> FindingsReport:
        ordered = tuple(sorted(findings, key=Finding.sort_key))
        counts = Counter(f.severity.value for f in ordered)
        summary = {s.value: counts.get(s.value, 0) for s in Severity}
        summary["rules_run"] = rules_run
        return cls(source=source, summary=summary, findings=ordered)


def count_errors(findings: Iterable[Finding]) -> int:
    return sum(1 for f in findings if f.severity is Severity.ERROR)
