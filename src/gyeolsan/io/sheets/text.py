"""Text helpers for spreadsheet cells: header labels, units, "code name" cells, cell addresses, names."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from gyeolsan.model.numbers import normalize_text

UNITS = ("백만원", "천원", "억원", "만원", "원")
_UNIT_LINE = re.compile(r"단\s*위\s*[:：]?\s*(백만원|천원|억원|만원|원)")
_UNIT_PAREN = re.compile(r"[(\[]\s*(?:단\s*위\s*[:：]?\s*)?(백만원|천원|억원|만원|원)\s*[)\]]")
_MARKERS = re.compile(r"[(\[][^()\[\]]*[)\]]|[①-⑳]|※.*$")
_SPACES = re.compile(r"\s+")


def cell_text(value: Any) -> str | None:
    """A cell value as text for the raw frame: ints exact, integral floats without ".0", dates ISO."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return repr(value)
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).replace("\u00a0", " ").replace("\r\n", "\n").strip()
    return text or None


def label_key(text: str) -> str:
    """Header label as compared with profile synonyms: no spaces, units, markers like (A) or ①."""
    s = normalize_text(text)
    s = _MARKERS.sub("", s)
    return _SPACES.sub("", s).replace("·", "").replace("ㆍ", "").casefold()


def label_unit(text: str) -> str | None:
    """The unit a header label carries: "예산액(천원)" → "천원"."""
    m = _UNIT_PAREN.search(normalize_text(text))
    return m[1] if m else None


def unit_line(text: str) -> str | None:
    """The unit of a "(단위: 천원)" line, or None."""
    m = _UNIT_LINE.search(normalize_text(text))
    return m[1] if m else None


_YEAR = re.compile(r"(?<!\d)(20\d\d|19\d\d)\s*(?:년도|회계\s*연도|년|회계)")


def year_in(text: str) -> int | None:
    """ "2018회계연도 세출 …" → 2018."""
    m = _YEAR.search(text)
    return int(m[1]) if m else None


# A cell holding code and name together: "010 일반공공행정", "10101 보수", "[08A] …", "201-01 사무관리비".
CODE_NAME = r"^[\[(]?(\d[0-9A-Za-z-]{1,19})[\])]?[\s_:.]+(\S.*)$"
_CODE_NAME = re.compile(CODE_NAME)
# A header cell naming a code (연감 wide tables): "100 인건비", "10101 보수", "011 입법및선거관리".
HEADER_CODE = re.compile(r"^[\[(]?(\d{3}[0-9A-Z]{0,2})[\])]?\s*[-_.:]?\s*(\D.*)$")


def split_code_name(text: str) -> tuple[str | None, str]:
    m = _CODE_NAME.match(text.strip())
    if m is None:
        return None, text.strip()
    return m[1], m[2].strip()


def normalize_code(code: str) -> str:
    """ "201-01" → "20101"; keep letters and leading zeros."""
    return code.replace("-", "").strip()


def column_letter(index: int) -> str:
    """0-based column index → "A", "B", …, "AA"."""
    n, out = index + 1, ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def cell_ref(col: int, row: int) -> str:
    """0-based column, 1-based row → "B17"."""
    return f"{column_letter(col)}{row}"


_NAME_NOISE = re.compile(r"[\s「」『』\[\]()'\"‘’“”·ㆍ・,.]")


def name_key(name: str) -> str:
    """Names compared across sources: "시정종합 월간지 「서울사랑」 발간" == "시정종합 월간지 '서울사랑' 발간"."""
    return _NAME_NOISE.sub("", normalize_text(name))
