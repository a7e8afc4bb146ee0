"""Text rules (TEXT0xx): names printed differently across sections, misspellings, unbalanced brackets.

Also home of :func:`passages`, the walk over every piece of prose in a settlement (with its source line)
that the narrative and compliance rules share. Names written letter by letter ("시 민 소 통 담 당 관")
are a layout convention, so division names and the staffing table are never compared.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

from gyeolsan.model import DateText, Finding, Settlement, Severity, Source
from gyeolsan.rules.catalogue import rule
from gyeolsan.rules.context import RuleContext

SECTION_I = "I. 일반현황"
SECTION_II = "II. 주요사업 추진실적"
SECTION_III = "III. 시정권고사항 조치결과"
SECTION_IV = "IV. 세입·세출 결산"

# ----------------------------------------------------------------------------- prose walker


@dataclass(frozen=True)
class Passage:
    """One piece of printed prose: a bullet, a goal, an audit paragraph, a table cell …"""

    text: str
    src: Source | None
    section: str  # Location.section label
    scope: str  # what belongs together: "card:1.3", "audit:1", "revenue", "expenditure", "org"
    origin: str  # bullet | goal | heading | cell | content | action | title | statement | narrative …
    level: int = 0


def _cell_src(src: Source, row: int, text: str) -> Source:
    return src.model_copy(update={"line": src.line + row if src.line else None, "text": text})


def prose(ctx: RuleContext) -> list[Passage]:
    """:func:`passages` of the context's settlement, computed once per run."""
    cached = getattr(ctx, "cached", None)
    if cached is None:
        return list(passages(ctx.settlement))
    return cached("text.passages", lambda: list(passages(ctx.settlement)))  # type: ignore[no-any-return]


def passages(s: Settlement) -> Iterator[Passage]:
    """Every printed sentence of the report once, in document order (duplicate lines skipped)."""
    seen: set[tuple[int | None, str]] = set()
    for p in _all_passages(s):
        key = (p.src.line if p.src else None, p.text)
        if p.text.strip() and key not in seen:
            seen.add(key)
            yield p


def _all_passages(s: Settlement) -> Iterator[Passage]:
    if s.organization:
        for division in s.organization.divisions:
            for team in division.teams:
                for function in team.functions:
                    yield Passage(function, team.src, SECTION_I, "org", "function")
    for table in (s.settlement, s.next_year):
        if table is not None and table.headline is not None:
            yield Passage(table.headline.text, table.headline.src, SECTION_I, "tables", "headline")
    for card in s.cards:
        scope = f"card:{card.group}.{card.index}"
        heading = printed_card_title(card.src, card.title, card.goal)
        if heading:
            yield Passage(heading, card.src, SECTION_II, scope, "title")
        if card.goal:
            yield Passage(card.goal, card.src, SECTION_II, scope, "goal")
        for section in card.sections:
            for block in section.blocks:
                if block.type == "bullet":
                    yield Passage(block.text, block.src, SECTION_II, scope, "bullet", block.level)
                else:
                    for r, row in enumerate(block.rows):
                        for cell in row:
                            yield Passage(cell, _cell_src(block.src, r, cell), SECTION_II, scope, "cell")
    for audit in s.audits:
        scope = f"audit:{audit.number}"
        yield Passage(audit.title, audit.src, SECTION_III, scope, "title")
        for text in audit.content:
            yield Passage(text, audit.src, SECTION_III, scope, "content")
        for text in audit.action:
            yield Passage(text, audit.src, SECTION_III, scope, "action")
    if s.revenue is not None:
        rev = s.revenue
        for h in ((rev.headline,) if rev.headline else ()) + rev.statements:
            yield Passage(h.text, h.src, SECTION_IV, "revenue", "statement")
        for item in rev.items:
            yield Passage(item.src.text or item.name, item.src, SECTION_IV, "revenue", "item")
    if s.expenditure is not None:
        exp = s.expenditure
        heads = [h for h in (exp.headline, exp.unused_headline) if h is not None]
        for h in [*heads, *exp.narrative]:
            yield Passage(h.text, h.src, SECTION_IV, "expenditure", "narrative")
        for reason in exp.unused_reasons:
            yield Passage(reason.reason, reason.src, SECTION_IV, "expenditure", "narrative")
            for unused in reason.items:
                yield Passage(unused.text, unused.src, SECTION_IV, "expenditure", "narrative")
        for adj in exp.adjustments:
            if adj.reason:
                yield Passage(adj.reason, adj.src, SECTION_IV, "expenditure", "adjustment")


_MARKERS = re.compile(r"^[#\s□○■◎●◇◆▶▷\-·ㆍ*]*(?:[①-⑳]\s*)?")


def printed_card_title(src: Source, title: str, goal: str | None) -> str | None:
    """The card's own heading as printed on its first line, if that line is a heading (not the goal)."""
    raw = (src.text or "").strip()
    if not raw or (goal and goal.strip() in raw):
        return None
    text = _MARKERS.sub("", raw).strip()
    if raw.startswith("#") or name_key(text) == name_key(title):
        return text or None
    return None


# ----------------------------------------------------------------------------- dates in prose

_DATE = re.compile(
    r"(?P<full>(?P<Y>(?:19|20)\d{2})\s*(?:년\s*(?P<M1>\d{1,2})\s*월"
    r"|\.\s*(?P<M2>\d{1,2})(?![\d,])\s*(?:\.\s*(?P<D>\d{1,2})(?!\d)\s*\.?|월)))"
    r"|(?P<short>['’‘`]\s*(?P<y>\d{2})\s*(?:년\s*(?P<m1>\d{1,2})\s*월"
    r"|\.\s*(?P<m2>\d{1,2})(?![\d,])(?:\s*\.\s*(?P<d>\d{1,2})(?!\d)\s*\.?|\s*월)?))"
)


@dataclass(frozen=True)
class DateSpan:
    date: DateText
    start: int
    end: int


def dates_in(text: str) -> list[DateSpan]:
    """Dates as printed ("'18. 10월", "'21. 7. 6.", "2019. 4. 9.") with their spans."""
    out = []
    for m in _DATE.finditer(text):
        year = int(m["Y"]) if m["full"] else (1900 if int(m["y"]) >= 50 else 2000) + int(m["y"])
        month = int(m["M1"] or m["M2"] or m["m1"] or m["m2"])
        day_text = m["D"] or m["d"]
        if not 1 <= month <= 12:
            continue
        day = int(day_text) if day_text and 1 <= int(day_text) <= 31 else None
        printed = m.group(0).strip()
        out.append(DateSpan(DateText(text=printed, year=year, month=month, day=day), m.start(), m.end()))
    return out


def month_index(d: DateText) -> int | None:
    return None if d.year is None or d.month is None else d.year * 12 + d.month - 1


# ----------------------------------------------------------------------------- name keys

_QUOTES = "「」『』'\"‘’“”〈〉《》"
_QUOTE_TABLE = str.maketrans("", "", _QUOTES)


def name_key(text: str) -> str:
    """Same name whatever the spacing and quotes: "120 다산콜재단" == "120다산콜재단", 「서울사랑」 == '서울사랑'."""
    return re.sub(r"\s+", "", text).translate(_QUOTE_TABLE).replace("ㆍ", "·")


# ----------------------------------------------------------------------------- TEXT001 program names


@dataclass(frozen=True)
class _Occurrence:
    printed: str
    src: Source
    origin: str  # settlement | next_year | expenditure | adjustment | card_title | card_list


_ORIGIN_LABEL = {
    "settlement": "결산표",
    "next_year": "예산표",
    "expenditure": "IV장 표",
    "adjustment": "조정 기록",
    "card_title": "카드 제목",
    "card_list": "카드 목차",
}
_ORIGIN_SECTION = {
    "settlement": SECTION_I,
    "next_year": SECTION_I,
    "expenditure": SECTION_IV,
    "adjustment": SECTION_IV,
    "card_title": SECTION_II,
    "card_list": SECTION_II,
}
_PROGRAM_KINDS = ("policy", "unit", "detail")


def _program_occurrences(s: Settlement) -> list[_Occurrence]:
    out: list[_Occurrence] = []
    tables = (
        ("settlement", s.settlement),
        ("next_year", s.next_year),
        ("expenditure", s.expenditure.table if s.expenditure else None),
    )
    for origin, table in tables:
        if table is None:
            continue
        for line in table.all_lines():
            if line.kind in _PROGRAM_KINDS and line.src.line:
                out.append(_Occurrence(line.name.strip(), line.src, origin))
    for adj in s.adjustments:
        for name in {adj.from_program, adj.to_program}:
            if name and adj.src.line and name in (adj.src.text or ""):
                out.append(_Occurrence(name, adj.src, "adjustment"))
    for card in s.cards:
        heading = printed_card_title(card.src, card.title, card.goal)
        if heading and card.src.line:
            out.append(_Occurrence(heading, card.src, "card_title"))
    for group in s.card_groups:
        srcs = getattr(group, "title_srcs", ()) or ()  # per-title lines, when the importer records them
        for title, src in zip(group.card_titles, srcs, strict=False):
            if src is not None and src.line:
                out.append(_Occurrence(title.strip(), src, "card_list"))
    return out


def _canonical(occs: list[_Occurrence]) -> str | None:
    """The reference spelling: the settlement table's, else next year's, else a strict majority."""
    for origin in ("settlement", "next_year", "expenditure"):
        names = [o.printed for o in occs if o.origin == origin]
        if names:
            return names[0]
    counts = Counter(o.printed for o in occs).most_common()
    if len(counts) > 1 and counts[0][1] == counts[1][1]:
        return None
    return counts[0][0]


@rule(
    "TEXT001",
    "text",
    Severity.INFO,
    "같은 사업명이 장마다 다르게 표기됨",
    "The same program name is printed differently across sections",
    "결산표(단위사업명)의 표기에 맞추어 띄어쓰기·따옴표를 통일하십시오",
    "예산표의 '120 다산콜재단 운영'이 결산표의 '120다산콜재단 운영'과 띄어쓰기가 다릅니다",
)
def program_name_variants(ctx: RuleContext) -> Iterable[Finding]:
    """Compare program names (tables, card titles and lists, adjustment records) ignoring spaces and quotes."""
    groups: dict[str, list[_Occurrence]] = defaultdict(list)
    for occ in _program_occurrences(ctx.settlement):
        groups[name_key(occ.printed)].append(occ)
    for occs in groups.values():
        if len({o.printed for o in occs}) < 2:
            continue
        canonical = _canonical(occs)
        if canonical is None:
            continue
        reference = [o for o in occs if o.printed == canonical]
        for variant in dict.fromkeys(o.printed for o in occs if o.printed != canonical):
            mine = sorted((o for o in occs if o.printed == variant), key=lambda o: o.src.line or 0)
            where = _ORIGIN_LABEL[mine[0].origin]
            yield ctx.finding(
                "TEXT001",
                mine[0].src,
                f"{where}의 사업명 '{variant}'이(가) 다른 곳의 '{canonical}'과(와) 띄어쓰기·따옴표가 다릅니다",
                f"Program name '{variant}' ({mine[0].origin}) differs in spacing/quotes from '{canonical}'",
                stated=variant,
                expected=canonical,
                related=tuple(o.src for o in mine[1:] + reference),
                section=_ORIGIN_SECTION[mine[0].origin],
                row=canonical,
                field="사업명",
            )


# ----------------------------------------------------------------------------- TEXT002 quoted names

_QUOTED = re.compile(
    r"「(?P<a>[^「」\n]{2,40})」|『(?P<b>[^『』\n]{2,40})』|‘(?P<c>[^‘’\n]{2,40})’|“(?P<d>[^“”\n]{2,40})”"
    r"|'(?!\d)(?P<e>[^'\n]{2,40}?)'|\"(?P<f>[^\"\n]{2,40})\""
)
_HANGUL = re.compile("[가-힣]")


def quoted_names(text: str) -> Iterator[str]:
    """Names written in quotes or corner brackets: 「라이브 서울」, '내 손안에 서울'."""
    for m in _QUOTED.finditer(text):
        inner = next(g for g in m.groups() if g is not None).strip()
        if len(_HANGUL.findall(inner)) >= 2 and len(inner.split()) <= 6 and not re.search(r"[,.:;!?]", inner):
            yield inner


@rule(
    "TEXT002",
    "text",
    Severity.INFO,
    "따옴표로 인용한 같은 명칭의 띄어쓰기가 다름",
    "A quoted name is spaced differently elsewhere",
    "보고서 전체에서 가장 많이 쓰인 표기로 통일하십시오",
    "'내손안에 서울'은 다른 곳에서 '내 손안에 서울'로 표기되었습니다",
)
def quoted_name_variants(ctx: RuleContext) -> Iterable[Finding]:
    """Quoted names (「…」, '…', ‘…’) with the same letters but different spacing; the majority spelling wins."""
    program_keys = {name_key(o.printed) for o in _program_occurrences(ctx.settlement)}
    groups: dict[str, list[tuple[str, Source | None]]] = defaultdict(list)
    sections: dict[int | None, str] = {}
    for p in prose(ctx):
        for inner in quoted_names(p.text):
            key = re.sub(r"\s+", "", inner)
            if key not in program_keys:
                groups[key].append((inner, p.src))
                sections[p.src.line if p.src else None] = p.section
    for occs in groups.values():
        counts = Counter(printed for printed, _ in occs).most_common()
        if len(counts) < 2 or counts[0][1] == counts[1][1]:
            continue  # a tie gives no reference spelling
        canonical = counts[0][0]
        reference = [src for printed, src in occs if printed == canonical]
        for variant, _ in counts[1:]:
            mine = [src for printed, src in occs if printed == variant]
            yield ctx.finding(
                "TEXT002",
                mine[0],
                f"'{variant}'은(는) 다른 곳({len(reference)}회)에서 '{canonical}'(으)로 표기되었습니다",
                f"'{variant}' is written '{canonical}' elsewhere ({len(reference)} times)",
                stated=variant,
                expected=canonical,
                related=tuple(mine[1:] + reference),
                section=sections.get(mine[0].line if mine[0] else None),
                field="명칭",
            )


# ----------------------------------------------------------------------------- TEXT003 misspellings


@dataclass(frozen=True)
class Misspelling:
    wrong: str
    right: str
    why: str
    pattern: str  # regex source: (?P<b>before)wrong(?P<a>after)(?!not_after), compiled on first use
    not_before: str | None = None
    witness: str | None = None  # the correct form printed elsewhere in the report, shown as related

    def find(self, text: str) -> Iterator[tuple[str, str]]:
        """(stated, expected) for every occurrence in ``text``, context included."""
        if self.wrong not in text:  # cheap test first: most entries never occur, nor get compiled
            return
        for m in _compiled(self.pattern).finditer(text):
            if self.not_before is not None and _compiled(self.not_before).search(text[: m.start()]):
                continue
            before, after = m.group("b"), m.group("a")
            yield (before + self.wrong + after).strip(), (before + self.right + after).strip()


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


@cache
def misspellings() -> tuple[Misspelling, ...]:
    """The curated dictionary shipped in ``gyeolsan/rules/data/misspellings.toml``."""
    raw = resources.files("gyeolsan.rules").joinpath("data/misspellings.toml").read_text(encoding="utf-8")
    out = []
    for entry in tomllib.loads(raw)["entry"]:
        before, after = entry.get("before", ""), entry.get("after", "")
        not_after = entry.get("not_after")
        body = f"(?P<b>{before}){re.escape(entry['wrong'])}(?P<a>{after})" + (
            f"(?!{not_after})" if not_after else ""
        )
        not_before = entry.get("not_before")
        out.append(
            Misspelling(
                wrong=entry["wrong"],
                right=entry["right"],
                why=entry["why"],
                pattern=body,
                not_before=f"(?:{not_before})$" if not_before else None,
                witness=entry.get("witness"),
            )
        )
    return tuple(out)


@rule(
    "TEXT003",
    "text",
    Severity.INFO,
    "자주 틀리는 표기(오탈자 사전)",
    "Frequent misspelling (curated dictionary)",
    "사전의 올바른 표기로 고치십시오 (근거는 메시지에 있습니다)",
    "'카카오토리'는 '카카오스토리'의 오기입니다",
)
def misspelling(ctx: RuleContext) -> Iterable[Finding]:
    """Every passage against the curated dictionary (data/misspellings.toml); no network spell-checker."""
    texts = prose(ctx)
    for entry in misspellings():
        for p in texts:
            for stated, expected in entry.find(p.text):
                witnesses = tuple(
                    q.src for q in texts if entry.witness and q is not p and re.search(entry.witness, q.text)
                )
                yield ctx.finding(
                    "TEXT003",
                    p.src,
                    f"'{stated}'은(는) '{expected}'의 오기로 보입니다 ({entry.why})",
                    f"'{stated}' looks like a misspelling of '{expected}'",
                    stated=stated,
                    expected=expected,
                    related=witnesses,
                    section=p.section,
                )


# ----------------------------------------------------------------------------- TEXT004 brackets

_PAIRS = {"「": "」", "『": "』"}
_CLOSERS = {v: k for k, v in _PAIRS.items()}
_PHRASE_START = re.compile(r"[,.:;()<>\[\]「」『』]|\s[-·※▶]\s")


def unbalanced_brackets(text: str) -> Iterator[tuple[str, str]]:
    """(stated, expected) for each 「 without 」 or 」 without 「 in one passage."""
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(text):
        if ch in _PAIRS:
            stack.append((ch, i))
        elif ch in _CLOSERS:
            if stack and stack[-1][0] == _CLOSERS[ch]:
                stack.pop()
                continue
            start = max((m.end() for m in _PHRASE_START.finditer(text, 0, i)), default=0)
            phrase = text[start : i + 1].strip()
            yield phrase, _CLOSERS[ch] + phrase
    for opener, i in stack:
        stop = _PHRASE_START.search(text, i + 1)
        phrase = text[i : stop.start() if stop else len(text)].strip()
        yield phrase, phrase + _PAIRS[opener]


@rule(
    "TEXT004",
    "text",
    Severity.INFO,
    "낫표(「」, 『』)의 짝이 맞지 않음",
    "Unbalanced corner brackets",
    "빠진 여는/닫는 낫표를 넣으십시오",
    "'서울특별시의회 기본 조례」'에 여는 낫표 「가 없습니다",
)
def brackets(ctx: RuleContext) -> Iterable[Finding]:
    """A 「 without its 」 (or the reverse) inside one paragraph, bullet or cell."""
    for p in prose(ctx):
        if "」" not in p.text and "「" not in p.text and "『" not in p.text and "』" not in p.text:
            continue
        for stated, expected in unbalanced_brackets(p.text):
            yield ctx.finding(
                "TEXT004",
                p.src,
                f"'{stated}'에 짝이 맞는 낫표가 없습니다 ('{expected}')",
                f"Unbalanced corner bracket in '{stated}' (expected '{expected}')",
                stated=stated,
                expected=expected,
                section=p.section,
            )
