"""The rule catalogue (see docs/rules.md): ``run(settlement) -> RunResult``."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gyeolsan.model import Settlement
    from gyeolsan.rules.config import RuleConfig
    from gyeolsan.rules.engine import RunResult

RULE_MODULES = ("arithmetic", "rounding", "crosssection", "narrative", "compliance", "text")


def load_rule_modules() -> None:
    """Import every category module so its ``@rule`` functions register (modules not written yet are skipped)."""
    for name in RULE_MODULES:
        try:
            importlib.import_module(f"gyeolsan.rules.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"gyeolsan.rules.{name}":
                raise


def run(settlement: Settlement, config: RuleConfig | None = None, path: str | None = None) -> RunResult:
    """Run every rule (silenced ones skipped and recorded) and return the findings sorted by place."""
    from gyeolsan.rules.config import DEFAULT
    from gyeolsan.rules.engine import run as _run

    return _run(settlement, config or DEFAULT, path)
