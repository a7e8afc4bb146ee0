"""Report settings (``report.toml``): units, rounding conventions, wording and fonts of one office."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

from gyeolsan.model.numbers import Unit

HeadlineStyle = Literal["억원", "억백만원"]


@dataclass(frozen=True)
class ReportConfig:
    """How an office prints its report. Every field has the sample's convention as default.

    ``table_unit``     unit of the tables; None (default) keeps the model's unit (천원 in the sample).
                       Another unit converts the leaves (half-up) before the totals are summed
    ``card_unit``      unit of the card settlement lines, 백만원
    ``headline``       settlement headline style: "억원" (486억원) or "억백만원" (486억 23백만원)
    ``next_headline``  next year's headline style, "억백만원" (544억 38백만원)
    ``new_item_rate``  증감률 of an item that did not exist the year before: "100" or "순증"
    ``revenue_zero``   how a zero prints in the revenue table: "-" (default) or "0"
    ``card_rate_places`` decimals of the card 집행률 (1)
    ``font``           font family named in HTML/PDF/charts, NanumGothic
    ``charts``         embed charts in HTML/PDF/DOCX/HWPX
    ``pdf_engine``     "typst" (default, fast) or "weasyprint" (the HTML report as a browser prints it)
    ``annex_title``    heading of the findings annex
    """

    table_unit: str | None = None  # None: the model's own unit
    card_unit: str = "백만원"
    headline: HeadlineStyle = "억원"
    next_headline: HeadlineStyle = "억백만원"
    new_item_rate: str = "100"
    revenue_zero: str = "-"
    card_rate_places: int = 1
    font: str = "NanumGothic"
    charts: bool = True
    pdf_engine: str = "typst"
    annex_title: str = "부록. 검증 결과"
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("table_unit", "card_unit"):
            if getattr(self, name) is not None:
                Unit(getattr(self, name))  # raises ValueError for an unknown unit
        if self.headline not in ("억원", "억백만원") or self.next_headline not in ("억원", "억백만원"):
            raise ValueError("headline must be '억원' or '억백만원'")
        if self.new_item_rate not in ("100", "순증"):
            raise ValueError("new_item_rate must be '100' or '순증'")
        if self.revenue_zero not in ("-", "0"):
            raise ValueError("revenue_zero must be '-' or '0'")
        if self.pdf_engine not in ("typst", "weasyprint"):
            raise ValueError("pdf_engine must be 'typst' or 'weasyprint'")


DEFAULT = ReportConfig()


class ConfigError(ValueError):
    """A report.toml that cannot be used (message in Korean / English)."""


def load_config(path: Path) -> ReportConfig:
    """Read ``report.toml`` (keys at top level or under ``[report]``)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"설정 파일을 읽을 수 없습니다 / cannot read config: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"설정 파일 TOML 문법 오류 / invalid TOML: {exc}") from None
    data = data.get("report", data)
    known = {f.name for f in fields(ReportConfig)} - {"extra"}
    values = {k: v for k, v in data.items() if k in known}
    extra = {k: v for k, v in data.items() if k not in known}
    try:
        return ReportConfig(**values, extra=extra)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"설정 값이 잘못되었습니다 / invalid setting: {exc}") from None
