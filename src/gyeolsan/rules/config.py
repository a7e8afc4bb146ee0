"""Per-government conventions, thresholds and silenced rules (``--config rules.toml``).

```toml
[rules]
rounding_tolerance = 2          # ±천원 differences from per-row rounding are 'info'
new_item_rate = "100"           # or "순증"

[silence]
XREF009 = "2019년 예산표는 조직개편 후 기준으로 재작성하여 전년 예산이 다름 (예산담당관 확인)"
```
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any


class ConfigError(ValueError):
    """A rules.toml that cannot be used (Korean + English message)."""


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
        """Read a rules.toml; raises :class:`ConfigError` (a ValueError) with a clear message."""
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"설정 파일을 읽을 수 없습니다 / cannot read config {path}: {exc}") from None
        try:
            data: dict[str, Any] = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"설정 파일의 TOML 문법 오류 / TOML syntax error in {path}: {exc}") from None
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RuleConfig:
        unknown_tables = set(data) - {"rules", "silence"}
        if unknown_tables:
            names = ", ".join(sorted(unknown_tables))
            raise ConfigError(f"알 수 없는 표: {names} / unknown tables: {names} (use [rules] and [silence])")
        rules = data.get("rules", {})
        silence = data.get("silence", {})
        if not isinstance(rules, dict) or not isinstance(silence, dict):
            raise ConfigError("[rules]와 [silence]는 표여야 합니다 / [rules] and [silence] must be tables")
        silenced: dict[str, str] = {}
        for rule_id, reason in silence.items():
            if not isinstance(reason, str) or not reason.strip():
                raise ConfigError(
                    f"규칙 {rule_id}을(를) 끄려면 사유를 적어야 합니다 / silenced rule {rule_id} needs a written reason"
                )
            silenced[str(rule_id)] = reason.strip()
        types = {f.name: type(f.default) for f in fields(cls) if f.name != "silenced"}
        unknown = set(rules) - set(types)
        if unknown:
            names = ", ".join(sorted(unknown))
            raise ConfigError(f"[rules]에 알 수 없는 설정: {names} / unknown settings in [rules]: {names}")
        for name, value in rules.items():
            wanted = types[name]
            if type(value) is not wanted:  # bool is not an int here
                raise ConfigError(
                    f"[rules] {name}의 값은 {wanted.__name__}이어야 합니다 / {name} must be a {wanted.__name__}, "
                    f"got {value!r}"
                )
        if rules.get("rounding_tolerance", 0) < 0:
            raise ConfigError("rounding_tolerance는 0 이상이어야 합니다 / rounding_tolerance must be >= 0")
        return cls(**rules, silenced=silenced)


DEFAULT = RuleConfig()
