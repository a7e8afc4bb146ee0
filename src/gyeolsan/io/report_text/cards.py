"""Section II (주요사업 추진실적): card groups, cards, their sections and settlement lines."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from gyeolsan.io.report_text.context import Context
from gyeolsan.io.report_text.reader import Line
from gyeolsan.model import (
    Bullet,
    CardGroup,
    CardSection,
    CardSettlement,
    ProgramCard,
    Severity,
    Source,
    TableBlock,
)
from gyeolsan.model.numbers import NumberParseError, parse_amount, parse_quantity, parse_rate

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮"
_GROUP = re.compile(r"^(\d{1,2})\s*\.\s*(\S.*)$")
_ITEM = re.compile(rf"^[-\s]*([{CIRCLED}])\s*(.+)$")
_NUMBER_ONLY = re.compile(r"^\d{1,2}$")
SETTLEMENT = re.compile(
    r"결산\s*[:：]\s*예산현액\s*(?P<bc>[\d,]+)\s*(?P<u1>백만원|천원|억원|원)\s*중\s*"
    r"(?P<sp>[\d,]+)\s*(?P<u2>백만원|천원|억원|원)\s*집행\s*\(\s*집행률\s*(?P<rate>[\d.]+)\s*%?\s*\)"
)
_SECTION_KINDS = (("사업개요", "overview"), ("추진실적", "achievements"), ("추진계획", "plans"))


@dataclass
class _Draft:
    group: int
    index: int
    title: str
    start: Line
    lines: list[Line] = field(default_factory=list)
    settlement: CardSettlement | None = None


def parse_cards(lines: Sequence[Line], ctx: Context) -> tuple[list[CardGroup], list[ProgramCard]]:
    starts = _group_starts(lines)
    groups = _groups(lines, starts)
    expected = {g.number: len(g.card_titles) for g in groups}
    drafts: list[_Draft] = []
    current: _Draft | None = None
    group_no = 0
    skip_titles = False
    for i, line in enumerate(lines):
        text = line.bare
        if i in starts:
            group_no, current, skip_titles = starts[i], None, True
            listed: set[str] = set()
            continue
        if group_no == 0:
            continue
        if skip_titles:
            item = _ITEM.match(_plain(line))
            if not text or (item and item.group(1) not in listed):
                if item:
                    listed.add(item.group(1))
                continue
            skip_titles = False
        if current is None:
            if not text or text == "---" or _NUMBER_ONLY.match(text):
                continue
            group = next(g for g in groups if g.number == group_no)
            index = sum(1 for d in drafts if d.group == group_no) + 1
            own = _ITEM.match(_plain(line))
            if own:  # the card opens with its own '② 제목' heading
                title = own.group(2).strip()
            else:
                title = group.card_titles[index - 1] if index <= len(group.card_titles) else text
            current = _Draft(group=group_no, index=index, title=title, start=line)
            drafts.append(current)
        current.lines.append(line)
        sm = SETTLEMENT.search(text)
        if sm:
            current.settlement = _settlement(sm, line, ctx)
            current = None
    drafts = _attach_notes(drafts)
    for d in drafts:
        if d.settlement is None:
            ctx.add(
                "IMP032",
                Severity.WARNING,
                d.start,
                f"카드 '{d.title}'에 결산 문장('예산현액 … 중 … 집행(집행률 …)')이 없습니다",
                f"Card '{d.title}' has no settlement line",
                section=2,
            )
    groups = _with_card_titles(groups, drafts)
    cards = [_card(d, ctx) for d in drafts]
    for g in groups:
        found = sum(1 for c in cards if c.group == g.number)
        if found != expected[g.number]:
            ctx.add(
                "IMP030",
                Severity.WARNING,
                Line(no=g.src.line or 1, raw="", path=ctx.path),
                f"사업군 {g.number}의 목차에는 {expected[g.number]}개 사업이 있으나 본문 카드는 {found}개입니다",
                f"Group {g.number} lists {expected[g.number]} programs but {found} cards were found",
                section=2,
            )
    return groups, cards


def _with_card_titles(groups: list[CardGroup], drafts: list[_Draft]) -> list[CardGroup]:
    """A group's list of programs also includes cards that only name themselves in their own heading."""
    out = []
    for g in groups:
        titles, srcs = list(g.card_titles), list(g.title_srcs)
        for d in drafts:
            if d.group == g.number and d.index > len(titles):
                titles.append(d.title)
                srcs.append(d.start.src())
        out.append(g.model_copy(update={"card_titles": tuple(titles), "title_srcs": tuple(srcs)}))
    return out


def _plain(line: Line) -> str:
    return line.text.replace("**", "").lstrip("#").strip()


def _next_meaningful(lines: Sequence[Line], i: int) -> Line | None:
    for line in lines[i + 1 :]:
        if line.bare and line.bare != "---":
            return line
    return None


def _group_starts(lines: Sequence[Line]) -> dict[int, int]:
    """Index → group number for '1. 제목' lines followed by the group's ①② list of programs."""
    out: dict[int, int] = {}
    for i, line in enumerate(lines):
        gm = _GROUP.match(line.bare)
        nxt = _next_meaningful(lines, i) if gm else None
        if gm and nxt is not None and _ITEM.match(_plain(nxt)):
            out[i] = int(gm.group(1))
    return out


def _groups(lines: Sequence[Line], starts: dict[int, int]) -> list[CardGroup]:
    groups: list[CardGroup] = []
    for i, number in starts.items():
        gm = _GROUP.match(lines[i].bare)
        assert gm is not None
        titles, srcs = _titles(lines[i + 1 :])
        groups.append(
            CardGroup(
                number=number,
                title=gm.group(2).strip(),
                card_titles=titles,
                title_srcs=srcs,
                src=lines[i].src(),
            )
        )
    return groups


def _titles(lines: Sequence[Line]) -> tuple[tuple[str, ...], tuple[Source, ...]]:
    out: list[str] = []
    srcs: list[Source] = []
    seen: set[str] = set()
    for line in lines:
        t = _plain(line)
        if not t:
            continue
        m = _ITEM.match(t)
        if not m or m.group(1) in seen:
            break
        seen.add(m.group(1))
        out.append(m.group(2).strip())
        srcs.append(line.src())
    return tuple(out), tuple(srcs)


def _settlement(m: re.Match[str], line: Line, ctx: Context) -> CardSettlement:
    try:
        return CardSettlement(
            budget_current=parse_amount(m.group("bc")),
            spent=parse_amount(m.group("sp")),
            rate=parse_rate(m.group("rate")),
            unit=m.group("u1"),  # type: ignore[arg-type]
            src=line.src(),
        )
    except NumberParseError:
        ctx.add(
            "IMP031",
            Severity.ERROR,
            line,
            "카드 결산 문장의 숫자를 읽지 못했습니다",
            "Cannot read card settlement figures",
            section=2,
        )
        return CardSettlement(src=line.src())


def _attach_notes(drafts: list[_Draft]) -> list[_Draft]:
    """'※ 사고이월액 413백만원 포함' right after a settlement line belongs to that card, not the next."""
    for prev, nxt in zip(drafts, drafts[1:], strict=False):
        first = nxt.lines[0] if nxt.lines else None
        if (
            first is None
            or not (first.text.startswith("※") and "이월" in first.text)
            or prev.settlement is None
        ):
            continue
        nxt.lines.pop(0)
        m = re.search(r"([\d,]+\s*(?:백만원|천원|억원))", first.bare)
        amount = int(parse_quantity(m.group(1)).value // 1_000_000) if m else None
        prev.lines.append(first)
        prev.settlement = prev.settlement.model_copy(
            update={"note": first.bare.lstrip("※ ").strip(), "note_amount": amount}
        )
        meaningful = [
            ln for ln in nxt.lines if ln.bare and not _NUMBER_ONLY.match(ln.bare) and ln.bare != "---"
        ]
        if meaningful:
            nxt.start = meaningful[0]
    return [d for d in drafts if any(ln.bare and not _NUMBER_ONLY.match(ln.bare) for ln in d.lines)]


@dataclass
class _SectionDraft:
    heading: str
    kind: str
    line: Line
    blocks: list[Bullet | TableBlock] = field(default_factory=list)

    def build(self) -> CardSection:
        return CardSection(
            heading=self.heading,
            kind=self.kind,  # type: ignore[arg-type]
            blocks=tuple(self.blocks),
            src=self.line.src(),
        )


def _card(d: _Draft, ctx: Context) -> ProgramCard:
    goal: str | None = None
    sections: list[_SectionDraft] = []
    current: _SectionDraft | None = None
    i = 0
    end = d.settlement.src.line if d.settlement and d.settlement.src.line else 10**9
    body = [ln for ln in d.lines if ln.no < end]
    while i < len(body):
        line = body[i]
        text = line.bare
        i += 1
        if not text or text == "---" or _NUMBER_ONLY.match(text):
            continue
        kind = _section_kind(text)
        if kind and (line.heading_level or len(text) < 40 or "：" in text or ":" in text):
            heading, _, rest = text.partition(":")
            current = _SectionDraft(heading=heading.strip(), kind=kind, line=line)
            sections.append(current)
            if rest.strip():
                current.blocks.append(Bullet(text=rest.strip(), level=0, src=line.src()))
            continue
        if current is None:
            if goal is None and not line.heading_level and not line.is_table:
                goal = text
            elif line.heading_level and _similar(text, d.title):
                continue
            elif goal is None:
                goal = text if not line.is_table else None
            else:
                ctx.unrecognised(line, 2, f"카드 '{d.title}'")
            continue
        if line.is_table:
            rows = [tuple(line.cells)]
            while i < len(body) and body[i].is_table:
                rows.append(tuple(body[i].cells))
                i += 1
            current.blocks.append(TableBlock(rows=tuple(rows), src=line.src()))
        else:
            current.blocks.append(Bullet(text=text, level=_level(line), src=line.src()))
    return ProgramCard(
        group=d.group,
        index=d.index,
        title=d.title,
        goal=goal,
        sections=tuple(s.build() for s in sections),
        settlement=d.settlement,
        src=d.start.src(),
    )


def _section_kind(text: str) -> str | None:
    key = text.replace(" ", "")
    for word, kind in _SECTION_KINDS:
        if word in key[:20]:
            return kind
    return None


def _level(line: Line) -> int:
    raw = line.raw.replace("\t", "  ")
    indent = len(raw) - len(raw.lstrip(" "))
    return indent // 2 + (1 if line.text.startswith(("▶", "- ▶")) and indent == 0 else 0)


def _similar(a: str, b: str) -> bool:
    sa = re.sub(r"[\s「」'‘’\"]", "", a)
    sb = re.sub(r"[\s「」'‘’\"]", "", b)
    return sa == sb or sa in sb or sb in sa
