"""The rule catalogue (see docs/rules.md): ``run(settlement) -> RunResult``."""

from __future__ import annotations

import importlib

RULE_MODULES = ("arithmetic", "rounding", "crosssection", "narrative", "compliance", "text")


def load_rule_modules() -> None:
    """Import every category module so its ``@rule`` functions register (modules not written yet are skipped)."""
    for name in RULE_MODULES:
        try:
            importlib.import_module(f"gyeolsan.rules.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"gyeolsan.rules.{name}":
                raise


def run(settlement, config=None, path=None):  # type: ignore[no-untyped-def]
    from gyeolsan.rules.config import DEFAULT
    from gyeolsan.rules.engine import run as _run

    return _run(settlement, config or DEFAULT, path)
