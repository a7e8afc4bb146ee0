"""Narrative rules (NARR0xx): numbers in prose that must agree with each other.

A total and its parts ("37명" … "배우(9), 가수·음악인(4), …"), a yearly total and its 일평균, print runs
("월 5만부 / 연12회" … "60만부"), "N% 증가" against its two figures, visitor and cumulative totals,
and the same event dated differently in one recommendation.

Be precise rather than clever: a list ending in "등" is not exhaustive (only "parts exceed the total"
is reported), and a rounded figure ("209만명", "1만 4천여명") stands for the whole range it rounds from.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from gyeolsan.model import Bullet, Finding, ProgramCard, Severity, Source
from gyeolsan.model.numbers import Quantity, find_quantities, round_half_up
from gyeolsan.rules.catalogue import rule
from gyeolsan.rules.context import RuleContext
from gyeolsan.rules.text import SECTION_II, SECTION_III, SECTION_IV, dates_in, month_index, name_key

# ----------------------------------------------------------------------------- counts in prose


@dataclass(frozen=True)
class Count:
    """A counted quantity in prose with the interval it stands for (a rounded figure covers a range)."""

    value: Decimal
    unit: str
    scale: Decimal
    approx: bool
    start: int
    end: int
    text: str
    per: str | None = None  # "월", "회당" …: a rate per period or per issue, not an amount
    cumulative: bool = False  # "누적 1,139만명", "(누계 1,135만명)"
    in_paren: bool = False  # the only thing inside "( … )": "배우(9)"

    @property
    def lo(self) -> Decimal:
        return self.value - self.half

    @property
    def hi(self) -> Decimal:
        return self.value + self.half

    @property
    def half(self) -> Decimal:
        return self.scale / 2 if self.scale > 1 else Decimal(0)


_PER = re.compile(r"(?:매월|매회|월|회당|호당|권당|주|하루|1회)\s*$")
_CUMULATIVE = re.compile(r"(?:누적|누계)\s*[^,()/]{0,6}$")
_SKIP_UNITS = {"년", "월", "%", "%p", "분기"}
_COMPATIBLE = {frozenset({"회", "호"})}


@lru_cache(maxsize=8192)
def quantities(text: str) -> tuple[tuple[int, int, Quantity], ...]:
    """``find_quantities`` once per text (several rules read the same sentences)."""
    return tuple(find_quantities(text))


@lru_cache(maxsize=8192)
def counts(text: str) -> tuple[Count, ...]:
    """Counted quantities in ``text``: no dates, years, ordinals (제3회), ranges (7~10건) or names (서울로7017)."""
    dates = [(d.start, d.end) for d in dates_in(text)]
    out: list[Count] = []
    for start, end, q in quantities(text):
        before = text[:start]
        if any(s <= start < e for s, e in dates) or q.unit in _SKIP_UNITS:
            continue
        if before.endswith(("'", "’", "‘", "제", "~", "∼")) or text[end : end + 1] in ("~", "∼", "+"):
            continue
        if q.unit == "" and before[-1:].isalnum():  # glued to a word: 서울로7017, 민선7기
            continue
        if q.unit == "" and re.match(r"\s*[~∼]", text[end:]):
            continue
        per = _PER.search(before)
        paren = bool(re.search(r"\(\s*(?:[^()\d]*\s)?$", before)) and bool(re.match(r"\s*\)", text[end:]))
        out.append(
            Count(
                value=q.value,
                unit=q.unit,
                scale=q.scale,
                approx=q.approx,
                start=start,
                end=end,
                text=q.text,
                per=per.group(0).strip() if per else None,
                cumulative=bool(_CUMULATIVE.search(before)),
                in_paren=paren,
            )
        )
    return tuple(out)


def compatible(unit: str, total_unit: str, *, bare_ok: bool) -> bool:
    return unit == total_unit or (bare_ok and unit == "") or frozenset({unit, total_unit}) in _COMPATIBLE


def plain(value: Decimal) -> str:
    """12345 → "12,345"; 3.5 → "3.5"."""
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value.normalize():,f}"


# ----------------------------------------------------------------------------- splitting prose


def top_level_items(text: str, seps: str = ",/") -> list[tuple[int, int]]:
    """Spans of the comma/slash separated items of ``text`` outside parentheses."""
    spans, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
        elif (
            ch in seps and depth == 0 and not (ch == "," and re.match(r"\d,\d{3}(?!\d)", text[i - 1 : i + 5]))
        ):
            spans.append((start, i))
            start = i + 1
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def matching_paren(text: str, open_at: int) -> int | None:
    depth = 0
    for i in range(open_at, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i
    return None


@dataclass(frozen=True)
class Parts:
    counts: tuple[Count, ...]
    exhaustive: bool  # False when the list ends in "등" (or lists items without a count)

    @property
    def lo(self) -> Decimal:
        return sum((c.lo for c in self.counts), Decimal(0))

    @property
    def hi(self) -> Decimal:
        return sum((c.hi for c in self.counts), Decimal(0))

    @property
    def value(self) -> Decimal:
        return sum((c.value for c in self.counts), Decimal(0))


def _usable(c: Count) -> bool:
    return c.per is None and not c.approx and not c.cumulative


def list_parts(text: str, lo: int, hi: int, unit: str | None, *, whole: bool) -> Parts | None:
    """A list of ≥2 items in ``text[lo:hi]`` that each carry one count: "토론 395회, 행사참여 185회" / "배우(9), 가수(4)".

    ``unit`` — the total's unit (bare numbers in parentheses take it); ``whole`` — every item must count.
    Counts are read on the whole ``text`` so that their context ("월 5만부", "(9)") is kept.
    """
    every = [c for c in counts(text) if _usable(c) and c.unit != "%"]
    found: list[Count] = []
    exhaustive = True
    for a, b in top_level_items(text[lo:hi]):
        s, e = lo + a, lo + b
        item = text[s:e]
        cs = [c for c in every if s <= c.start and c.end <= e]  # "정기 56호·수시 3호": two in one item
        if not cs:
            if whole:
                return None
            exhaustive = False
            continue
        for c in cs:
            target = unit if unit is not None else (found[0].unit if found else c.unit)
            if not compatible(c.unit, target, bare_ok=c.in_paren) or (c.unit == "" and not c.in_paren):
                return None
        found.extend(cs)
        tail = text[cs[-1].end : e]
        if re.match(r"\s*\)?\s*등", tail) or item.rstrip().endswith("등"):
            exhaustive = False
    if len(found) < 2:
        return None
    return Parts(tuple(found), exhaustive)


# ----------------------------------------------------------------------------- totals in one line


@dataclass(frozen=True)
class TotalParts:
    total: Count
    parts: Parts


@lru_cache(maxsize=4096)
def same_line_totals(text: str) -> tuple[TotalParts, ...]:
    """Totals stated with their parts on one line.

    A: "공식 참가작 48편 : 국내 31편, 해외 7편, 시민 10편" (total left of the colon, parts right);
    B: "총 42건 (상설전시 5건, 기획전시 23건, 온라인 14건)" (parts in parentheses after the total);
    C: "토론 395회, 행사참여 185회, 강연 등 총 716회" (parts before "총 N").
    """
    found = [*_colon_totals(text), *_paren_totals(text), *_trailing_totals(text)]
    return tuple({tp.total.start: tp for tp in found}.values())


def _colon_totals(text: str) -> Iterator[TotalParts]:
    colon = _top_level_colon(text)
    if colon is None:
        return
    left = [c for c in counts(text) if _usable(c) and c.end <= colon]
    if len(left) != 1 or left[0].in_paren:
        return
    parts = list_parts(text, colon + 1, len(text), left[0].unit, whole=True)
    if parts is not None:
        yield TotalParts(left[0], parts)


def _top_level_colon(text: str) -> int | None:
    depth = 0
    for i, ch in enumerate(text):
        depth += ch == "("
        depth -= ch == ")"
        if ch in ":：" and depth == 0:
            return i
    return None


def _paren_totals(text: str) -> Iterator[TotalParts]:
    for c in counts(text):
        if not _usable(c) or c.in_paren:
            continue
        m = re.match(r"\s*(?:[가-힣]{1,3}\s*)?\(", text[c.end :])
        if not m:
            continue
        open_at = c.end + m.end() - 1
        close = matching_paren(text, open_at)
        if close is None:
            continue
        parts = list_parts(text, open_at + 1, close, c.unit, whole=True)
        if parts is not None:
            yield TotalParts(c, parts)


def _trailing_totals(text: str) -> Iterator[TotalParts]:
    cs = [c for c in counts(text) if _usable(c) and not c.in_paren and c.unit]
    if not cs:
        return
    total = cs[-1]
    head = text[: total.start]
    marker = re.search(r"(총|등)\s*(?:[가-힣]{1,6}\s*)?$", head)
    if not marker:
        return
    parts = list_parts(text, 0, marker.start(), total.unit, whole=False)
    if parts is not None:
        yield TotalParts(total, Parts(parts.counts, parts.exhaustive and "등" not in head[marker.start() :]))


# ----------------------------------------------------------------------------- card structure


@dataclass(frozen=True)
class Line:
    """A bullet of a card section with its position, for looking at the bullets one level deeper."""

    text: str
    level: int  # -1 for text printed on the section heading line (" 추진실적 : 방문객 209만명 …")
    src: Source


def card_lines(card: ProgramCard) -> list[list[Line]]:
    """Bullets of each section of a card (tables are left out); heading text sits above level 0."""
    out = []
    for section in card.sections:
        bullets = [b for b in section.blocks if isinstance(b, Bullet)]
        heading = section.src.line
        out.append(
            [Line(b.text, -1 if heading and b.src.line == heading else b.level, b.src) for b in bullets]
        )
    return out


def children(lines: Sequence[Line], i: int) -> list[Line]:
    """Direct children (one level deeper) of ``lines[i]``."""
    out = []
    for line in lines[i + 1 :]:
        if line.level <= lines[i].level:
            break
        if line.level == lines[i].level + 1:
            out.append(line)
    return out


def parent(lines: Sequence[Line], i: int) -> Line | None:
    for line in reversed(lines[:i]):
        if line.level < lines[i].level:
            return line
    return None


_TAIL = re.compile(r"^\s*(?:[가-힣·]{1,8}\s*){0,2}(?:\([^()]*\))?\s*$")


def final_totals(text: str) -> list[Count]:
    """Counts that close a line as its total ("… : 37명", "총 268회", "39회 2,947명"), followed by a verb at most."""
    cs = [c for c in counts(text) if _usable(c) and not c.in_paren and c.unit]
    run: list[Count] = []
    for c in reversed(cs):  # the adjacent counts at the end of the line
        if run and text[c.end : run[0].start].strip():
            break
        run.insert(0, c)
    if not run or not _TAIL.match(text[run[-1].end :]):
        return []
    colon = _top_level_colon(text)
    if (colon is not None and run[0].start > colon) or re.search(r"총\s*$", text[: run[0].start]):
        return run
    return []


# ----------------------------------------------------------------------------- NARR001 totals and parts


def _mismatch(total: Count, parts: Parts) -> bool:
    if parts.lo > total.hi:
        return True
    return parts.exhaustive and parts.hi < total.lo


@dataclass(frozen=True)
class PartsProblem:
    src: Source
    total: Count
    parts: Parts
    related: tuple[Source, ...]


def parts_problems(ctx: RuleContext) -> Iterator[PartsProblem]:
    for card in ctx.settlement.cards:
        for lines in card_lines(card):
            for i, line in enumerate(lines):
                own = list(same_line_totals(line.text))
                for tp in own:
                    if not tp.total.approx and _mismatch(tp.total, tp.parts):
                        yield PartsProblem(line.src, tp.total, tp.parts, ())
                if own:
                    continue
                for total in final_totals(line.text):
                    found = _child_parts(lines, i, total)
                    if found is not None and not total.approx and _mismatch(total, found[0]):
                        yield PartsProblem(line.src, total, found[0], found[1])


def _child_parts(lines: Sequence[Line], i: int, total: Count) -> tuple[Parts, tuple[Source, ...]] | None:
    kids = children(lines, i)
    if not kids:
        return None
    first = kids[0]
    if not list(same_line_totals(first.text)) and not re.search(r"(?:^|\s)총\s*\d", first.text):
        listed = list_parts(first.text, 0, len(first.text), total.unit, whole=True)
        if listed is not None:
            return listed, (first.src,)
    if len(kids) < 2:
        return None
    each = []
    for kid in kids:
        cs = [c for c in counts(kid.text) if _usable(c) and compatible(c.unit, total.unit, bare_ok=False)]
        if len(cs) != 1 or not _leads_or_closes(kid.text, cs[0]):
            return None
        each.append(cs[0])
    return Parts(tuple(each), True), tuple(k.src for k in kids)


def _leads_or_closes(text: str, c: Count) -> bool:
    """ "외주(18건) : …" (label and count first) or "환승보도 정비 : 7개소" (count last)."""
    leads = re.match(r"^\s*[^\s:()]{1,12}\s*\(\s*$", text[: c.start]) and re.match(
        r"\s*\)\s*[:：]", text[c.end :]
    )
    closes = _top_level_colon(text) is not None and _TAIL.match(text[c.end :]) is not None
    return bool(leads or closes)


@rule(
    "NARR001",
    "narrative",
    Severity.WARNING,
    "본문의 합계와 내역의 합이 다름",
    "A total stated in prose differs from the sum of its parts",
    "합계 또는 내역 숫자를 확인하십시오 ('등'으로 끝나는 목록은 일부만 나열한 것으로 봅니다)",
    "「서울시 홍보대사」 37명인데 내역은 배우(9)+가수·음악인(4)+방송인(9)+전문가(16)=38명입니다",
)
def total_and_parts(ctx: RuleContext) -> Iterable[Finding]:
    """A total ("830개소", "총 716회") against its parts on the same line or in the bullets just below."""
    for p in parts_problems(ctx):
        terms = "+".join(plain(c.value) for c in p.parts.counts)
        total = p.total
        if p.parts.exhaustive:
            msg = (
                f"합계 {total.text}이(가) 내역의 합 {terms}={plain(p.parts.value)}{total.unit}과(와) 다릅니다"
            )
            msg_en = (
                f"The total {total.text} differs from the sum of its parts {terms} = {plain(p.parts.value)}"
            )
        else:
            msg = f"일부만 나열한 내역({terms}={plain(p.parts.value)}{total.unit})이 합계 {total.text}보다 많습니다"
            msg_en = f"The listed parts ({terms} = {plain(p.parts.value)}) exceed the total {total.text}"
        yield ctx.finding(
            "NARR001",
            p.src,
            msg,
            msg_en,
            stated=plain(total.value),
            expected=plain(p.parts.value) if p.parts.exhaustive else None,
            difference=plain(total.value - p.parts.value),
            related=p.related,
            section=SECTION_II,
            field=total.text,
        )


# ----------------------------------------------------------------------------- NARR002 일평균


_DAILY = re.compile(r"(?:일\s*평균|하루\s*평균|1일\s*평균)[^,/()\d]{0,8}$")
_NOT_WHOLE_YEAR = re.compile(r"운영일|개관일|평일|근무일|영업일|주말|\d+\s*일간|~\s*['’]?\d")


def days_in_year(year: int) -> int:
    return 366 if (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 else 365


@rule(
    "NARR002",
    "narrative",
    Severity.WARNING,
    "연간 합계와 일평균이 맞지 않음",
    "Yearly total and daily average do not agree",
    "연간 합계 ÷ 일수(365)를 다시 계산하십시오. 운영일 기준이면 그렇게 밝히십시오",
    "방문객 209만명 ÷ 365일 = 5,726명인데 일평균 5,706명으로 적혀 있습니다",
)
def daily_average(ctx: RuleContext) -> Iterable[Finding]:
    """ "총 1,863,979건 / 일평균 5,107건": the average × the days of the fiscal year must give the total."""
    days = days_in_year(ctx.settlement.meta.fiscal_year)
    for card in ctx.settlement.cards:
        for lines in card_lines(card):
            for line in lines:
                yield from _daily(ctx, line, days)


def _daily(ctx: RuleContext, line: Line, days: int) -> Iterator[Finding]:
    text = line.text
    if _NOT_WHOLE_YEAR.search(text):
        return
    cs = counts(text)
    for k, avg in enumerate(cs):
        if not _DAILY.search(text[: avg.start]) or avg.approx:
            continue
        totals = [c for c in cs[:k] if c.unit == avg.unit and _usable(c) and c.unit]
        if not totals:
            continue
        total = totals[-1]
        if round_half_up(total.lo / days, 0) <= avg.hi and avg.lo <= round_half_up(total.hi / days, 0):
            continue
        expected = round_half_up(total.value / days, 0)
        yield ctx.finding(
            "NARR002",
            line.src,
            f"{total.text} ÷ {days}일 = {plain(expected)}{avg.unit}인데 일평균 {avg.text}(으)로 적혀 있습니다"
            + (
                f" ({total.text}은(는) {plain(total.lo)}~{plain(total.hi)} 범위로 보아도 맞지 않음)"
                if total.half
                else ""
            ),
            f"{total.text} over {days} days is {plain(expected)} per day, but the text says {avg.text}",
            stated=plain(avg.value),
            expected=plain(expected),
            difference=plain(avg.value - expected),
            section=SECTION_II,
            field="일평균",
        )


# ----------------------------------------------------------------------------- NARR003 print runs


@dataclass(frozen=True)
class Run:
    per_issue: Count
    issues: Count


def print_runs(text: str) -> Iterator[tuple[Run, Count | None]]:
    """(per issue × issues, the total on the same line if any): "72만부(월6만부×12회)", "회당 33만부 / 연9회"."""
    cs = counts(text)
    for k, c in enumerate(cs):
        if c.unit not in ("부", "매", "권") or c.per is None:
            continue
        issues = next((d for d in cs[k + 1 : k + 2] if d.unit in ("회", "호")), None)
        if issues is None:
            continue
        total = next((d for d in reversed(cs[:k]) if d.unit == c.unit and d.per is None), None)
        yield Run(c, issues), total


@rule(
    "NARR003",
    "narrative",
    Severity.WARNING,
    "발행부수(1회 부수 × 횟수)와 합계가 다름",
    "Print run (copies per issue × issues) differs from the stated total",
    "1회 발행부수 × 발행횟수를 다시 계산하십시오",
    "서울사랑 60만부 배부인데 월 5만부 × 연13회 = 65만부입니다",
)
def print_run(ctx: RuleContext) -> Iterable[Finding]:
    """ "월 5만부 / 연12회" under "60만부 배부", or "72만부(월6만부×12회)" on one line."""
    for card in ctx.settlement.cards:
        for lines in card_lines(card):
            for i, line in enumerate(lines):
                for run, total in print_runs(line.text):
                    where = line.src
                    related: tuple[Source, ...] = ()
                    if total is None:
                        up = parent(lines, i)
                        cands = [c for c in counts(up.text) if c.unit == run.per_issue.unit] if up else []
                        if not cands or up is None:
                            continue
                        total, where, related = cands[-1], up.src, (line.src,)
                    product = run.per_issue.value * run.issues.value  # a nominal run ("월 5만부") is exact
                    if total.approx or total.lo <= product <= total.hi:
                        continue
                    yield ctx.finding(
                        "NARR003",
                        where,
                        f"{run.per_issue.text} × {run.issues.text} = {plain(product)}{total.unit}인데 "
                        f"{total.text}(으)로 적혀 있습니다",
                        f"{run.per_issue.text} x {run.issues.text} = {plain(product)}, but the total says {total.text}",
                        stated=plain(total.value),
                        expected=plain(product),
                        difference=plain(total.value - product),
                        related=related,
                        section=SECTION_II,
                        field="발행부수",
                    )


# ----------------------------------------------------------------------------- NARR004 N% 증가


_CHANGE = re.compile(r"대비\s*(?:[^\d,()]{0,10})?$")


@rule(
    "NARR004",
    "narrative",
    Severity.WARNING,
    "증감률이 두 수치와 맞지 않음",
    "A stated percentage change does not match its two figures",
    "(당해 − 전년) ÷ 전년 × 100을 다시 계산하십시오",
    "25,617건 ('17년 10,326건 대비 148% 증가): (25,617−10,326)÷10,326 = 148.1%",
)
def percent_change(ctx: RuleContext) -> Iterable[Finding]:
    """ "25,617건 ('17년 10,326건 대비 148% 증가)": (current − base) ÷ base × 100 at the printed precision."""
    for card in ctx.settlement.cards:
        for lines in card_lines(card):
            for line in lines:
                yield from _percent(ctx, line)


def _percent(ctx: RuleContext, line: Line) -> Iterator[Finding]:
    text = line.text
    percents = [(s, e, q) for s, e, q in quantities(text) if q.unit == "%"]
    cs = counts(text)
    for start, end, pct in percents:
        word = re.match(r"\s*(증가|감소|늘|줄|상승|하락)", text[end:])
        if not word or not _CHANGE.search(text[:start]):
            continue
        base = next((c for c in reversed(cs) if c.end <= start and _usable(c)), None)
        if base is None or not re.search(r"대비", text[base.end : start]):
            continue
        current = next(
            (c for c in reversed(cs) if c.end <= base.start and c.unit == base.unit and _usable(c)), None
        )
        if current is None or base.value == 0:
            continue
        sign = -1 if word.group(1) in ("감소", "줄", "하락") else 1
        places = max(0, -pct.scale.as_tuple().exponent)  # type: ignore[operator]
        lo = (current.lo - base.hi) / base.hi * 100 * sign
        hi = (current.hi - base.lo) / base.lo * 100 * sign
        lo, hi = min(lo, hi), max(lo, hi)
        if round_half_up(lo, places) <= pct.value <= round_half_up(hi, places):
            continue
        computed = round_half_up((current.value - base.value) / base.value * 100 * sign, places)
        yield ctx.finding(
            "NARR004",
            line.src,
            f"{base.text} 대비 {current.text}은(는) {computed}% {word.group(1)}인데 {pct.text}(으)로 적혀 있습니다",
            f"From {base.text} to {current.text} is {computed}%, but the text says {pct.text}",
            stated=plain(pct.value),
            expected=str(computed),
            difference=str(pct.value - computed),
            section=SECTION_II,
            field="증감률",
        )


# ----------------------------------------------------------------------------- NARR005 visitors


_VISITORS = ("방문객", "관람객", "이용객", "방문자", "이용자", "참여자", "관객")
_NEW = re.compile(r"개관|개장|신규|신설|개소|출범")


def _visitor_counts(text: str) -> tuple[Count | None, Count | None]:
    """(the year's visitors, the cumulative visitors) stated in ``text`` after a visitor word."""
    word = re.search("|".join(_VISITORS), text)
    if not word:
        return None, None
    cs = [c for c in counts(text) if c.start > word.start() and c.unit == "명" and c.per is None]
    year = next((c for c in cs if not c.cumulative and not _DAILY.search(text[: c.start])), None)
    cumulative = next((c for c in cs if c.cumulative), None)
    return year, cumulative


@rule(
    "NARR005",
    "narrative",
    Severity.WARNING,
    "방문객 합계(또는 누적)와 시설별 방문객 합이 다름",
    "Visitor total (or cumulative total) differs from the sum per venue",
    "시설별 방문객과 합계·누계를 다시 계산하십시오 (만명 단위 반올림은 허용)",
    "방문객 209만명 = 시청 204만명 + 삼각산 45,326명",
)
def visitor_totals(ctx: RuleContext) -> Iterable[Finding]:
    """A line with "방문객 N" followed by lines with "방문객 M" per venue: ΣM ≈ N; likewise 누적/누계."""
    for card in ctx.settlement.cards:
        for lines in card_lines(card):
            for i, line in enumerate(lines):
                total, total_cum = _visitor_counts(line.text)
                if total is None or total.approx:
                    continue
                parts = []
                for j in range(i + 1, len(lines)):
                    if lines[j].level <= line.level:
                        break
                    year, cum = _visitor_counts(lines[j].text)
                    if year is not None:
                        parts.append((lines[j], j, year, cum))
                if len(parts) < 2:
                    continue
                yield from _visitor_findings(ctx, lines, line, total, total_cum, parts)


def _visitor_findings(ctx, lines, line, total, total_cum, parts) -> Iterator[Finding]:  # type: ignore[no-untyped-def]
    related = tuple(p[0].src for p in parts)
    year_parts = Parts(tuple(p[2] for p in parts), True)
    if _mismatch(total, year_parts):
        yield _visitor_finding(ctx, line, total, year_parts, related, "방문객")
    if total_cum is None:
        return
    cum = []
    for part_line, j, year, c in parts:
        if c is not None:
            cum.append(c)
            continue
        up = parent(lines, j)
        if not (_NEW.search(part_line.text) or (up is not None and _NEW.search(up.text))):
            return  # a venue without a cumulative figure that did not open this year: cannot tell
        cum.append(year)
    cum_parts = Parts(tuple(cum), True)
    if _mismatch(total_cum, cum_parts):
        yield _visitor_finding(ctx, line, total_cum, cum_parts, related, "누적 방문객")


def _visitor_finding(ctx, line, total, parts, related, what) -> Finding:  # type: ignore[no-untyped-def]
    terms = " + ".join(c.text for c in parts.counts)
    return ctx.finding(
        "NARR005",
        line.src,
        f"{what} {total.text}이(가) 시설별 합계 {terms} = {plain(parts.value)}명과 맞지 않습니다",
        f"{what}: {total.text} differs from the venues' sum {terms} = {plain(parts.value)}",
        stated=plain(total.value),
        expected=plain(parts.value),
        difference=plain(total.value - parts.value),
        related=related,
        section=SECTION_II,
        field=what,
    )


# ----------------------------------------------------------------------------- NARR006 event dates


_EVENT = "보고"


def _dated_reports(text: str) -> list[tuple[int, str]]:
    """(month index, printed date) of each "<date> … 보고" in ``text`` (the 전용일 itself excluded)."""
    out = []
    spans = dates_in(text)
    for k, span in enumerate(spans):
        stop = spans[k + 1].start if k + 1 < len(spans) else len(text)
        tail = text[span.end : min(stop, span.end + 20)]
        if "전용일" in text[max(0, span.start - 6) : span.start] or not re.match(r"[^.。]*?" + _EVENT, tail):
            continue
        idx = month_index(span.date)
        if idx is not None:
            out.append((idx, span.date.text))
    return out


@rule(
    "NARR006",
    "narrative",
    Severity.ERROR,
    "같은 항목에서 같은 일의 날짜가 다르게 적힘",
    "The same event is dated differently within one item",
    "같은 시정권고 항목 안에서 보고 시기를 하나로 맞추십시오",
    "내용란에는 '18. 10월 보고, 추진현황에는 '18. 11월 보고로 적혀 있습니다",
)
def event_dated_differently(ctx: RuleContext) -> Iterable[Finding]:
    """In one recommendation (내용 + 추진현황), the dates given for the same report must agree."""
    for audit in ctx.settlement.audits:
        content = [d for text in audit.content for d in _dated_reports(text)]
        action = [d for text in audit.action for d in _dated_reports(text)]
        mentions = content + action
        if len({idx for idx, _ in mentions}) < 2:
            continue
        votes = Counter(idx for idx, _ in mentions).most_common()
        if votes[0][1] > votes[1][1]:
            right = votes[0][0]
            severity = None
        else:  # a tie: the department's own account (추진현황) is the reference
            right = action[0][0] if action else votes[0][0]
            severity = Severity.WARNING
        printed = next(text for idx, text in mentions if idx == right)
        for idx, text in dict(mentions).items():
            if idx == right:
                continue
            yield ctx.finding(
                "NARR006",
                audit.src,
                f"시정권고 {audit.number}({audit.title})에서 보고 시기가 {text}와(과) {printed}(으)로 다르게 적혀 있습니다",
                f"Recommendation {audit.number} dates the same report both {text} and {printed}",
                severity=severity,
                stated=text,
                expected=printed,
                section=SECTION_III,
                row=audit.title,
                field="보고일",
            )


# ----------------------------------------------------------------------------- NARR007 cumulative period


_CUM_PERIOD = re.compile(r"(?:누적|누계)[^()]{0,12}\(([^()]*[~∼-][^()]*)\)")


@rule(
    "NARR007",
    "narrative",
    Severity.WARNING,
    "누적 실적의 기간이 회계연도 중간에 끝나지만 당해 연간 실적을 포함함",
    "A cumulative figure's period ends mid-year although it includes the whole year's figures",
    "누적 기간의 끝(예: '18.12월)을 확인하십시오",
    "누적 상담실적('15.7월~'18.2월) 487회 44,653건은 '18년 연간 실적 159회 25,617건을 포함하므로 '18.12월까지로 보입니다",
)
def cumulative_period(ctx: RuleContext) -> Iterable[Finding]:
    """ "누적('15.7월~'18.2월) : 487회 44,653건" next to the year's "159회 25,617건": the period must reach December."""
    fy = ctx.settlement.meta.fiscal_year
    for card in ctx.settlement.cards:
        for lines in card_lines(card):
            for i, line in enumerate(lines):
                m = _CUM_PERIOD.search(line.text)
                if not m:
                    continue
                period = dates_in(m.group(1))
                if not period or period[-1].date.year != fy or (period[-1].date.month or 12) >= 12:
                    continue
                end = period[-1].date
                cum = [c for c in counts(line.text[m.end() :]) if _usable(c) and c.unit]
                year_line = _year_figures(lines, i, {c.unit for c in cum})
                if not cum or year_line is None:
                    continue
                annual: dict[str, Count] = {}
                for c in counts(year_line.text):
                    if _usable(c):
                        annual.setdefault(c.unit, c)
                if not all(c.unit in annual and c.value >= annual[c.unit].value for c in cum):
                    continue
                expected = (
                    re.sub(r"(\d{1,2})(\s*월)$", r"12\2", end.text) if end.text.endswith("월") else None
                )
                yield ctx.finding(
                    "NARR007",
                    line.src,
                    f"누적 실적({m.group(1)})이 {end.text}에 끝나지만 {fy}년 연간 실적"
                    f"({', '.join(c.text for c in annual.values())})보다 크거나 같아 연말까지의 누계로 보입니다",
                    f"The cumulative figures ({m.group(1)}) stop at {end.text} but include the whole {fy} figures",
                    stated=end.text,
                    expected=expected or f"'{fy % 100:02d}.12월",
                    related=(year_line.src,),
                    section=SECTION_II,
                    field="누적 기간",
                )


def _year_figures(lines: Sequence[Line], i: int, units: set[str]) -> Line | None:
    """The nearest earlier line in the same group stating figures in all of ``units``."""
    for line in reversed(lines[:i]):
        if line.level < lines[i].level - 1:
            break
        if units and units <= {c.unit for c in counts(line.text) if _usable(c)}:
            return line
    return None


# ----------------------------------------------------------------------------- NARR008 revenue items


@rule(
    "NARR008",
    "narrative",
    Severity.WARNING,
    "세입 징수내역의 합이 항목 금액과 다름",
    "Revenue collection items do not add up to their category",
    "징수내역(▶ 항목)과 항목 금액을 다시 확인하십시오 ('등'으로 끝나면 일부만 나열한 것으로 봅니다)",
    "임시적세외수입 6,675,430천원 = 6,658,456 + 16,974",
)
def revenue_items(ctx: RuleContext) -> Iterable[Finding]:
    """ "임시적세외수입은 6,675,430천원" and its "▶" items: the items add up (unless the list says "등")."""
    rev = ctx.settlement.revenue
    if rev is None:
        return
    heads = [it for it in rev.items if it.category is None and it.amount is not None]
    for head in heads:
        items = [it for it in rev.items if it.category == head.name and it.amount is not None]
        if len(items) < 2:
            continue
        total = sum(it.amount or 0 for it in items)
        # without the printed lines (canonical JSON) a trailing "등" cannot be seen: only an excess is sure
        printed = all(it.src.text for it in items)
        partial = not printed or any(re.search(r"등\s*$", (it.src.text or "").strip()) for it in items)
        if total == head.amount or (partial and total <= (head.amount or 0)):
            continue
        yield ctx.finding(
            "NARR008",
            head.src,
            f"{head.name} {head.amount:,}{rev.unit}이(가) 징수내역의 합 {total:,}{rev.unit}과(와) 다릅니다",
            f"{head.name} {head.amount:,} differs from the sum of its items {total:,}",
            stated=f"{head.amount:,}",
            expected=None if partial else f"{total:,}",
            difference=f"{(head.amount or 0) - total:,}",
            related=tuple(it.src for it in items),
            section=SECTION_IV,
            row=head.name,
            field="징수내역",
        )


# ----------------------------------------------------------------------------- NARR009 revenue statements

_AMOUNT = re.compile(r"([\d,]+)\s*천원")


def _amount(text: str) -> int | None:
    m = _AMOUNT.search(text)
    return int(m.group(1).replace(",", "")) if m and m.group(1).replace(",", "").isdigit() else None


@rule(
    "NARR009",
    "narrative",
    Severity.WARNING,
    "세입 징수내역 문장의 금액이 세입결산표와 다름",
    "A revenue sentence states an amount that differs from the revenue table",
    "징수내역 문장의 금액을 세입결산표의 수납액과 맞추십시오",
    "'경상적세외수입은 223,830천원'이지만 세입결산표의 수납액은 223,803천원입니다",
)
def revenue_statements(ctx: RuleContext) -> Iterable[Finding]:
    """ "경상적세외수입은 223,830천원 이며" names a revenue row: the amount is its 수납액 (or 징수결정액)."""
    rev = ctx.settlement.revenue
    if rev is None:
        return
    rows = {name_key(line.name): line for line in rev.all_lines() if line.kind != "total"}
    total = next((line for line in rev.lines if line.kind == "total"), None)
    texts = [(h.text, h.src) for h in rev.statements] + [
        (it.src.text or it.name, it.src) for it in rev.items if it.category is None
    ]
    seen: set[int | None] = set()
    for text, where in texts:
        if where.line in seen:
            continue
        seen.add(where.line)
        head = re.match(r"^[\s\-▶·※]*([^\d,()]+?)\s*(?:은|는|이|가)?\s*[\d,]+\s*천원", text)
        line = rows.get(name_key(head.group(1))) if head else None
        stated = _amount(text)
        uncollected = re.search(r"미수납액\s*([\d,]+)\s*천원", text)
        if line is None and uncollected and total is not None and total.uncollected is not None:
            stated = int(uncollected.group(1).replace(",", ""))
            if stated != total.uncollected:
                yield _revenue_finding(ctx, where, "미수납액", stated, total.uncollected, total.src)
            continue
        if line is None or stated is None or line.received is None:
            continue
        if stated in (line.received, line.levied):
            continue
        yield ctx.finding(
            "NARR009",
            where,
            f"'{line.name}' 금액 {stated:,}{rev.unit}이(가) 세입결산표의 수납액 {line.received:,}{rev.unit}과(와) 다릅니다",
            f"'{line.name}' is stated as {stated:,} but the revenue table receives {line.received:,}",
            stated=f"{stated:,}",
            expected=f"{line.received:,}",
            difference=f"{stated - line.received:,}",
            related=(line.src,),
            section=SECTION_IV,
            row=line.name,
            field="수납액",
        )


def _revenue_finding(ctx, where, what, stated, expected, table_src) -> Finding:  # type: ignore[no-untyped-def]
    unit = ctx.settlement.revenue.unit
    return ctx.finding(
        "NARR009",
        where,
        f"{what} {stated:,}{unit}이(가) 세입결산표의 {expected:,}{unit}과(와) 다릅니다",
        f"{what} is stated as {stated:,} but the revenue table gives {expected:,}",
        stated=f"{stated:,}",
        expected=f"{expected:,}",
        difference=f"{stated - expected:,}",
        related=(table_src,),
        section=SECTION_IV,
        field=what,
    )


# ----------------------------------------------------------------------------- NARR010 adjustment sentences

_SCALE = re.compile(r"총\s*(\d+)\s*건\s*,?\s*([\d,]+)\s*천원")


@rule(
    "NARR010",
    "narrative",
    Severity.WARNING,
    "예산 변경 문장의 건수·금액이 【】 요약과 다름",
    "The sentence under a 【…】 heading differs from the heading's count or amount",
    "'…규모는 총 N건, M천원' 문장과 【】 요약의 건수·금액을 맞추십시오",
    "【예산 전용】 1건 53,660천원인데 문장은 '총 2건, 53,660천원'",
)
def adjustment_sentences(ctx: RuleContext) -> Iterable[Finding]:
    """ "이체규모는 총 5건, 1,281,089천원으로" must repeat the 【예산 이체】 heading's count and amount."""
    exp = ctx.settlement.expenditure
    if exp is None:
        return
    heads = sorted((s for s in exp.summaries if s.src.line and not s.none), key=lambda s: s.src.line or 0)
    for sentence in exp.narrative:
        m = _SCALE.search(sentence.text)
        line = sentence.src.line
        above = [s for s in heads if line and (s.src.line or 0) < line]
        if not m or not above:
            continue
        head = above[-1]
        count, amount = int(m.group(1)), int(m.group(2).replace(",", ""))
        for field, stated, expected in (("건수", count, head.count), ("금액", amount, head.amount)):
            if expected is None or stated == expected:
                continue
            yield ctx.finding(
                "NARR010",
                sentence.src,
                f"문장의 {head.kind} {field} {stated:,}이(가) 【】 요약의 {expected:,}과(와) 다릅니다",
                f"The sentence gives {stated:,} ({field}) but the {head.kind} heading gives {expected:,}",
                stated=f"{stated:,}",
                expected=f"{expected:,}",
                difference=f"{stated - expected:,}",
                related=(head.src,),
                section=SECTION_IV,
                row=head.kind,
                field=field,
            )


# ----------------------------------------------------------------------------- NARR011 the year


def _year_mentions(ctx: RuleContext) -> Iterator[tuple[Source, str, int, int, str]]:
    """(where, as printed, the year printed, the year it should be, the report section)."""
    s = ctx.settlement
    fy = s.meta.fiscal_year
    texts: list[tuple[str, Source]] = []
    if s.revenue is not None:
        texts += [(h.text, h.src) for h in ((s.revenue.headline,) if s.revenue.headline else ())]
    if s.expenditure is not None:
        texts += [(h.text, h.src) for h in ((s.expenditure.headline,) if s.expenditure.headline else ())]
    for text, where in texts:
        for m in re.finditer(r"((?:19|20)\d{2})\s*회계\s*연도", text):
            yield where, m.group(0), int(m.group(1)), fy, SECTION_IV
    for card in s.cards:
        st = card.settlement
        year = re.search(r"['’‘](\d{2})\s*년\s*결산", st.src.text or "") if st else None
        if st is not None and year:
            yield st.src, year.group(0), 2000 + int(year.group(1)), fy, SECTION_II
        for section in card.sections:
            heading = re.search(r"['’‘](\d{2})\s*년\s*(추진실적|추진계획)", section.heading)
            if heading:
                want = fy + (1 if heading.group(2) == "추진계획" else 0)
                yield section.src, heading.group(0), 2000 + int(heading.group(1)), want, SECTION_II


@rule(
    "NARR011",
    "narrative",
    Severity.WARNING,
    "본문의 연도가 회계연도와 맞지 않음",
    "A year in the text does not match the fiscal year",
    "전년도 보고서에서 옮겨 온 연도가 남아 있는지 확인하십시오",
    "2018 회계연도 보고서에 '2017 회계연도 세출 예산현액은 …'이라고 적혀 있습니다",
)
def fiscal_year_in_text(ctx: RuleContext) -> Iterable[Finding]:
    """ "2018 회계연도" in section IV, "'18년 결산" on cards, "'18년 추진실적"/"'19년 추진계획" headings."""
    for where, printed, year, want, section in _year_mentions(ctx):
        if year == want:
            continue
        yield ctx.finding(
            "NARR011",
            where,
            f"'{printed}'의 연도 {year}이(가) {want}이어야 합니다 (회계연도 {ctx.settlement.meta.fiscal_year})",
            f"'{printed}' says {year}; it should be {want} (fiscal year {ctx.settlement.meta.fiscal_year})",
            stated=str(year),
            expected=str(want),
            section=section,
            field="연도",
        )


# ----------------------------------------------------------------------------- NARR012 전용 amount in III


@rule(
    "NARR012",
    "narrative",
    Severity.WARNING,
    "시정권고 조치결과의 전용 금액이 IV장 전용 내역과 다름",
    "The transfer amount in a recommendation differs from the section IV record",
    "III장 조치결과와 IV장 예산 전용 내역의 금액을 맞추십시오",
    "조치결과는 '전용(53,660천원)'인데 IV장 전용은 53,606천원입니다",
)
def transfer_amount_in_recommendation(ctx: RuleContext) -> Iterable[Finding]:
    """ "사무관리비를 시설비로 전용(53,660천원)한 것으로" against the 전용 records of section IV."""
    records = [a for a in ctx.settlement.adjustments if a.kind == "전용" and a.amount is not None]
    if not records:
        return
    amounts = {a.amount or 0 for a in records}
    for audit in ctx.settlement.audits:
        for text in (*audit.content, *audit.action):
            for m in re.finditer(r"전용\s*\(\s*([\d,]+)\s*천원\s*\)", text):
                stated = int(m.group(1).replace(",", ""))
                if stated in amounts:
                    continue
                expected = records[0].amount if len(records) == 1 else None
                yield ctx.finding(
                    "NARR012",
                    audit.src,
                    f"시정권고 {audit.number}의 전용 금액 {stated:,}천원이 IV장 전용 내역"
                    f"({', '.join(f'{a:,}' for a in sorted(amounts))}천원)과 다릅니다",
                    f"Recommendation {audit.number} gives a transfer of {stated:,}; section IV lists "
                    f"{', '.join(f'{a:,}' for a in sorted(amounts))}",
                    stated=f"{stated:,}",
                    expected=f"{expected:,}" if expected is not None else None,
                    related=tuple(a.src for a in records),
                    section=SECTION_III,
                    row=audit.title,
                    field="전용 금액",
                )
