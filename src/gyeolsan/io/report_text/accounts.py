"""Section IV (세입·세출 결산 현황): revenue, expenditure summary, adjustments and 집행잔액."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from gyeolsan.io.report_text.budget_tables import parse_budget_table, parse_revenue_rows
from gyeolsan.io.report_text.context import Context, find_dates, parse_date
from gyeolsan.io.report_text.reader import Line
from gyeolsan.io.report_text.sentences import tag_figures
from gyeolsan.io.report_text.tables import detect_unit, split_table, squash
from gyeolsan.model import (
    Adjustment,
    AdjustmentSummary,
    ExpenditureSection,
    Headline,
    Reorganization,
    RevenueItem,
    RevenueLine,
    RevenueSection,
    UnusedItem,
    UnusedReason,
)
from gyeolsan.model.numbers import find_quantities

_KIND = re.compile(r"【\s*(?:예산\s*)?(?:의\s*)?(이용|전용|변경사용|이체|다음연도\s*이월|이월|집행잔액)\s*】")
_COUNT = re.compile(r"(?:(\d+)\s*건\s*)?([\d,]+)\s*(백만원|천원|원)")
_ITEMS = (
    "사무관리비",
    "시설비",
    "여비",
    "국외업무여비",
    "업무추진비",
    "행사운영비",
    "행사실비지원금",
    "민간위탁금",
    "출연금",
    "자산취득비",
    "일반보상금",
    "연구용역비",
    "공공운영비",
    "인건비",
    "보전금",
    "시설부대비",
    "민간경상사업보조",
    "자치단체경상보조금",
    "일반운영비",
    "포상금",
    "기타보상금",
)


@dataclass
class Item:
    """A bullet with its continuation lines joined."""

    line: Line
    text: str
    level: int
    lines: list[Line] = field(default_factory=list)


def _items(lines: Sequence[Line]) -> list[Item]:
    out: list[Item] = []
    for line in lines:
        if line.is_table or not line.bare:
            continue
        starts_item = (
            line.heading_level
            or line.text.startswith(("-", "▶", "※", "□", "○", "【", "*"))
            or "【" in line.text
        )
        if out and not starts_item and out[-1].line.text.startswith("-"):
            out[-1].text = f"{out[-1].text} {line.bare}".strip()
            out[-1].lines.append(line)
            continue
        indent = len(line.raw) - len(line.raw.lstrip(" "))
        out.append(Item(line=line, text=line.bare, level=indent // 2, lines=[line]))
    return out


def _headline(item: Item) -> Headline:
    text = re.sub(r"\s+", " ", item.text)
    return Headline(text=text, figures=tag_figures(text), src=item.line.src())


def split_accounts(lines: Sequence[Line]) -> tuple[list[Line], list[Line]]:
    for i, line in enumerate(lines):
        if line.heading_level and "세출결산" in squash(line.bare):
            return list(lines[:i]), list(lines[i:])
    return list(lines), []


# ----------------------------------------------------------------------------- revenue


def parse_revenue(lines: Sequence[Line], ctx: Context) -> RevenueSection | None:
    tables = _tables(lines)
    if not tables and not any("세입" in ln.bare for ln in lines):
        return None
    headline = None
    statements: list[Headline] = []
    items: list[RevenueItem] = []
    notes: list[str] = []
    category: str | None = None
    unit_texts: list[str] = []
    columns: tuple[str, ...] = ()
    roots: tuple[RevenueLine, ...] = ()
    if tables:
        columns, roots = parse_revenue_rows(tables[0], ctx)
        unit_texts += tables[0].columns
    line_names = {squash(x.name) for r in roots for x in r.walk()}
    for item in _items(lines):
        text = item.text
        if item.line.heading_level and not find_quantities(text):
            continue
        if re.search(r"단위\s*[:：]", text):
            unit_texts.append(text)
            continue
        if text.startswith("※") or item.line.text.startswith("※"):
            notes.append(text.lstrip("※ "))
            statements.append(_headline(item))
            continue
        if headline is None and "예산현액" in text and ("징수" in text or "수납" in text):
            headline = _headline(item)
            continue
        if "▶" in item.line.text:
            for part in item.line.text.split("▶")[1:]:
                part = re.sub(r"^[\s\-]+", "", part).strip()
                items.append(_revenue_item(part, category, item.line))
            continue
        m = re.match(r"^(.+?)(?:은|는)\s*([\d,]+)\s*(천원|원|백만원)", text)
        if m:
            name = squash(m.group(1).split()[-1])
            parent = None if name in line_names else category
            items.append(
                RevenueItem(
                    category=parent, name=name, amount=int(m.group(2).replace(",", "")), src=item.line.src()
                )
            )
            if parent is None:
                category = name
            statements.append(_headline(item))
            continue
        if find_quantities(text):
            statements.append(_headline(item))
        elif not item.line.heading_level:
            ctx.unrecognised(item.line, 4, "세입결산")
    src = tables[0].lines[0].src() if tables else None
    return RevenueSection(
        unit=detect_unit(unit_texts),  # type: ignore[arg-type]
        headline=headline,
        columns=columns,
        lines=roots,
        items=tuple(items),
        statements=tuple(statements),
        notes=tuple(notes),
        **({"src": src} if src else {}),
    )


def _revenue_item(text: str, category: str | None, line: Line) -> RevenueItem:
    m = re.search(r"([\d,]+)\s*(천원|원|백만원)", text)
    name = re.sub(r"(은|는)?\s*$", "", text[: m.start()].strip()) if m else text
    return RevenueItem(
        category=category,
        name=name.strip(),
        amount=int(m.group(1).replace(",", "")) if m else None,
        src=line.src(),
    )


def _tables(lines: Sequence[Line]):  # type: ignore[no-untyped-def]
    out = []
    i = 0
    while i < len(lines):
        if lines[i].is_table:
            j = i
            while j < len(lines) and lines[j].is_table:
                j += 1
            out.append(split_table(lines[i:j]))
            i = j
        else:
            i += 1
    return out


# ----------------------------------------------------------------------------- expenditure


@dataclass
class Names:
    programs: list[str]
    divisions: list[str]
    program_division: dict[str, str] = field(default_factory=dict)  # squashed program → division


def parse_expenditure(
    lines: Sequence[Line], ctx: Context, names: Names
) -> tuple[ExpenditureSection | None, list[Reorganization]]:
    if not lines:
        return None, []
    tables = _tables(lines)
    table = None
    if tables:
        table = parse_budget_table(
            tables[0],
            ctx,
            key="expenditure_summary",
            title="부서별 세출결산",
            section=4,
            unit_texts=[ln.bare for ln in lines if "단위" in ln.bare],
            headline=None,
            known_divisions=set(names.divisions),
            flat=True,
        )
    headline = None
    summaries: list[AdjustmentSummary] = []
    adjustments: list[Adjustment] = []
    narrative: list[Headline] = []
    reorgs: list[Reorganization] = []
    unused_headline = None
    reasons: list[UnusedReason] = []
    kind: str | None = None
    for item in _items(lines):
        text = item.text
        km = _KIND.search(text)
        if km:
            kind = re.sub(r"\s+", "", km.group(1)).replace("다음연도", "")
            summaries.append(_summary(kind, text, item.line))
            continue
        if kind is None:
            if headline is None and "예산현액" in text and find_quantities(text):
                headline = _headline(item)
            elif item.line.heading_level or not find_quantities(text) and "표" in text:
                continue
            elif find_quantities(text) or item.line.text.startswith("※"):
                narrative.append(_headline(item))
            else:
                ctx.unrecognised(item.line, 4, "세출결산")
            continue
        if "규모는" in text or "없습니다" in text:
            narrative.append(_headline(item))
            continue
        if kind == "집행잔액":
            if unused_headline is None and "예산현액" in text:
                unused_headline = _headline(item)
            elif item.line.text.lstrip().startswith("- ▶") or "▶" in item.line.text:
                if reasons:
                    reasons[-1] = reasons[-1].model_copy(
                        update={"items": reasons[-1].items + (_unused_item(item),)}
                    )
            elif find_quantities(text) and item.level >= 1:
                reasons.append(_unused_reason(item))
            else:
                narrative.append(_headline(item))
            continue
        records = _records(kind, item, names)
        adjustments.extend(records)
        narrative.append(_headline(item))
        if kind == "이체":
            reorgs.extend(_transfer_reorg(item, records))
    adjustments = _fill_single_amounts(adjustments, summaries)
    return (
        ExpenditureSection(
            headline=headline,
            table=table,
            summaries=tuple(summaries),
            adjustments=tuple(adjustments),
            unused_headline=unused_headline,
            unused_reasons=tuple(reasons),
            narrative=tuple(narrative),
        ),
        reorgs,
    )


def _summary(kind: str, text: str, line: Line) -> AdjustmentSummary:
    m = _COUNT.search(text)
    return AdjustmentSummary(
        kind=kind,  # type: ignore[arg-type]
        none="해당사항" in text or "없음" in text,
        count=int(m.group(1)) if m and m.group(1) else None,
        amount=int(m.group(2).replace(",", "")) if m else None,
        unit=m.group(3) if m else "천원",  # type: ignore[arg-type]
        src=line.src(),
    )


def _amounts(text: str) -> list[tuple[int, int, int]]:
    return [
        (s, e, int(q.value) // 1000) for s, e, q in find_quantities(text) if q.is_money and "천원" in q.text
    ]


def _find_names(text: str, names: Sequence[str]) -> list[tuple[int, str]]:
    key = squash(text)
    found: list[tuple[int, str]] = []
    for name in sorted(set(names), key=len, reverse=True):
        pos = key.find(squash(name))
        if pos >= 0 and not any(squash(name) in squash(n) for _, n in found):
            found.append((pos, name))
    return sorted(found)


def _records(kind: str, item: Item, names: Names) -> list[Adjustment]:
    text = item.text
    date = parse_date(text)
    divisions = [n for _, n in _find_names(text, names.divisions)]
    carry = None
    for word in ("명시이월", "사고이월", "계속비이월"):
        if word in text:
            carry = word
    move = re.search(r"(\S+?)(?:을|를)\s*(\S+?)(?:으로|로)\s*(?:전용|이용|변경사용)", text)
    from_item = to_item = None
    if move:
        from_item, to_item = move.group(1), move.group(2)
    quoted = re.findall(r"['‘’]([^'‘’]+?)['‘’]\s*사업\s*예산\s*\(\s*([\d,]+)\s*천원\s*\)", text)
    base: dict[str, Any] = {
        "kind": kind,
        "carry_kind": carry if kind == "이월" else None,
        "date": date if kind != "이월" else None,
        "reason": text,
        "src": item.line.src(),
    }
    arrow = re.search(r"(?:[①-⑳]\s*)?(.+?)\s*(?:→|->|⇒)\s*(.+?)\s*[:：]\s*([\d,]+)\s*천원", text)
    approved = re.search(r"([^()]*?)\s*(?:시의회|의회)\s*승인", text)
    reported = re.search(r"([^()]*?)\s*(?:상임\s*위원회|상임위)\s*보고", text)
    extra: dict[str, Any] = {
        "approved_on": parse_date(approved.group(1)) if approved else None,
        "reported_on": parse_date(reported.group(1)) if reported else None,
    }
    if arrow:
        frm_prog, to_prog = (re.sub(r"\s*\([^)]*\)\s*$", "", x).strip() for x in arrow.group(1, 2))
        return [
            Adjustment(
                **base,
                **extra,
                from_program=frm_prog,
                to_program=to_prog,
                from_division=_division_of(frm_prog, names),
                to_division=_division_of(to_prog, names),
                amount=int(arrow.group(3).replace(",", "")),
            )
        ]
    if kind == "이월" and "전년도" in text:
        return _previous_carry(text, names, base)
    moved = re.findall(
        r"['‘’]([^'‘’]+?)['‘’]\s*사업\s*예산\s*([\d,]+)\s*천원이\s*(\S+?)\s*(?:['‘’]([^'‘’]+?)['‘’]\s*사업)?\s*(?:으로|로)\s*이체",
        text,
    )
    if kind == "이체" and moved and not quoted:
        return [
            Adjustment(
                **base,
                from_program=frm.strip(),
                from_division=_division_of(frm, names),
                to_program=to.strip() or None,
                to_division=squash(div),
                amount=int(a.replace(",", "")),
            )
            for frm, a, div, to in moved
        ]
    if kind == "이체" and quoted:
        frm, to = _from_to(text, names.divisions)
        return [
            Adjustment(
                **base,
                from_division=frm,
                to_division=to,
                from_program=p.strip(),
                to_program=p.strip(),
                amount=int(a.replace(",", "")),
            )
            for p, a in quoted
        ]
    amounts = _amounts(text)
    programs = [n for _, n in _find_names(text, names.programs)]
    item_amounts = re.findall(r"\(\s*(" + "|".join(_ITEMS) + r")\s*([\d,]+)\s*천원\s*\)", text)
    if not amounts and not move and not programs:
        return []
    amount = (
        int(item_amounts[0][1].replace(",", "")) if item_amounts else (amounts[-1][2] if amounts else None)
    )
    if item_amounts and kind == "이월":
        from_item = item_amounts[0][0]
    return [
        Adjustment(
            **base,
            **extra,
            from_division=divisions[0] if divisions else None,
            from_program=programs[0] if programs else None,
            to_program=programs[0] if programs and kind in ("전용", "변경사용") else None,
            from_item=from_item,
            to_item=to_item,
            amount=amount,
        )
    ]


def _previous_carry(text: str, names: Names, base: dict[str, Any]) -> list[Adjustment]:
    """'전년도 이월액 … (A 명시이월 780,000천원, B 사고이월 420,000천원)' → one record per program."""
    out = []
    for program, carry, amount in re.findall(
        r"([^(,]+?)\s*(명시이월|사고이월|계속비이월)\s*([\d,]+)\s*천원", text
    ):
        program = program.strip()
        out.append(
            Adjustment(
                **{**base, "carry_kind": carry},
                previous_year=True,
                from_program=program,
                from_division=_division_of(program, names),
                amount=int(amount.replace(",", "")),
            )
        )
    return out


def _division_of(program: str, names: Names) -> str | None:
    return names.program_division.get(squash(program))


def _from_to(text: str, divisions: Sequence[str]) -> tuple[str | None, str | None]:
    m = re.search(r"(\S+?)의\s*\S*\s*(?:일부)?사업이\s*(\S+?)(?:으로|로)\s*(?:이관|이체)", text)
    if m:
        return squash(m.group(1)), squash(m.group(2))
    found = [n for _, n in _find_names(text, divisions)]
    return (found[0] if found else None, found[1] if len(found) > 1 else None)


def _transfer_reorg(item: Item, records: list[Adjustment]) -> list[Reorganization]:
    if "조직개편" not in item.text or not records:
        return []
    return [
        Reorganization(
            date=parse_date(item.text),
            kind="transfer",
            from_division=records[0].from_division,
            to_division=records[0].to_division,
            programs=tuple(r.from_program or "" for r in records),
            description=item.text,
            src=item.line.src(),
        )
    ]


def _fill_single_amounts(records: list[Adjustment], summaries: list[AdjustmentSummary]) -> list[Adjustment]:
    """A lone record with no amount of its own takes the amount of its '1건' summary."""
    out = []
    for rec in records:
        same = [r for r in records if r.kind == rec.kind]
        summary = next((s for s in summaries if s.kind == rec.kind), None)
        if rec.amount is None and len(same) == 1 and summary and summary.count == 1:
            rec = rec.model_copy(update={"amount": summary.amount})
        out.append(rec)
    return out


def _unused_reason(item: Item) -> UnusedReason:
    amounts = _amounts(item.text)
    reason = re.sub(r"\s*[\d,]+\s*천원\s*,?\s*$", "", item.text).strip()
    return UnusedReason(reason=reason, amount=amounts[-1][2] if amounts else None, src=item.line.src())


def _unused_item(item: Item) -> UnusedItem:
    amounts = _amounts(item.text)
    return UnusedItem(text=item.text, amount=amounts[-1][2] if amounts else None, src=item.line.src())


def all_dates(text: str) -> list[str]:
    return [d.text for d in find_dates(text)]
