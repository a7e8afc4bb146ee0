"""Template filters (loaded as builtins): Korean number formatting from ``gyeolsan.model.numbers``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from gyeolsan.model import numbers

register = template.Library()

SEVERITY_ICONS = {"error": "✖", "warning": "▲", "info": "ℹ"}
SEVERITY_LABELS = {"error": "오류", "warning": "경고", "info": "참고"}
STATE_ICONS = {"draft": "✎", "submitted": "⇪", "approved": "✔", "final": "🔒"}


@register.filter
def money(value: int | None) -> str:
    """47810398 → "47,810,398"; -24802 → "△24,802"; 0/None → "-"."""
    return numbers.format_number(value)


@register.filter
def printed_rate(value: str | Decimal | None) -> str:
    """A stored printed rate ("-3.45") as printed ("△3.45")."""
    if value is None or value == "":
        return "-"
    text = str(value)
    return f"△{text[1:]}" if text.startswith("-") else text


@register.filter
def rate1(value: Decimal | None) -> str:
    return numbers.format_rate(value, 1)


@register.filter
def rate2(value: Decimal | None) -> str:
    """증감률: two decimals, △ for negatives."""
    return numbers.format_rate(value, 2)


@register.filter
def severity_icon(value: Any) -> str:
    return SEVERITY_ICONS.get(str(value), "")


@register.filter
def severity_label(value: Any) -> str:
    return SEVERITY_LABELS.get(str(value), str(value))


@register.filter
def state_icon(value: Any) -> str:
    return STATE_ICONS.get(str(value), "")


@register.filter
def get_item(mapping: dict[Any, Any] | None, key: Any) -> Any:
    return (mapping or {}).get(key)


@register.filter
def date_text(value: dict[str, Any] | None) -> str:
    return "" if not value else str(value.get("text", ""))


ACTION_LABELS = {
    "submit": "제출",
    "approve": "승인",
    "return": "반려",
    "lock": "확정(잠금)",
    "reopen": "확정 해제",
}


@register.filter
def action_label(value: Any) -> str:
    return ACTION_LABELS.get(str(value), str(value))


@register.filter
def joinlines(items: list[str] | None) -> str:
    """A list as textarea lines (escaped by the template engine)."""
    return "\n".join(items or [])
