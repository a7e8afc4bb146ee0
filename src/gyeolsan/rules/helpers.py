"""Small helpers shared by the rule modules: name keys, field labels, value strings, printed cells.

Rules compare names across sections whose spacing and quotes differ ("120 다산콜재단 운영",
"시정종합 월간지 '서울사랑' 발간" / "「서울사랑」"), so every comparison goes through :func:`name_key`.
"""

from __future__ import annotations

import re
from decimal import Decimal

from gyeolsan.model import Source
from gyeolsan.model.numbers import Unit, normalize_text

# Report sections as findings name them (the same strings as the importer and the other rule modules).
SECTION_I = "I. 일반현황"
SECTION_II = "II. 주요사업 추진실적"
SECTION_III = "III. 시정권고사항 조치결과"
SECTION_IV = "IV. 세입·세출 결산"

# Spaces, quotes, brackets and middle dots do not make two names different.
_NOISE = re.compile(r"[\s'\"‘’“”「」『』《》〈〉<>()\[\]（）·ㆍ・\u318d]+")


def name_key(name: str | None) -> str:
    """'시정종합 월간지 「서울사랑」 발간' and "시정종합 월간지 '서울사랑' 발간" give the same key."""
    return _NOISE.sub("", normalize_text(name or ""))


# Korean / English labels of the model's numeric fields (for messages and Location.field).
FIELDS: dict[str, tuple[str, str]] = {
    "budget": ("예산액", "budget"),
    "budget_current": ("예산현액", "current budget"),
    "spent": ("집행액", "spending"),
    "carried_over": ("다음연도 이월액", "carried over"),
    "carried_explicit": ("명시이월", "explicit carry-over"),
    "carried_accident": ("사고이월", "accident carry-over"),
    "carried_continuing": ("계속비이월", "continuing carry-over"),
    "subsidy_returned": ("보조금 반납", "subsidy returned"),
    "unused": ("집행잔액", "unused balance"),
    "rate": ("집행률", "execution rate"),
    "previous": ("전년 예산", "previous-year budget"),
    "current": ("당해 예산", "budget"),
    "change": ("증감", "change"),
    "change_rate": ("증감률", "change rate"),
    "levied": ("징수결정액", "levied"),
    "received": ("수납액", "received"),
    "written_off": ("불납결손액", "written off"),
    "uncollected": ("미수납액", "uncollected"),
    "quota": ("정원", "authorised posts"),
    "headcount": ("현원", "staff"),
    "total": ("합계", "total"),
    "share": ("비율", "share"),
}


def label(field: str) -> str:
    return FIELDS.get(field, (field, field))[0]


def label_en(field: str) -> str:
    return FIELDS.get(field, (field, field))[1]


def unit_of(text: str | None) -> Unit:
    """The numbers.Unit for a model unit string ("천원" …); 천원 when unknown."""
    try:
        return Unit(text or "천원")
    except ValueError:
        return Unit.CHEONWON


# --- values as text ------------------------------------------------------------------------------


def num(value: int | None) -> str:
    """Data string for stated/expected: plain digits, '-' sign (5623263, -24802)."""
    return str(value or 0)


def signed(value: int | Decimal) -> str:
    """A difference: '-1', '7', '0.1'."""
    return str(value)


def won(value: int | None) -> str:
    """For messages: '5,623,263', '△24,802', '0'."""
    value = value or 0
    return f"{'△' if value < 0 else ''}{abs(value):,}"


def pct(value: Decimal | None, places: int | None = None) -> str:
    """For messages and data: '96.2', '△3.45', '100'; None → '-'."""
    if value is None:
        return "-"
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places))
    text = f"{abs(value):f}"
    return ("-" if value < 0 else "") + text


def pct_ko(value: Decimal | None, places: int | None = None) -> str:
    text = pct(value, places)
    return "△" + text[1:] if text.startswith("-") else text


def places_of(value: Decimal) -> int:
    """Printed decimals of a parsed rate: Decimal('96.7') → 1, Decimal('100') → 0."""
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def cells(src: Source | None) -> list[str]:
    """The tab-separated cells of a table row as printed (tags removed)."""
    if src is None or not src.text or "\t" not in src.text:
        return []
    return [normalize_text(c) for c in src.text.split("\t")]


def sources(*items: object) -> tuple[Source | None, ...]:
    """``src`` of each model object (for ``related=``), skipping None."""
    out: list[Source | None] = []
    for item in items:
        src = getattr(item, "src", None)
        if isinstance(src, Source):
            out.append(src)
    return tuple(out)
