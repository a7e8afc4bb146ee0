"""Figures stated in prose: find each number with its unit and decide what it is (its key)."""

from __future__ import annotations

import re

from gyeolsan.model import Figure
from gyeolsan.model.numbers import Quantity, find_quantities

# (keyword, key) — longer keywords win when they end at the same place.
KEYWORDS: tuple[tuple[str, str], ...] = (
    ("미수납", "uncollected"),
    ("징수결정", "levied"),
    ("수납", "received"),
    ("불납결손", "written_off"),
    ("예산현액", "budget_current"),
    ("현액", "budget_current"),
    ("예산액", "budget"),
    ("집행잔액", "unused"),
    ("불용", "unused"),
    ("집행률", "rate"),
    ("이중", "spent"),
    ("이 중", "spent"),
    ("집행", "spent"),
    ("이월", "carried_over"),
    ("예산", "budget"),
)
_FOLLOWING = re.compile(r"^\s*(?:을|를|이|가|은|는|의)?\s*(" + "|".join(k for k, _ in KEYWORDS) + ")")


def _nearest_keyword(segment: str) -> str | None:
    best: tuple[int, int, str] | None = None
    for keyword, key in KEYWORDS:
        pos = segment.rfind(keyword)
        if pos >= 0:
            cand = (pos + len(keyword), len(keyword), key)
            if best is None or cand[:2] > best[:2]:
                best = cand
    return best[2] if best else None


def _subject(segment: str) -> str | None:
    """The topic of the sentence: the keyword right before the first 은/는, else the earliest keyword."""
    m = re.search(r"\S+(?:은|는)(?=\s)", segment)
    if m:
        key = _nearest_keyword(segment[: m.end()])
        if key:
            return key
    return _first_keyword(segment)


def _first_keyword(segment: str) -> str | None:
    """The sentence's subject: the earliest keyword (longest when several start at the same place)."""
    best: tuple[int, int, str] | None = None
    for keyword, key in KEYWORDS:
        pos = segment.find(keyword)
        if pos >= 0:
            cand = (pos, -len(keyword), key)
            if best is None or cand[:2] < best[:2]:
                best = cand
    return best[2] if best else None


def _key_for_following(segment: str) -> str | None:
    m = _FOLLOWING.match(segment)
    if not m:
        return None
    return dict(KEYWORDS)[m.group(1)]


def _percent_key(before: str, after: str) -> str:
    if before.rstrip().endswith("의"):
        return "share"
    if re.match(r"^\s*(증가|감소|늘|줄)", after):
        return "change_rate"
    return "rate"


def tag_figures(text: str, *, money_only: bool = True) -> tuple[Figure, ...]:
    """Figures of a sentence: money amounts and percentages, each with a semantic key."""
    found = [(s, e, q) for s, e, q in find_quantities(text) if q.is_money or q.unit == "%" or not money_only]
    found = [(s, e, q) for s, e, q in found if q.is_money or q.unit == "%"]
    subject = _subject(text[: found[0][0]]) if found else None
    figures: list[Figure] = []
    for i, (start, end, q) in enumerate(found):
        before = text[found[i - 1][1] if i else 0 : start]
        after = text[end : found[i + 1][0] if i + 1 < len(found) else len(text)]
        if q.unit == "%":
            key = _percent_key(before, after)
        elif i and found[i - 1][2].unit == "%" and _nearest_keyword(before) is None:
            key = subject or "amount"  # "예산현액인 X의 2.4%인 Y": Y is the sentence's subject
        else:
            key = _key_for_following(after) or _nearest_keyword(before) or subject or "amount"
        figures.append(_figure(key, q))
    return tuple(figures)


def _figure(key: str, q: Quantity) -> Figure:
    return Figure(key=key, value=q.value, unit=q.unit, scale=q.scale, text=q.text)


def quantities(text: str) -> list[Quantity]:
    return [q for _, _, q in find_quantities(text)]
