"""Placeholders: prose that refers to the data, so that it cannot disagree with the tables.

Card bullets, section IV sentences and headlines are stored as text in the model's own text fields;
a figure that comes from the data is written as a reference and printed from the computed value::

    {SUBJECT.FIELD}            {total.budget_current:억원}    → 486억원
    {SUBJECT.FIELD:FORMAT}     {program:시민청 운영 및 확산.spent:백만원} → 3,395백만원
    {FIELD:FORMAT}             (inside a card: the card itself)  {spent:백만원}
    {{ and }}                  literal braces

SUBJECT (Korean aliases in brackets):
    total [합계], business [사업예산], basic [기본경비]       roots of the settlement table
    program:NAME [사업:NAME], division:NAME [부서:NAME]      a row of the settlement table
    expenditure [세출], expenditure:NAME                    section IV 부서별 table (총계 / a division)
    next [다음연도], next:NAME                               next year's budget table (합계 / a row)
    revenue [세입], revenue:NAME                             the revenue table (합계 / a row)
    card [카드], card:G-I                                    the current card / card I of group G
    이용 전용 변경사용 이체 이월, 이체#N                        adjustments of a kind / the N-th record
    집행잔액, 집행잔액#N                                       total unused / the N-th reason
    org [조직], staff [인력]                                  counts of divisions, teams; 정원/현원
FIELD: budget [예산액], budget_current [예산현액], spent [집행액], rate [집행률], unused [집행잔액],
    carried [이월액], previous [전년], current [당해], change [증감], change_rate [증감률],
    levied [징수결정액], received [수납액], written_off [불납결손액], uncollected [미수납액],
    count [건수], amount [금액, 합계], share [비율], divisions [부서수], teams [팀수], quota [정원]
FORMAT: 원 천원 백만원 억원 억백만원 (money with its unit: "544억 38백만원"), 수 (number only, in the
    table unit), 0–4 (decimal places of a rate). Default: money in its own unit with the unit word,
    rates with 1 place (증감률 2), counts as integers.

A reference to something that does not exist yields a located finding ``REF001`` (printed as written).
:func:`templatize` turns the figures of existing prose into references where they match the data
(``REF002`` when a figure of a data sentence differs from the data, ``REF003`` when it cannot be linked).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from gyeolsan.model import (
    AdjustmentSummary,
    BudgetLine,
    CardSettlement,
    ChangeLine,
    Finding,
    Headline,
    Location,
    ProgramCard,
    RevenueLine,
    Settlement,
    Severity,
    Source,
)
from gyeolsan.model import Figure as StatedFigure
from gyeolsan.model.numbers import (
    UNIT_FACTOR,
    Quantity,
    Unit,
    find_quantities,
    format_eok_baekman,
    format_money,
    format_number,
    format_rate,
)
from gyeolsan.report import compute
from gyeolsan.report.compute import key

TOKEN = re.compile(r"\{\{|\}\}|\{([^{}\n]{1,200})\}")
KINDS = ("이용", "전용", "변경사용", "이체", "이월")
FIELDS: dict[str, str] = {
    "budget": "budget",
    "예산액": "budget",
    "budget_current": "budget_current",
    "예산현액": "budget_current",
    "spent": "spent",
    "집행액": "spent",
    "rate": "rate",
    "집행률": "rate",
    "unused": "unused",
    "집행잔액": "unused",
    "carried": "carried",
    "이월액": "carried",
    "previous": "previous",
    "전년": "previous",
    "current": "current",
    "당해": "current",
    "현원": "current",
    "change": "change",
    "증감": "change",
    "change_rate": "change_rate",
    "증감률": "change_rate",
    "levied": "levied",
    "징수결정액": "levied",
    "received": "received",
    "수납액": "received",
    "written_off": "written_off",
    "불납결손액": "written_off",
    "uncollected": "uncollected",
    "미수납액": "uncollected",
    "count": "count",
    "건수": "count",
    "amount": "amount",
    "금액": "amount",
    "합계": "amount",
    "share": "share",
    "비율": "share",
    "divisions": "divisions",
    "부서수": "divisions",
    "teams": "teams",
    "팀수": "teams",
    "quota": "quota",
    "정원": "quota",
}
SUBJECTS: dict[str, str] = {
    "total": "total",
    "합계": "total",
    "business": "business",
    "사업예산": "business",
    "basic": "basic",
    "기본경비": "basic",
    "program": "program",
    "사업": "program",
    "division": "division",
    "부서": "division",
    "expenditure": "expenditure",
    "세출": "expenditure",
    "next": "next",
    "다음연도": "next",
    "revenue": "revenue",
    "세입": "revenue",
    "card": "card",
    "카드": "card",
    "org": "org",
    "조직": "org",
    "staff": "staff",
    "인력": "staff",
    "집행잔액": "집행잔액",
    **{k: k for k in KINDS},
}
MONEY_FORMATS = ("원", "천원", "백만원", "억원", "억백만원", "수")
RATE_FIELDS = {"rate": 1, "change_rate": 2, "share": 1}
COUNT_FIELDS = {"count", "divisions", "teams", "quota", "current_staff"}


# ----------------------------------------------------------------------------- syntax


@dataclass(frozen=True)
class Ref:
    """A parsed reference ``{subject:name#index.field:fmt}``."""

    field: str
    subject: str | None = None
    name: str | None = None
    index: int | None = None
    fmt: str | None = None

    def __str__(self) -> str:
        subject = ""
        if self.subject:
            subject = self.subject + (f":{self.name}" if self.name else "")
            subject += f"#{self.index}" if self.index is not None else ""
            subject += "."
        return "{" + subject + self.field + (f":{self.fmt}" if self.fmt else "") + "}"


def _is_format(text: str) -> bool:
    return text in MONEY_FORMATS or (len(text) == 1 and text.isdigit())


def parse_ref(body: str) -> Ref | None:
    """The reference inside braces, or None when the text is not a reference (then it is literal)."""
    body = body.strip()
    fmt = None
    head, sep, tail = body.rpartition(":")
    if sep and _is_format(tail.strip()):
        body, fmt = head, tail.strip()
    subject_text, dot, field_text = body.rpartition(".")
    fld = FIELDS.get(field_text.strip())
    if fld is None:
        return None
    if not dot:
        return Ref(field=fld, fmt=fmt)
    subject, _, name = subject_text.partition(":")
    index = None
    target = name if name else subject
    if "#" in target:
        target, _, number = target.rpartition("#")
        if not number.isdigit():
            return None
        index = int(number)
        if name:
            name = target
        else:
            subject = target
    canonical = SUBJECTS.get(subject.strip())
    if canonical is None:
        return None
    return Ref(field=fld, subject=canonical, name=name.strip() or None, index=index, fmt=fmt)


def references(text: str) -> list[Ref]:
    return [r for m in TOKEN.finditer(text) if m.group(1) and (r := parse_ref(m.group(1))) is not None]


def escape(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


# ----------------------------------------------------------------------------- values


@dataclass(frozen=True)
class Value:
    number: int | Decimal
    kind: Literal["money", "rate", "count"]
    unit: str = ""  # money unit
    places: int = 1  # rate decimals


def format_value(value: Value, fmt: str | None = None) -> str:
    if value.kind == "money":
        number = int(value.number)
        if fmt == "수":
            return format_number(number)
        if fmt == "억백만원":
            return format_eok_baekman(number, Unit(value.unit))
        if fmt in MONEY_FORMATS:
            return format_money(number, Unit(value.unit), Unit(fmt))
        return format_number(number) + (value.unit if number else "")
    if value.kind == "rate":
        places = int(fmt) if fmt and fmt.isdigit() else value.places
        return format_rate(Decimal(value.number), places)
    return f"{int(value.number):,}"


def _money(number: int | None, unit: str) -> Value | None:
    return None if number is None else Value(number, "money", unit)


def _rate(number: Decimal | None, places: int) -> Value | None:
    return None if number is None else Value(number, "rate", places=places)


@dataclass
class Scope:
    """Where a text sits: the card it belongs to, the adjustment kind of a section IV sentence."""

    card: ProgramCard | None = None
    kind: str | None = None
    where: str = ""  # section / table label for findings
    src: Source | None = None


class Resolver:
    """Looks references up in a *computed* settlement (see :func:`gyeolsan.report.compute`)."""

    def __init__(self, settlement: Settlement, cards: dict[tuple[int, int], CardSettlement] | None = None):
        self.s = settlement
        self.cards = cards or {
            (c.group, c.index): c.settlement for c in settlement.cards if c.settlement is not None
        }
        table = settlement.settlement
        self.unit = table.unit if table else "천원"
        self.by_program, self.by_division = compute.carried_records(settlement.adjustments, self.unit)

    # -- lookups
    def _budget_line(
        self, lines: Iterable[BudgetLine], name: str, kinds: Sequence[str] = ()
    ) -> BudgetLine | None:
        wanted = key(name)
        found = [ln for ln in lines if key(ln.name) == wanted and (not kinds or ln.kind in kinds)]
        return found[0] if found else None

    def _line_value(self, line: BudgetLine, fld: str, unit: str) -> Value | None:
        if fld in ("budget", "budget_current", "spent"):
            return _money(getattr(line, fld), unit)
        if fld == "rate":
            return _rate(compute.collection_rate(line.spent, line.budget_current), 1)
        if fld == "carried":
            return _money(compute.subtree_carried(line, self.by_program) or None, unit)
        if fld == "unused":
            if line.unused is not None:
                return _money(line.unused, unit)
            if line.budget_current is None:
                return None
            carried = compute.subtree_carried(line, self.by_program)
            return _money(
                line.budget_current - (line.spent or 0) - carried - (line.subsidy_returned or 0), unit
            )
        return None

    def _change_value(self, line: ChangeLine, fld: str, unit: str) -> Value | None:
        if fld in ("previous", "current", "change"):
            return _money(getattr(line, fld), unit)
        if fld == "change_rate":
            return _rate(line.change_rate, 2)
        return None

    def _revenue_value(self, line: RevenueLine, fld: str, unit: str) -> Value | None:
        if fld in ("budget", "budget_current", "levied", "received", "written_off", "uncollected"):
            return _money(getattr(line, fld), unit)
        if fld == "rate":
            return _rate(compute.share(line.received, line.levied), 1)
        return None

    def value(self, ref: Ref, scope: Scope) -> Value | None:
        subject = ref.subject
        if subject is None:
            subject = "card" if scope.card is not None else scope.kind
        if subject is None:
            return None
        s = self.s
        table = s.settlement
        if subject in ("total", "business", "basic"):
            kind = {"total": "total", "business": "business", "basic": "basic_total"}[subject]
            source = table if table is not None else (s.expenditure.table if s.expenditure else None)
            line = source.root(kind) if source else None  # type: ignore[arg-type]
            return self._line_value(line, ref.field, source.unit) if line and source else None
        if subject in ("program", "division") and table is not None and ref.name:
            kinds = ("division",) if subject == "division" else ("unit", "policy", "detail", "basic", "item")
            line = self._budget_line(table.all_lines(), ref.name, kinds)
            return self._line_value(line, ref.field, table.unit) if line else None
        if subject == "expenditure":
            source = s.expenditure.table if s.expenditure and s.expenditure.table else table
            if source is None:
                return None
            line = self._budget_line(source.lines, ref.name) if ref.name else compute.expenditure_total(s)
            return self._line_value(line, ref.field, source.unit) if line else None
        if subject == "next" and s.next_year is not None:
            nxt = s.next_year
            cline = (
                next((ln for ln in nxt.all_lines() if key(ln.name) == key(ref.name)), None)
                if ref.name
                else nxt.root("total")
            )
            return self._change_value(cline, ref.field, nxt.unit) if cline else None
        if subject == "revenue" and s.revenue is not None:
            rev = s.revenue
            rline = (
                next((ln for ln in rev.all_lines() if key(ln.name) == key(ref.name)), None)
                if ref.name
                else compute.revenue_total(rev)
            )
            return self._revenue_value(rline, ref.field, rev.unit) if rline else None
        if subject == "card":
            return self._card_value(ref, scope)
        if subject in KINDS:
            return self._adjustment_value(subject, ref)
        if subject == "집행잔액":
            return self._unused_value(ref)
        if subject == "org" and s.organization is not None:
            org = s.organization
            if ref.field == "divisions" and org.divisions:
                return Value(len(org.divisions), "count")
            if ref.field == "teams" and org.divisions:
                return Value(sum(len(d.teams) for d in org.divisions), "count")
            return None
        if subject == "staff" and s.staffing is not None:
            number = {"quota": s.staffing.stated_quota, "current": s.staffing.stated_current}.get(ref.field)
            return None if number is None else Value(number, "count")
        return None

    def _card_value(self, ref: Ref, scope: Scope) -> Value | None:
        card_key: tuple[int, int] | None = None
        if ref.name:
            m = re.fullmatch(r"(\d+)-(\d+)", ref.name.strip())
            card_key = (int(m.group(1)), int(m.group(2))) if m else None
        elif scope.card is not None:
            card_key = (scope.card.group, scope.card.index)
        line = self.cards.get(card_key) if card_key else None
        if line is None:
            return None
        if ref.field in ("budget_current", "spent"):
            return _money(getattr(line, ref.field), line.unit)
        if ref.field == "rate":
            return _rate(line.rate, 1)
        if ref.field == "carried":
            return _money(line.note_amount, line.unit)
        return None

    def _adjustment_value(self, kind: str, ref: Ref) -> Value | None:
        records = [a for a in self.s.adjustments if a.kind == kind]
        if ref.index is not None:
            if not 1 <= ref.index <= len(records) or ref.field != "amount":
                return None
            rec = records[ref.index - 1]
            return _money(rec.amount, rec.unit)
        summary = self._summary(kind)
        if ref.field == "count":
            return Value(len(records), "count")
        if ref.field == "amount":
            unit = summary.unit if summary else self.unit
            total = compute.add(
                compute.convert(a.amount, Unit(a.unit), Unit(unit)) for a in records if a.amount is not None
            )
            return _money(total or 0, unit)
        return None

    def _summary(self, kind: str) -> AdjustmentSummary | None:
        exp = self.s.expenditure
        return next((x for x in exp.summaries if x.kind == kind), None) if exp else None

    def _unused_value(self, ref: Ref) -> Value | None:
        exp = self.s.expenditure
        total = compute.expenditure_total(self.s)
        unit = (exp.table.unit if exp and exp.table else self.unit) if exp else self.unit
        if ref.index is not None:
            reasons = exp.unused_reasons if exp else ()
            if not 1 <= ref.index <= len(reasons) or ref.field != "amount":
                return None
            return _money(reasons[ref.index - 1].amount, unit)
        if ref.field in ("amount", "unused"):
            return _money(total.unused if total else None, unit)
        if ref.field == "share":
            return _rate(compute.unused_share(total), 1)
        if ref.field == "count":
            return Value(len(exp.unused_reasons), "count") if exp else None
        if ref.field == "budget_current" and total is not None:
            return _money(total.budget_current, unit)
        return None


# ----------------------------------------------------------------------------- resolving


@dataclass
class Resolved:
    text: str
    figures: list[StatedFigure] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def _figure(ref: Ref, value: Value, printed: str) -> StatedFigure:
    if value.kind == "money":
        fmt = ref.fmt if ref.fmt in ("원", "천원", "백만원", "억원") else value.unit
        if ref.fmt == "억백만원":
            fmt = "백만원"
        factor = UNIT_FACTOR[Unit(fmt)]
        shown = compute.convert(int(value.number), Unit(value.unit), Unit(fmt))
        return StatedFigure(
            key=ref.field, value=Decimal(shown * factor), unit="원", scale=Decimal(factor), text=printed
        )
    if value.kind == "rate":
        places = int(ref.fmt) if ref.fmt and ref.fmt.isdigit() else value.places
        return StatedFigure(
            key=ref.field,
            value=Decimal(value.number),
            unit="%",
            scale=Decimal(1).scaleb(-places),
            text=printed,
        )
    return StatedFigure(key=ref.field, value=Decimal(value.number), unit="", text=printed)


def resolve(text: str, resolver: Resolver, scope: Scope | None = None, path: str = "") -> Resolved:
    """Replace every reference by its formatted value; unknown references stay and give ``REF001``."""
    scope = scope or Scope()
    out = Resolved(text="")
    parts: list[str] = []
    pos = 0
    for m in TOKEN.finditer(text):
        parts.append(text[pos : m.start()])
        pos = m.end()
        token = m.group(0)
        if token in ("{{", "}}"):
            parts.append(token[0])
            continue
        ref = parse_ref(m.group(1))
        if ref is None:  # not a reference: literal braces
            parts.append(token)
            continue
        value = resolver.value(ref, scope)
        if value is None:
            parts.append(token)
            out.findings.append(_unresolved(ref, token, scope, path))
            continue
        printed = format_value(value, ref.fmt)
        parts.append(printed)
        out.figures.append(_figure(ref, value, printed))
    parts.append(text[pos:])
    out.text = "".join(parts)
    return out


def _location(scope: Scope, path: str) -> Location:
    return Location.at(scope.src, path, section=scope.where or None)


def _unresolved(ref: Ref, token: str, scope: Scope, path: str) -> Finding:
    return Finding(
        rule="REF001",
        severity=Severity.ERROR,
        message=f"참조 {token}의 대상을 자료에서 찾을 수 없습니다",
        message_en=f"Reference {token} does not point to anything in the data",
        hint="사업명·부서명·항목명이 표와 같은지, 필드 이름이 맞는지 확인하십시오 (docs/reports.md 참조 문법)",
        location=_location(scope, path),
        stated=token,
    )


# ----------------------------------------------------------------------------- templatize


@dataclass(frozen=True)
class Candidate:
    ref: Ref
    value: Value
    names: tuple[str, ...] = ()  # words whose presence in the sentence favours this candidate


_MONEY_TEXT = re.compile(r"(억|백만원|천원|만원|원)\s*$")


def _money_format(q: Quantity) -> str | None:
    t = re.sub(r"\s+", "", q.text)
    if "억" in t and "백만" in t:
        return "억백만원"
    for unit in ("억원", "백만원", "천원"):
        if t.endswith(unit):
            return unit
    if t.endswith("원") and not t.endswith("만원"):
        return "원"
    return None


def _same_text(printed: str, q: Quantity) -> bool:
    return re.sub(r"\s+", "", printed) == re.sub(r"\s+", "", q.text).replace("−", "-")


def _placed(ref: Ref, fmt: str | None) -> Ref:
    return Ref(field=ref.field, subject=ref.subject, name=ref.name, index=ref.index, fmt=fmt)


def _match(q: Quantity, candidates: Sequence[Candidate], sentence: str) -> tuple[Ref, str] | None:
    """The candidate that prints exactly as ``q`` (and the text that replaces it)."""
    if q.approx:
        return None
    hits: list[tuple[int, Ref, str]] = []
    if q.is_money:
        fmt = _money_format(q)
        if fmt is None:
            return None
        for c in candidates:
            if c.value.kind == "money" and _same_text(format_value(c.value, fmt), q):
                hits.append((_score(c, sentence), _placed(c.ref, fmt), ""))
    elif q.unit in ("%", "%p"):
        digits = q.text.rstrip("%p").strip()
        places = len(digits.partition(".")[2])
        for c in candidates:
            if c.value.kind == "rate" and format_value(c.value, str(places)) == digits.replace("-", "△"):
                fmt = None if places == c.value.places else str(places)
                hits.append((_score(c, sentence), _placed(c.ref, fmt), q.unit))
    elif q.unit == "건" or q.unit == "":
        for c in candidates:
            if (
                c.value.kind == "count"
                and c.ref.field == "count"
                and f"{int(c.value.number):,}" == q.text.rstrip("건")
            ):
                hits.append((_score(c, sentence), c.ref, q.unit))
    if not hits:
        return None
    hits.sort(key=lambda h: -h[0])
    return hits[0][1], hits[0][2]


def _score(c: Candidate, sentence: str) -> int:
    squashed = key(sentence)
    return sum(1 for n in c.names if n and key(n) in squashed)


_KEY_FIELDS = {
    "budget_current": ("budget_current",),
    "spent": ("spent",),
    "rate": ("rate",),
    "unused": ("unused", "amount"),
    "total": ("current", "amount", "budget_current"),
    "levied": ("levied",),
    "received": ("received",),
    "uncollected": ("uncollected",),
    "budget": ("budget", "current"),  # '19년 예산 세출예산 …: next year's budget
    "share": ("share",),
    "carried_over": ("amount",),
    "amount": ("amount",),
}


def _pick(pool: list[Candidate], wanted: Sequence[str], used: set[str]) -> Candidate | None:
    """A candidate of the wanted field not yet used in the sentence, else any unused one, else a used one."""
    fresh = [c for c in pool if str(c.ref) not in used]
    for group in (
        [c for c in fresh if c.ref.field in wanted],
        fresh,
        [c for c in pool if c.ref.field in wanted],
    ):
        if group:
            return group[0]  # candidates come main subject first
    return None


def _by_key(
    q: Quantity, stated: Sequence[StatedFigure], candidates: Sequence[Candidate], used: set[str]
) -> tuple[Candidate, str] | None:
    """Fallback for a headline: the figure's semantic key (tagged by the importer) names the field."""
    figure = next((f for f in stated if _same_text(f.text, q)), None)
    if q.is_money:
        fmt = _money_format(q)
        if figure is None or fmt is None:
            return None
        pool = [c for c in candidates if c.value.kind == "money"]
        found = _pick(pool, _KEY_FIELDS.get(figure.key, ()), used)
        return (found, fmt) if found else None
    if q.unit == "건":
        pool = [c for c in candidates if c.value.kind == "count" and c.ref.field == "count"]
        return (pool[0], "") if len(pool) == 1 else None
    if q.unit == "%":
        wanted = _KEY_FIELDS.get(figure.key, ("rate",)) if figure else ("rate",)
        pool = [c for c in candidates if c.value.kind == "rate"]
        found = _pick(pool, wanted, used)
        return (found, "") if found else None
    return None


def templatize_text(
    text: str,
    candidates: Sequence[Candidate],
    *,
    strict: bool = False,
    by_key: bool = False,
    stated: Sequence[StatedFigure] = (),
    scope: Scope | None = None,
    path: str = "",
) -> tuple[str, list[Finding]]:
    """Turn the figures of ``text`` that match a candidate into references.

    ``strict`` marks a data sentence (headline, section IV): a money/rate/count figure that matches no
    candidate is left as printed with ``REF003``; with ``by_key`` (headlines, "…규모는 총 N건" lines) it is
    linked by its semantic key instead (``REF002``: the sentence disagrees; the data is printed).
    Existing references are kept; braces that are not references are escaped.
    """
    scope = scope or Scope()
    findings: list[Finding] = []
    used = {str(r) for r in references(text)}
    out: list[str] = []
    pos = 0
    context = (candidates, (strict, by_key), stated, scope, path, findings, text, used)
    for m in TOKEN.finditer(text):
        if m.group(0) in ("{{", "}}") or (m.group(1) and parse_ref(m.group(1)) is not None):
            out.append(_literal(text[pos : m.start()], *context))
            out.append(m.group(0))
            pos = m.end()
    out.append(_literal(text[pos:], *context))
    return "".join(out), findings


def _literal(
    segment: str,
    candidates: Sequence[Candidate],
    mode: tuple[bool, bool],
    stated: Sequence[StatedFigure],
    scope: Scope,
    path: str,
    findings: list[Finding],
    sentence: str,
    used: set[str],
) -> str:
    strict, by_key = mode
    out: list[str] = []
    pos = 0
    for start, end, q in find_quantities(segment):
        if not (q.is_money or q.unit in ("%", "건")):
            continue
        if q.is_money and _money_format(q) is None:
            continue
        hit = _match(q, candidates, sentence)
        replacement: str | None = None
        if hit is not None:
            ref, suffix = hit
            replacement = str(ref) + suffix
            used.add(str(_placed(ref, None)))
        elif strict and not q.approx:
            fallback = _by_key(q, stated, candidates, used) if by_key else None
            if fallback is not None:
                cand, fmt = fallback
                ref = _placed(cand.ref, fmt or (None if q.unit != "%" else None))
                suffix = "" if q.is_money else q.unit
                replacement = str(ref) + suffix
                used.add(str(cand.ref))
                expected = format_value(cand.value, fmt or None) + ("" if q.is_money else q.unit)
                findings.append(_differs(q, expected, scope, path))
            else:
                findings.append(_unlinked(q, scope, path))
        if replacement is not None:
            out.append(escape(segment[pos:start]))
            out.append(replacement)
            pos = end
    out.append(escape(segment[pos:]))
    return "".join(out)


def _differs(q: Quantity, expected: str, scope: Scope, path: str) -> Finding:
    return Finding(
        rule="REF002",
        severity=Severity.WARNING,
        message=f"서술의 '{q.text}'이(가) 자료에서 계산한 값 '{expected}'과 다릅니다. 보고서에는 계산값을 씁니다",
        message_en=f"The text states '{q.text}' but the data give '{expected}'; the report prints the computed value",
        hint="문장의 숫자를 표의 값에 맞게 고치거나 표를 확인하십시오",
        location=_location(scope, path),
        stated=q.text,
        expected=expected,
    )


def _unlinked(q: Quantity, scope: Scope, path: str) -> Finding:
    return Finding(
        rule="REF003",
        severity=Severity.INFO,
        message=f"서술의 '{q.text}'을(를) 자료의 어느 값과도 연결하지 못해 적힌 그대로 씁니다",
        message_en=f"The figure '{q.text}' could not be linked to the data and is printed as stated",
        hint="자료에서 나온 값이면 {program:사업명.spent:백만원}처럼 참조로 쓰십시오",
        location=_location(scope, path),
        stated=q.text,
    )


# ----------------------------------------------------------------------------- candidate sets


def _line_candidates(
    resolver: Resolver, subject: str, name: str | None, fields: Sequence[str], names: tuple[str, ...] = ()
) -> list[Candidate]:
    out = []
    for fld in fields:
        ref = Ref(field=fld, subject=subject, name=name)
        value = resolver.value(ref, Scope())
        if value is not None:
            out.append(Candidate(ref, value, names))
    return out


def settlement_candidates(resolver: Resolver) -> list[Candidate]:
    fields = ("budget_current", "spent", "rate", "budget", "unused")
    out = []
    for subject, word in (("total", "합계"), ("business", "사업예산"), ("basic", "기본경비")):
        out += _line_candidates(resolver, subject, None, fields, (word,))
    return out


def next_candidates(resolver: Resolver) -> list[Candidate]:
    return _line_candidates(resolver, "next", None, ("current", "previous", "change", "change_rate"))


def revenue_candidates(resolver: Resolver) -> list[Candidate]:
    rev = resolver.s.revenue
    if rev is None:
        return []
    fields = ("received", "levied", "budget_current", "budget", "uncollected", "written_off")
    out = _line_candidates(resolver, "revenue", None, fields, ("합계", "총"))
    for line in rev.all_lines():
        if line.kind != "total":
            out += _line_candidates(resolver, "revenue", line.name, fields, (line.name,))
    return out


def expenditure_candidates(resolver: Resolver) -> list[Candidate]:
    fields = ("budget_current", "spent", "rate", "unused", "budget")
    out = _line_candidates(resolver, "expenditure", None, fields)
    return out + _line_candidates(resolver, "이월", None, ("amount",), ("이월",))


def kind_candidates(resolver: Resolver, kind: str | None) -> list[Candidate]:
    if kind is None:
        return expenditure_candidates(resolver)
    if kind == "집행잔액":
        out = _line_candidates(resolver, "집행잔액", None, ("amount", "share", "budget_current"))
        exp = resolver.s.expenditure
        for i, reason in enumerate(exp.unused_reasons if exp else (), start=1):
            ref = Ref(field="amount", subject="집행잔액", index=i)
            value = resolver.value(ref, Scope())
            if value is not None:
                out.append(Candidate(ref, value, (reason.reason,)))
        return out
    out = _line_candidates(resolver, kind, None, ("count", "amount"))
    records = [a for a in resolver.s.adjustments if a.kind == kind]
    for i, rec in enumerate(records, start=1):
        ref = Ref(field="amount", subject=kind, index=i)
        value = resolver.value(ref, Scope())
        if value is not None:
            words = tuple(w for w in (rec.from_program, rec.to_program, rec.from_item) if w)
            out.append(Candidate(ref, value, words))
    return out


def card_candidates(resolver: Resolver, card: ProgramCard) -> list[Candidate]:
    scope = Scope(card=card)
    out = []
    for fld in ("budget_current", "spent", "rate", "carried"):
        ref = Ref(field=fld, subject="card")
        value = resolver.value(ref, scope)
        if value is not None:
            out.append(Candidate(Ref(field=fld), value))
    table = resolver.s.settlement
    if table is not None and len(card.unit_programs) > 1:
        for name in card.unit_programs:
            out += _line_candidates(resolver, "program", name, ("budget_current", "spent", "budget"), (name,))
    return out


# ----------------------------------------------------------------------------- sentence sets


def narrative_kinds(
    headlines: Sequence[Headline], summaries: Sequence[AdjustmentSummary]
) -> list[str | None]:
    """The adjustment kind (【】 block) each section IV sentence belongs to: by line, else by its words."""
    marks = sorted((s.src.line, s.kind) for s in summaries if s.src.line is not None)
    out: list[str | None] = []
    previous: str | None = None
    for h in headlines:
        kind: str | None = None
        if h.src.line is not None and marks:
            before = [k for line, k in marks if line < h.src.line]
            kind = before[-1] if before else None
        else:
            for word in ("변경사용", "이용", "전용", "이체", "이월", "집행잔액"):
                if word in h.text:
                    kind = word
                    break
            kind = kind or previous
        out.append(kind)
        previous = kind
    return out


# ----------------------------------------------------------------------------- walking the prose


@dataclass
class Spec:
    """What a prose field may refer to."""

    scope: Scope
    candidates: Callable[[], list[Candidate]]
    strict: bool = False  # a data sentence: unlinked figures give findings
    by_key: bool = False  # a headline: a figure that differs is linked by its semantic key (REF002)
    stated: tuple[StatedFigure, ...] = ()
    org: bool = False  # the organisation summary ("1관 4담당관, 19팀")


@dataclass
class Edited:
    text: str
    figures: list[StatedFigure] | None = None


TextFn = Callable[[str, Spec], Edited]


def transform(s: Settlement, resolver: Resolver, fn: TextFn) -> Settlement:
    """Apply ``fn`` to every prose field of ``s`` (headlines, sentences, card text, notes)."""
    cache: dict[str, list[Candidate]] = {}

    def lazy(name: str, make: Callable[[], list[Candidate]]) -> Callable[[], list[Candidate]]:
        def get() -> list[Candidate]:
            if name not in cache:
                cache[name] = make()
            return cache[name]

        return get

    def headline(h: Headline | None, spec: Spec) -> Headline | None:
        if h is None:
            return None
        spec.stated = h.figures
        spec.scope.src = h.src
        out = fn(h.text, spec)
        return h.model_copy(
            update={"text": out.text, "figures": tuple(out.figures) if out.figures is not None else h.figures}
        )

    def text(value: str, spec: Spec) -> str:
        return fn(value, spec).text

    update: dict[str, object] = {}
    org = s.organization
    if org is not None and org.summary:
        spec = Spec(Scope(where="I. 일반현황", src=org.src), lambda: [], org=True)
        update["organization"] = org.model_copy(update={"summary": text(org.summary, spec)})
    table = s.settlement
    settle = lazy("settlement", lambda: settlement_candidates(resolver))
    if table is not None:
        spec = Spec(Scope(where="I. 결산"), settle, strict=True, by_key=True)
        update["settlement"] = table.model_copy(update={"headline": headline(table.headline, spec)})
    if s.next_year is not None:
        get = lazy("next", lambda: next_candidates(resolver))
        spec = Spec(Scope(where="I. 다음연도 예산"), get, strict=True, by_key=True)
        update["next_year"] = s.next_year.model_copy(
            update={"headline": headline(s.next_year.headline, spec)}
        )
    cards = []
    for card in s.cards:
        get = lazy(f"card{card.group}-{card.index}", lambda card=card: card_candidates(resolver, card))  # type: ignore[misc]
        where = "II. 주요사업 추진실적"

        def spec_for(src: Source, strict: bool = False, card: ProgramCard = card) -> Spec:
            return Spec(Scope(card=card, where=where, src=src), get, strict=strict)  # noqa: B023

        goal = text(card.goal, spec_for(card.src)) if card.goal else card.goal
        sections = tuple(
            sec.model_copy(
                update={
                    "blocks": tuple(
                        b.model_copy(update={"text": text(b.text, spec_for(b.src))})
                        if b.type == "bullet"
                        else b
                        for b in sec.blocks
                    )
                }
            )
            for sec in card.sections
        )
        line = card.settlement
        if line is not None and line.note:
            line = line.model_copy(update={"note": text(line.note, spec_for(line.src, strict=True))})
        cards.append(card.model_copy(update={"goal": goal, "sections": sections, "settlement": line}))
    update["cards"] = tuple(cards)
    rev = s.revenue
    if rev is not None:
        get = lazy("revenue", lambda: revenue_candidates(resolver))
        where = "IV. 세입결산"
        update["revenue"] = rev.model_copy(
            update={
                "headline": headline(rev.headline, Spec(Scope(where=where), get, strict=True, by_key=True)),
                "statements": tuple(
                    headline(h, Spec(Scope(where=where), get, strict=True)) for h in rev.statements
                ),
                "notes": tuple(text(n, Spec(Scope(where=where), get, strict=True)) for n in rev.notes),
            }
        )
    exp = s.expenditure
    if exp is not None:
        where = "IV. 세출결산"
        kinds = narrative_kinds(exp.narrative, exp.summaries)

        def kind_spec(kind: str | None, strict: bool = True, by_key: bool = False) -> Spec:
            get = lazy(f"kind:{kind}", lambda: kind_candidates(resolver, kind))
            return Spec(Scope(kind=kind, where=where), get, strict=strict, by_key=by_key)

        reasons = tuple(
            r.model_copy(
                update={
                    "reason": text(
                        r.reason,
                        Spec(
                            Scope(kind="집행잔액", where=where, src=r.src),
                            lazy(f"reason{i}", lambda i=i: _reason_candidates(resolver, i)),  # type: ignore[misc]
                        ),
                    )
                }
            )
            for i, r in enumerate(exp.unused_reasons, start=1)
        )
        update["expenditure"] = exp.model_copy(
            update={
                "headline": headline(
                    exp.headline,
                    Spec(
                        Scope(where=where), lazy("exp", lambda: expenditure_candidates(resolver)), True, True
                    ),
                ),
                "unused_headline": headline(exp.unused_headline, kind_spec("집행잔액", by_key=True)),
                "narrative": tuple(
                    headline(h, kind_spec(k, by_key="규모는" in h.text))
                    for h, k in zip(exp.narrative, kinds, strict=True)
                ),
                "adjustments": tuple(
                    a.model_copy(update={"reason": text(a.reason, kind_spec(a.kind, strict=False))})
                    if a.reason
                    else a
                    for a in exp.adjustments
                ),
                "unused_reasons": reasons,
            }
        )
    if s.reorganizations:
        update["reorganizations"] = tuple(
            r.model_copy(update={"description": text(r.description, kind_spec("이체", strict=False))})
            if r.kind == "transfer" and exp is not None
            else r
            for r in s.reorganizations
        )
    return s.model_copy(update=update)


def _reason_candidates(resolver: Resolver, index: int) -> list[Candidate]:
    ref = Ref(field="amount", subject="집행잔액", index=index)
    value = resolver.value(ref, Scope())
    return [Candidate(ref, value)] if value is not None else []


_ORG_COUNTS = re.compile(r"(\d+)(\s*)(담당관|과)(?=[\s,，]|$)|(\d+)(\s*)(팀)")


def _templatize_org(text: str, resolver: Resolver, spec: Spec, path: str, findings: list[Finding]) -> str:
    def repl(m: re.Match[str]) -> str:
        number, space, word = (
            (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(4), m.group(5), m.group(6))
        )
        ref = Ref(field="divisions" if m.group(1) else "teams", subject="org")
        value = resolver.value(ref, spec.scope)
        if value is None:
            return m.group(0)
        if int(number) != int(value.number):
            findings.append(
                _differs(
                    Quantity(Decimal(number), "", Decimal(1), False, number + word),
                    f"{value.number}{word}",
                    spec.scope,
                    path,
                )
            )
        return f"{ref}{space}{word}"

    return _ORG_COUNTS.sub(repl, text)


def templatize(
    settlement: Settlement, config: object | None = None, *, numbers: Settlement | None = None
) -> tuple[Settlement, list[Finding]]:
    """The settlement with the figures of its prose turned into references (where they match the data).

    Only text fields change; the numbers of the model are untouched. Idempotent: existing references
    stay, literal braces are escaped once. Findings: ``REF002`` (a data sentence states a figure that
    differs from the data; the reference prints the computed one), ``REF003`` (a figure of a data
    sentence that could not be linked, kept as printed).
    """
    from gyeolsan.report.config import DEFAULT, ReportConfig

    cfg = config if isinstance(config, ReportConfig) else DEFAULT
    numbers = numbers or compute.compute_numbers(settlement, cfg)
    resolver = Resolver(numbers)
    path = settlement.meta.source_path or ""
    findings: list[Finding] = []

    def fn(text: str, spec: Spec) -> Edited:
        if spec.org:
            return Edited(_templatize_org(escape_literals(text), resolver, spec, path, findings))
        out, found = templatize_text(
            text,
            spec.candidates(),
            strict=spec.strict,
            by_key=spec.by_key,
            stated=spec.stated,
            scope=spec.scope,
            path=path,
        )
        findings.extend(found)
        return Edited(out)

    return transform(settlement, resolver, fn), findings


def escape_literals(text: str) -> str:
    """Escape braces that are not references (keeps references and ``{{``/``}}`` as they are)."""
    out: list[str] = []
    pos = 0
    for m in TOKEN.finditer(text):
        out.append(escape(text[pos : m.start()]))
        token = m.group(0)
        out.append(token if token in ("{{", "}}") or parse_ref(m.group(1)) is not None else escape(token))
        pos = m.end()
    out.append(escape(text[pos:]))
    return "".join(out)


def resolve_all(templated: Settlement, numbers: Settlement) -> tuple[Settlement, list[Finding]]:
    """Every prose field of ``templated`` resolved against the computed ``numbers`` (headline figures too)."""
    resolver = Resolver(numbers)
    path = templated.meta.source_path or ""
    findings: list[Finding] = []

    def fn(text: str, spec: Spec) -> Edited:
        done = resolve(text, resolver, spec.scope, path)
        findings.extend(done.findings)
        return Edited(done.text, done.figures)

    return transform(templated, resolver, fn), findings
