"""The importer contract: a result with findings, or an ``InputError`` when nothing usable could be read."""

from __future__ import annotations

from dataclasses import dataclass, field

from gyeolsan.model import Finding, Location, Settlement, Severity


class InputError(Exception):
    """The input cannot be read at all (CLI exit code 2). Carries located findings."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        super().__init__("; ".join(f.message for f in findings))

    @classmethod
    def single(
        cls,
        rule: str,
        message: str,
        message_en: str,
        path: str,
        line: int | None = None,
        **coords: str | None,
    ) -> InputError:
        loc = Location(path=path, line=line, **coords)  # type: ignore[arg-type]
        return cls(
            [
                Finding(
                    rule=rule, severity=Severity.ERROR, message=message, message_en=message_en, location=loc
                )
            ]
        )


@dataclass
class ImportResult:
    settlement: Settlement
    findings: list[Finding] = field(default_factory=list)

    @property
    def fatal(self) -> list[Finding]:
        """Error-severity import findings: the input is malformed and must not be written."""
        return [f for f in self.findings if f.severity is Severity.ERROR]
