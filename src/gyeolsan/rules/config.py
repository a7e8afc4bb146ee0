"""Per-government conventions, thresholds and silenced rules (``--config rules.toml``)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class RuleConfig:
    # ±N (in the table's unit) subtotal differences that come from per-row rounding are 'info'
    rounding_tolerance: int = 2
    # how a new item's 증감률 is printed: "100" (the sample) or "순증"
    new_item_rate: str = "100"
    # 집행률 below this (percent) is worth an info finding
    low_rate_threshold: int = 60
    # 전용 must be reported to the standing committee; the governing ordinance is printed in findings
    transfer_report_rule: str = "서울특별시의회 기본 조례 제55조의3"
    # months after the end of the 전용's quarter by which the report is due
    transfer_report_months: int = 3
    # rule id → written reason; silenced rules are listed (with the reason) in reports
    silenced: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> RuleConfig:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
        rules = data.get("rules", {})
        silenced = {str(k): str(v) for k, v in data.get("silence", {}).items()}
        for rule_id, reason in silenced.items():
            if not reason.strip():
                raise ValueError(f"silenced rule {rule_id} needs a written reason")
        known = {f for f in cls.__dataclass_fields__ if f != "silenced"}
        unknown = set(rules) - known
        if unknown:
            raise ValueError(f"unknown settings in [rules]: {', '.join(sorted(unknown))}")
        return cls(**rules, silenced=silenced)


DEFAULT = RuleConfig()
