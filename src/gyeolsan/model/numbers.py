"""Numbers as printed in 결산 reports: parsing, rounding and formatting.

Money is always an ``int`` (never float); rates are :class:`~decimal.Decimal` rounded ROUND_HALF_UP
(half away from zero: 2.5 -> 3, -2.5 -> -3). Negatives print with "△", zero/absent prints "-".
집행률 is shown with one decimal, 증감률 with two.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum


class Unit(StrEnum):
    """Money units used in table headers ("(단위: 천원)")."""

    WON = "원"
    CHEONWON = "천원"
    MAN = "만원"
    BAEKMAN = "백만원"
    EOK = "억원"


UNIT_FACTOR: dict[Unit, int] = {
    Unit.WON: 1,
    Unit.CHEONWON: 1_000,
    Unit.MAN: 10_000,
    Unit.BAEKMAN: 1_000_000,
    Unit.EOK: 100_000_000,
}


class NumberParseError(ValueError):
    """A cell or phrase that should hold a number but does not."""

    def __init__(self, text: str, what_ko: str = "숫자", what_en: str = "number") -> None:
        self.text = text
        super().__init__(f"{what_ko}(으)로 읽을 수 없습니다 / cannot parse {what_en}: {text!r}")


# --- normalisation -------------------------------------------------------------------------------

_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t"
# One character in, one character out, so that spans found on the translated text fit the original.
_CHAR_MAP = str.maketrans(
    "０１２３４５６７８９，．％－＋（）\u2212" + _SPACES,
    "0123456789,.%-+()-" + " " * len(_SPACES),
)
_TAG = re.compile(r"<[^<>]*>")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_NEGATIVE = "△▽▼-"  # "▲" marks an increase, not a negative
_POSITIVE = "▲+"
_DASHES = {"", "-", "–", "—", "―", "‐"}


def normalize_text(text: str) -> str:
    """Strip HTML tags, full-width → ASCII digits/signs, unicode spaces → " ", then strip."""
    text = html.unescape(_TAG.sub("", _BR.sub(" ", text)))
    return _ZERO_WIDTH.sub("", text).translate(_CHAR_MAP).strip()


def _split_sign(s: str) -> tuple[bool, str]:
    """("△1,234" | "-1,234" | "(1,234)") -> (True, "1,234")."""
    if len(s) >= 2 and s[0] == "(" and s[-1] == ")":
        return True, s[1:-1].strip()
    if s[:1] in _NEGATIVE or s[:1] in _POSITIVE:
        return s[0] in _NEGATIVE, s[1:].lstrip()
    return False, s


_AMOUNT = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][+-]?\d{1,2})?")
_RATE = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")


def parse_amount(text: str) -> int | None:
    """금액 cell → int 원/천원 as printed; "-", "" → None. Raises :class:`NumberParseError`."""
    s = normalize_text(text)
    if s in _DASHES:
        return None
    negative, body = _split_sign(s)
    if not _AMOUNT.fullmatch(body):
        raise NumberParseError(text, "금액", "amount")
    value = Decimal(body.replace(",", ""))
    if value != value.to_integral_value():
        raise NumberParseError(text, "정수 금액", "integral amount")
    return -int(value) if negative else int(value)


def parse_rate(text: str) -> Decimal | None:
    """비율 cell ("96.7", "△3.45", "96.7%") → Decimal keeping the printed precision; "-" → None."""
    s = normalize_text(text)
    if s in _DASHES:
        return None
    negative, body = _split_sign(s)
    body = body.removesuffix("%p").removesuffix("%").rstrip()
    if not _RATE.fullmatch(body):
        raise NumberParseError(text, "비율", "rate")
    value = Decimal(body.replace(",", ""))
    return -value if negative and value else value


# --- quantities in prose ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Quantity:
    """A number with its unit as printed in prose ("554억 38백만원", "1만 4천여명", "96.7%")."""

    value: Decimal  # in base units: 원 for money, else the counted things
    unit: str  # "원" for money; otherwise the counter as printed ("명", "건", "%", "" ...)
    scale: (
        Decimal  # value of one step of the last printed digit: "554억 38백만원" -> 1_000_000, "96.7%" -> 0.1
    )
    approx: bool  # "약", "여", "이상", "가량", "남짓", "내외"
    text: str  # as printed

    @property
    def is_money(self) -> bool:
        return self.unit == "원"


_NUM = re.compile(r"\d{1,3}(?:,\d{3})+(?!,?\d)(?:\.\d+)?|\d+(?:\.\d+)?")
_SMALL = {"천": 1_000, "백": 100}
_LARGE = {"만": 10**4, "억": 10**8, "조": 10**12}
_APPROX_AFTER = ("이상", "가량", "남짓", "내외")
# Counters recognised after a number in prose (longest first, so "개소" wins over "개").
_COUNTER_WORDS = (
    "원 명 건 회 개소 개월 개교 개사 개 부 편 %p % 일 시간 분기 분야 분 년 월 주 가구 세대 곳 대 척 톤 종 권 장 "
    "점 호 동 실 차 배 인 마리 그루 필지 학급 과목 팀 채 석 병상 km kg ha ㎞ ㎡ ㎢"
)
_COUNTERS = sorted(_COUNTER_WORDS.split(), key=len, reverse=True)
_COUNTER = re.compile("|".join(map(re.escape, _COUNTERS)))
_APPROX_SUFFIX = re.compile(r" ?(?:" + "|".join(_APPROX_AFTER) + ")")


def _is_hangul(ch: str) -> bool:
    return "가" <= ch <= "힣"


@dataclass
class _Korean:
    """Accumulates Korean-style numerals: 1만 4천 = 14,000; 554억 38백만 = 55,438,000,000."""

    total: Decimal = Decimal(0)
    section: Decimal = Decimal(0)  # below the next 만/억/조
    current: Decimal | None = None  # digits not yet followed by a magnitude
    large_limit: int | None = None  # last 만/억/조 used: later parts must stay below it
    small_limit: int | None = None  # last 천/백 used in this section
    ulp: Decimal = Decimal(1)  # one unit of the last printed digit
    small: int = 1
    large: int = 1

    def push(self, digits: str) -> bool:
        value = Decimal(digits.replace(",", ""))
        if self.small_limit is not None and value >= self.small_limit:
            return False
        if self.large_limit is not None and self.section + value >= self.large_limit:
            return False
        self.current, self.small, self.large = value, 1, 1
        self.ulp = Decimal(1).scaleb(value.as_tuple().exponent)  # type: ignore[arg-type]
        return True

    def magnitude(self, ch: str) -> bool:
        if ch in _SMALL:
            factor = _SMALL[ch]
            if self.small_limit is not None and factor >= self.small_limit:
                return False
            if self.current is None:  # "5억천만" = 5억 + 1천만
                self.current, self.ulp, self.large = Decimal(1), Decimal(1), 1
            section = self.section + self.current * factor
            if self.large_limit is not None and section >= self.large_limit:
                return False
            self.section, self.current, self.small, self.small_limit = section, None, factor, factor
            return True
        factor = _LARGE[ch]
        if self.large_limit is not None and factor >= self.large_limit:
            return False
        if self.current is None and not self.section:  # "억만"
            return False
        section = self.section + (self.current or 0)
        if self.large_limit is not None and section * factor >= self.large_limit:
            return False
        self.total += section * factor
        self.section, self.current, self.small_limit = Decimal(0), None, None
        self.large = self.large_limit = factor
        return True

    @property
    def value(self) -> Decimal:
        return self.total + self.section + (self.current or 0)

    @property
    def scale(self) -> Decimal:
        return self.ulp * self.small * self.large


def _scan_number(s: str, i: int, *, magnitudes: bool) -> tuple[int, _Korean] | None:
    """Read "554억 38백만" / "1만 4천" / "2,213" starting at ``s[i]``; return (end, numeral)."""
    m = _NUM.match(s, i)
    if m is None:
        return None
    acc, j = _Korean(), m.end()
    acc.push(m[0])
    saved: tuple[_Korean, int] | None = None  # state before a tentative "38" in "554억 38백만"
    while magnitudes:
        start = j
        while j < len(s) and s[j] in "천백만억조" and acc.magnitude(s[j]):
            j += 1
        if j == start:
            if saved is not None and not s.startswith("원", j):  # "1억 2,345만 6,789원" keeps the 6,789
                acc, j = saved
            break
        saved = None
        nxt = _NUM.match(s, j + 1 if s.startswith(" ", j) else j)
        if nxt is None:
            break
        saved = replace(acc), j
        if not acc.push(nxt[0]):
            acc, j = saved
            break
        j = nxt.end()
    return j, acc


def _quantity_at(s: str, original: str, digit: int, *, prose: bool) -> tuple[int, int, Quantity] | None:
    """The quantity whose first digit is at ``s[digit]``, with its sign, 약, 여, unit and 이상."""
    start, negative, approx = digit, False, False
    before = s[digit - 1] if digit else ""
    if before and (before in "△▽▼▲" or (before in "-+" and (digit == 1 or s[digit - 2] in " (\n"))):
        start, negative = digit - 1, before in _NEGATIVE
    head = s[:start].removesuffix(" ")
    if head.endswith("약") and (len(head) == 1 or not _is_hangul(head[-2])):
        start, approx = len(head) - 1, True
    scanned = _scan_number(s, digit, magnitudes=not s[:start].endswith("제"))  # 제3조 is an article
    if scanned is None:
        return None
    end, acc = scanned
    unit = ""
    if prose:
        if s.startswith("여", end):
            counter = _COUNTER.match(s, end + 1)
            if counter or end + 1 == len(s) or not _is_hangul(s[end + 1]):
                approx, end = True, end + 1
        counter = _COUNTER.match(s, end)
        if counter:
            unit, end = counter[0], counter.end()
    else:
        rest = s[end:]
        for word in _APPROX_AFTER:  # the whole text is ours: the unit may be any word
            if rest.endswith(word):
                approx, rest = True, rest.removesuffix(word)
        if rest.startswith("여"):
            approx, rest = True, rest[1:]
        if not re.fullmatch(r"[^\d\s.,()△▽▼▲+-]*", rest):
            return None
        unit, end = rest, len(s)
    suffix = _APPROX_SUFFIX.match(s, end)
    if suffix:
        approx, end = True, suffix.end()
    value, scale = acc.value, acc.scale
    if scale >= 1:
        value, scale = value.quantize(Decimal(1)), scale.quantize(Decimal(1))
    if negative and value:
        value = -value
    return start, end, Quantity(value, unit, scale, approx, original[start:end])


def parse_quantity(text: str) -> Quantity:
    """One printed quantity: "554억 38백만원" → 55,438,000,000 원 (scale 1,000,000); "1만 4천여명" → 14,000 명 (approx)."""
    s = normalize_text(text)
    negative = len(s) > 2 and s[0] == "(" and s[-1] == ")"
    if negative:
        s = s[1:-1]
    s = re.sub(r"(?<!\d)\s+|\s+(?!\d)", "", s)  # "554억 38백만원" → "554억38백만원", but "1 234" stays
    digit = re.search(r"\d", s)
    found = _quantity_at(s, s, digit.start(), prose=False) if digit else None
    if found is None or found[0] != 0 or found[1] != len(s):
        raise NumberParseError(text, "수량", "quantity")
    quantity = found[2]
    value = -quantity.value if negative and quantity.value else quantity.value
    return replace(quantity, value=value, text=text)


def find_quantities(text: str) -> list[tuple[int, int, Quantity]]:
    """Every number (with its unit, if any) in running prose as (start, end, Quantity); spans index ``text``."""
    s = text.translate(_CHAR_MAP)
    found: list[tuple[int, int, Quantity]] = []
    for m in re.finditer(r"\d+", s):
        if (found and m.start() < found[-1][1]) or (m.start() and s[m.start() - 1] in ",."):
            continue
        hit = _quantity_at(s, text, m.start(), prose=True)
        if hit is not None:
            found.append(hit)
    return found


# --- rounding and arithmetic -----------------------------------------------------------------------


def round_half_up(value: Decimal, places: int) -> Decimal:
    """Round half away from zero: 2.5 → 3, 0.125 → 0.13 (2 places), -2.5 → -3."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def div_half_up(numerator: int, denominator: int) -> int:
    """Integer division rounded half away from zero (exact, no floats)."""
    if denominator == 0:
        raise ZeroDivisionError("div_half_up: denominator is 0")
    q, r = divmod(abs(numerator), abs(denominator))
    if 2 * r >= abs(denominator):
        q += 1
    return q if (numerator < 0) == (denominator < 0) else -q


def convert(value: int, from_unit: Unit, to_unit: Unit) -> int:
    """Exact going down (천원 → 원), half-up going up (천원 4,078,930 → 백만원 4,079)."""
    return div_half_up(value * UNIT_FACTOR[from_unit], UNIT_FACTOR[to_unit])


def rate(numerator: int, denominator: int, places: int = 1) -> Decimal | None:
    """numerator / denominator × 100, half-up to ``places`` (집행률: 1); None when denominator is 0."""
    if denominator == 0:
        return None
    return Decimal(div_half_up(numerator * 100 * 10**places, denominator)).scaleb(-places)


def change_rate(previous: int | None, current: int | None, places: int = 2) -> Decimal | None:
    """증감률 (current − previous) / previous × 100; None when previous is 0/None (absent current = 0)."""
    if not previous:
        return None
    return rate((current or 0) - previous, previous, places)


# --- formatting ------------------------------------------------------------------------------------


def format_number(value: int | None) -> str:
    """47810398 → "47,810,398"; -24802 → "△24,802"; 0/None → "-"."""
    if not value:
        return "-"
    return f"{'△' if value < 0 else ''}{abs(value):,}"


def format_rate(value: Decimal | None, places: int = 1, *, zero: str = "-") -> str:
    """Decimal("-3.449"), 2 → "△3.45"; None → "-"; rounds-to-zero → ``zero``."""
    if value is None:
        return "-"
    rounded = round_half_up(value, places)
    if not rounded:
        return zero
    return f"{'△' if rounded < 0 else ''}{abs(rounded):,.{places}f}"


def format_money(value: int, from_unit: Unit, to_unit: Unit, *, suffix: bool = True) -> str:
    """(4078930, 천원, 백만원) → "4,079백만원"; 0 → "-"."""
    converted = convert(value, from_unit, to_unit)
    if not converted:
        return "-"
    return format_number(converted) + (to_unit.value if suffix else "")


def format_eok(value: int, from_unit: Unit) -> str:
    """(48622861, 천원) → "486억원" (half-up to 억)."""
    return format_money(value, from_unit, Unit.EOK)


def format_eok_baekman(value: int, from_unit: Unit) -> str:
    """(55438155, 천원) → "554억 38백만원"; (55400000, 천원) → "554억원"; (38155, 천원) → "38백만원"."""
    baekman = convert(value, from_unit, Unit.BAEKMAN)
    if not baekman:
        return "-"
    eok, rest = divmod(abs(baekman), 100)
    parts = ([f"{eok:,}억"] if eok else []) + ([f"{rest}백만"] if rest else [])
    return ("△" if baekman < 0 else "") + " ".join(parts) + "원"
