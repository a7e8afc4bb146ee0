"""Linking cards to the 단위사업 rows they cover, and 전용 records to the audit text that dates them."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from gyeolsan.io.report_text.context import parse_date
from gyeolsan.io.report_text.tables import squash
from gyeolsan.model import Adjustment, AuditRecommendation, BudgetLine, BudgetTable, CardGroup, ProgramCard
from gyeolsan.model.numbers import Unit, convert

MAX_COMBINATION = 3


def similarity(a: str, b: str) -> float:
    """Character-bigram Dice coefficient of two names, ignoring spaces, quotes and brackets."""
    sa, sb = (re.sub(r"[「」『』\[\]()·ㆍ,]", "", squash(x)) for x in (a, b))
    if sa == sb:
        return 1.0
    ga = {sa[i : i + 2] for i in range(len(sa) - 1)}
    gb = {sb[i : i + 2] for i in range(len(sb) - 1)}
    if not ga or not gb:
        return 0.0
    return 2 * len(ga & gb) / (len(ga) + len(gb))


def unit_rows(table: BudgetTable | None) -> list[tuple[BudgetLine, BudgetLine]]:
    """(division, unit) pairs — 단위사업 (or 세부사업 parents) that a card can cover."""
    out: list[tuple[BudgetLine, BudgetLine]] = []
    if table is None:
        return out
    for division in table.divisions:
        for line in division.walk():
            if line.kind == "unit":
                out.append((division, line))
    return out


def _rounded(lines: Sequence[BudgetLine], field: str, table_unit: str, card_unit: str) -> int:
    total = sum(getattr(x, field) or 0 for x in lines)
    return convert(total, Unit(table_unit), Unit(card_unit))


def link_cards(
    cards: Sequence[ProgramCard], groups: Sequence[CardGroup], table: BudgetTable | None
) -> list[ProgramCard]:
    """Find the 단위사업 rows each card covers: by name, then by sums (a card may cover several rows).

    1. a card whose title names a row whose 예산현액 rounds to the card's figure takes that row;
    2. each card group has a home division (where its name-matched cards live);
    3. the other cards take the combination (≤ 3 rows, including the name-matched row if any) whose
       예산현액 rounds to the card's figure, preferring the home division and a matching 집행액.
    """
    units = unit_rows(table)
    if not units or table is None:
        return list(cards)
    unit = table.unit
    seeds: dict[int, tuple[BudgetLine, BudgetLine] | None] = {}
    for n, card in enumerate(cards):
        best = max(units, key=lambda du: similarity(card.title, du[1].name))
        seeds[n] = best if similarity(card.title, best[1].name) >= 0.6 else None
    claimed: set[int] = set()
    result: dict[int, list[tuple[BudgetLine, BudgetLine]]] = {}
    for n, card in enumerate(cards):
        seed = seeds[n]
        if seed and id(seed[1]) not in claimed and _fits(card, [seed[1]], unit):
            result[n] = [seed]
            claimed.add(id(seed[1]))
    homes = _homes(cards, groups, table, result)
    for n, card in enumerate(cards):
        if n in result:
            continue
        free = [du for du in units if id(du[1]) not in claimed]
        seed = seeds[n] if seeds[n] and id(seeds[n][1]) not in claimed else None  # type: ignore[index]
        found = None
        if card.settlement is not None and card.settlement.budget_current is not None:
            if seed:
                found = _combination(card, free, unit, homes.get(card.group), must=seed)
            found = found or _combination(card, free, unit, homes.get(card.group))
        found = found or ([seed] if seed else None)
        if found:
            result[n] = found
            claimed.update(id(u) for _, u in found)
    return [
        c.model_copy(update={"unit_programs": tuple(u.name for _, u in result.get(n, []))})
        for n, c in enumerate(cards)
    ]


def _homes(
    cards: Sequence[ProgramCard],
    groups: Sequence[CardGroup],
    table: BudgetTable,
    result: dict[int, list[tuple[BudgetLine, BudgetLine]]],
) -> dict[int, str]:
    """Each card group's division: the one whose 정책사업 is named like the group, else its matched cards'."""
    homes: dict[int, str] = {}
    for n, combo in result.items():
        homes.setdefault(cards[n].group, combo[0][0].name)
    policies = [(d, p) for d in table.divisions for p in d.children if p.kind == "policy"]
    for group in groups:
        if not policies:
            break
        division, policy = max(policies, key=lambda dp: similarity(group.title, dp[1].name))
        if similarity(group.title, policy.name) >= 0.5:
            homes[group.number] = division.name
    return homes


def _fits(card: ProgramCard, lines: Sequence[BudgetLine], table_unit: str) -> bool:
    s = card.settlement
    return bool(
        s
        and s.budget_current is not None
        and _rounded(lines, "budget_current", table_unit, s.unit) == s.budget_current
    )


def _combination(
    card: ProgramCard,
    free: list[tuple[BudgetLine, BudgetLine]],
    table_unit: str,
    home: str | None,
    must: tuple[BudgetLine, BudgetLine] | None = None,
) -> list[tuple[BudgetLine, BudgetLine]] | None:
    assert card.settlement is not None
    spent = card.settlement.spent or 0
    best: tuple[tuple[int, int, float], list[tuple[BudgetLine, BudgetLine]]] | None = None
    for size in range(1, MAX_COMBINATION + 1):
        for combo in itertools.combinations(free, size):
            if must is not None and all(u is not must[1] for _, u in combo):
                continue
            lines = [u for _, u in combo]
            if not _fits(card, lines, table_unit):
                continue
            away = sum(1 for d, _ in combo if home is not None and d.name != home)
            spent_off = abs(_rounded(lines, "spent", table_unit, card.settlement.unit) - spent)
            score = (away, spent_off, -max(similarity(card.title, u.name) for u in lines))
            if best is None or score < best[0]:
                best = (score, list(combo))
        if best is not None:
            return best[1]
    return None


def link_transfers(
    adjustments: Sequence[Adjustment], audits: Sequence[AuditRecommendation], programs: Sequence[str]
) -> list[Adjustment]:
    """Fill program and dates of a lone 전용 record from a recommendation that talks about it."""
    transfers = [a for a in adjustments if a.kind == "전용"]
    if len(transfers) != 1:
        return list(adjustments)
    rec = transfers[0]
    update: dict[str, object] = {}
    for audit in audits:
        text = " ".join(audit.content + audit.action)
        if "전용" not in text:
            continue
        if rec.from_program is None:
            named = [p for p in programs if squash(p) in squash(text)]
            if named:
                update["from_program"] = update["to_program"] = max(named, key=len)
        m = re.search(r"전용일\s*([^)]*)\)", text)
        if m and rec.date is None:
            update["date"] = parse_date(m.group(1))
        if audit.status_date and "보고" in (audit.action[0] if audit.action else ""):
            update["reported_on"] = audit.status_date
        if rec.amount is not None and f"{rec.amount:,}" not in text:
            continue
    return [rec.model_copy(update=update) if a is rec else a for a in adjustments]
