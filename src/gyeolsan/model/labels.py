"""Korean labels of the model's amount and rate fields — one table for importers, rules, reports and the web."""

from __future__ import annotations

FIELD_LABELS: dict[str, str] = {
    "budget": "예산액",
    "budget_current": "예산현액",
    "spent": "집행액",
    "rate": "집행률",
    "unused": "집행잔액",
    "carried_over": "다음연도 이월액",
    "carried_explicit": "명시이월",
    "carried_accident": "사고이월",
    "carried_continuing": "계속비이월",
    "subsidy_returned": "보조금 반납",
    "previous": "전년 예산",
    "current": "당해 예산",
    "change": "증감",
    "change_rate": "증감률",
    "levied": "징수결정액",
    "received": "수납액",
    "written_off": "불납결손액",
    "uncollected": "미수납액",
}
