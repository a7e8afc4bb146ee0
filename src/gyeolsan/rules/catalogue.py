"""The rule catalogue: every rule has a stable id, a category, a severity, Korean/English text and a hint.

Rules are plain functions ``(ctx: RuleContext) -> Iterable[Finding]`` registered with ``@rule(...)``
(like Django's system checks). Ids are grouped by prefix: SUM (subtotals), RATE (rates), ROUND
(rounding), XREF (cross-section), NARR (narrative), COMP (compliance), TEXT (names and spelling).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from gyeolsan.model import Finding, Severity

CATEGORIES = {
    "arithmetic": "산술 (합계·비율)",
    "rounding": "반올림",
    "crosssection": "장 간 대조",
    "narrative": "본문 수치",
    "compliance": "법규·절차",
    "text": "명칭·맞춤법",
}


@dataclass(frozen=True)
class Rule:
    id: str
    category: str
    severity: Severity  # default severity; a finding may be milder (e.g. rounding → info)
    title: str  # Korean, one line
    title_en: str
    hint: str  # how the officer fixes it (Korean)
    example: str  # an example message, for docs/rules.md
    check: Callable[..., Iterable[Finding]]
    sql: str | None = None  # the same identity as a DuckDB/PostgreSQL query, where it is one

    @property
    def doc(self) -> str:
        return (self.check.__doc__ or "").strip()


REGISTRY: dict[str, Rule] = {}


def rule(
    id: str,
    category: str,
    severity: Severity | str,
    title: str,
    title_en: str,
    hint: str,
    example: str = "",
    sql: str | None = None,
) -> Callable[[Callable[..., Iterable[Finding]]], Callable[..., Iterable[Finding]]]:
    """Register a rule function under a stable id."""
    if category not in CATEGORIES:
        raise ValueError(f"unknown category {category!r}")

    def register(func: Callable[..., Iterable[Finding]]) -> Callable[..., Iterable[Finding]]:
        if id in REGISTRY:
            raise ValueError(f"duplicate rule id {id}")
        REGISTRY[id] = Rule(id, category, Severity(severity), title, title_en, hint, example, func, sql)
        return func

    return register


def all_rules() -> list[Rule]:
    from gyeolsan.rules import load_rule_modules

    load_rule_modules()
    return sorted(REGISTRY.values(), key=lambda r: (list(CATEGORIES).index(r.category), r.id))
