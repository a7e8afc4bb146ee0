"""What a rule function receives: the settlement, the config, and a helper to build findings."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from gyeolsan.model import Finding, Location, Settlement, Severity, Source
from gyeolsan.rules.catalogue import REGISTRY
from gyeolsan.rules.config import DEFAULT, RuleConfig

T = TypeVar("T")


@dataclass(frozen=True)
class RuleContext:
    settlement: Settlement
    config: RuleConfig = DEFAULT
    path: str = ""  # fallback path when a model object has no source
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def cached(self, key: str, compute: Callable[[], T]) -> T:
        """Compute a derived view of the settlement once per run (indexes shared by several rules)."""
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]  # type: ignore[no-any-return]

    def finding(
        self,
        rule_id: str,
        src: Source | None,
        message: str,
        message_en: str,
        *,
        severity: Severity | None = None,
        stated: object = None,
        expected: object = None,
        difference: object = None,
        related: tuple[Source | None, ...] = (),
        hint: str | None = None,
        section: str | None = None,
        table: str | None = None,
        row: str | None = None,
        field: str | None = None,
    ) -> Finding:
        """Build a finding of rule ``rule_id`` located at ``src`` (the place most likely wrong)."""
        rule = REGISTRY[rule_id]
        path = self.path or self.settlement.meta.source_path or ""
        return Finding(
            rule=rule_id,
            severity=severity or rule.severity,
            message=message,
            message_en=message_en,
            hint=hint or rule.hint,
            location=Location.at(src, path, section=section, table=table, row=row, field=field),
            related=_unique(Location.at(r, path) for r in related if r is not None and r.line is not None),
            stated=None if stated is None else str(stated),
            expected=None if expected is None else str(expected),
            difference=None if difference is None else str(difference),
        )


def _unique(locations: Iterable[Location]) -> tuple[Location, ...]:
    """Related places in order, each once."""
    out: list[Location] = []
    for loc in locations:
        if loc not in out:
            out.append(loc)
    return tuple(out)
