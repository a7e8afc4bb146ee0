"""Code lists by year: 통계목 (성질별), 분야·부문 (기능별) and 세입 장/관/항/목.

The lists ship as CSV files in ``gyeolsan/data/codes/`` (``{kind}_{year}.csv``), derived from the header
rows of the public 지방재정연감 tables (see ``data/codes/README.md``). The same code can mean different
things in different years (40101 was 기본조사설계비 in 2008 and 시설비 in 2017), so a code is always
checked against the list of its fiscal year — or, between and after the published years, the nearest
earlier list, and the finding says so.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

from gyeolsan.model import Finding, Location, Severity

CodeKind = Literal["item", "function", "revenue"]

KIND_LABEL: dict[str, tuple[str, str]] = {
    "item": ("통계목", "expenditure item (통계목)"),
    "function": ("분야·부문", "function (분야·부문)"),
    "revenue": ("세입 과목", "revenue item (장/관/항/목)"),
}
# Level names per kind, from the broadest to the finest.
LEVELS: dict[str, tuple[str, ...]] = {
    "item": ("그룹", "편성목", "통계목"),
    "function": ("분야", "부문"),
    "revenue": ("장", "관", "항", "목"),
}
# Which rows of the shared yearbook CSV feed which kind.
_YEARBOOK_KINDS = {
    "세출 성질별: 그룹/편성목/통계목": "item",
    "세출 기능별: 분야/부문": "function",
    "세입: 장/관/항/목": "revenue",
}
FIELDS = ("level", "code", "name", "parent")


@dataclass(frozen=True)
class CodeEntry:
    code: str
    name: str
    level: str
    parent: str | None = None


@dataclass(frozen=True)
class CodeList:
    kind: str
    year: int
    entries: dict[str, CodeEntry] = field(hash=False)

    def get(self, code: str) -> CodeEntry | None:
        return self.entries.get(code)


def _codes_dir() -> Path:
    return Path(str(resources.files("gyeolsan.data").joinpath("codes")))


@cache
def available_years(kind: str) -> tuple[int, ...]:
    years = []
    for p in _codes_dir().glob(f"{kind}_*.csv"):
        m = re.fullmatch(rf"{kind}_(\d{{4}})\.csv", p.name)
        if m:
            years.append(int(m[1]))
    return tuple(sorted(years))


@cache
def load_list(kind: str, year: int) -> CodeList:
    path = _codes_dir() / f"{kind}_{year}.csv"
    entries: dict[str, CodeEntry] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            entries[row["code"]] = CodeEntry(row["code"], row["name"], row["level"], row["parent"] or None)
    return CodeList(kind, year, entries)


def list_for_year(kind: str, year: int | None) -> tuple[CodeList | None, str | None]:
    """The list to check ``year`` against and, when it is not that year's own list, a note why."""
    years = available_years(kind)
    if not years:
        return None, None
    if year in years:
        return load_list(kind, year), None
    earlier = [y for y in years if year is not None and y < year]
    chosen = earlier[-1] if earlier else (years[-1] if year is None else years[0])
    if year is None:
        note = f"회계연도를 알 수 없어 {chosen}년 목록으로 검증했습니다"
    elif earlier:
        note = f"{year}년 목록이 없어 가장 가까운 이전 목록({chosen}년)으로 검증했습니다"
    else:
        note = f"{year}년 이전 목록이 없어 {chosen}년 목록으로 검증했습니다 (그 사이 코드가 바뀌었을 수 있음)"
    return load_list(kind, chosen), note


_NAME_NOISE = re.compile(r"[\s·ㆍ・,()]")


def same_name(a: str, b: str) -> bool:
    return _NAME_NOISE.sub("", a) == _NAME_NOISE.sub("", b)


@dataclass
class CodeUse:
    """One distinct code as used in a file: its printed name, where it first appears, how often."""

    code: str
    name: str | None
    location: Location
    count: int = 1


def collect_uses(items: Iterable[tuple[str | None, str | None, Location]]) -> list[CodeUse]:
    uses: dict[tuple[str, str | None], CodeUse] = {}
    for code, name, loc in items:
        if not code:
            continue
        key = (code, name)
        if key in uses:
            uses[key].count += 1
        else:
            uses[key] = CodeUse(code, name, loc)
    return list(uses.values())


def check_codes(kind: str, year: int | None, uses: Iterable[CodeUse], path: str) -> list[Finding]:
    """Findings for codes not in the year's list (IMP151) or named differently (IMP152/IMP153)."""
    uses = list(uses)
    if not uses:
        return []
    ko, en = KIND_LABEL[kind]
    codes, note = list_for_year(kind, year)
    out: list[Finding] = []
    if codes is None:
        return out
    if note:
        out.append(
            Finding(
                rule="IMP150",
                severity=Severity.INFO,
                message=f"{ko} 코드: {note}",
                message_en=f"{en} codes: no list for {year}; checked against the {codes.year} list",
                location=uses[0].location,
            )
        )
    for use in uses:
        entry = codes.get(use.code)
        times = f" ({use.count}행)" if use.count > 1 else ""
        if entry is None:
            out.append(
                Finding(
                    rule="IMP151",
                    severity=Severity.WARNING,
                    message=f"{codes.year}년 {ko} 목록에 없는 코드입니다: {use.code} {use.name or ''}{times}".rstrip(),
                    message_en=f"Code {use.code} is not in the {codes.year} {en} list",
                    hint="코드를 확인하거나, 그 해의 코드 목록을 data/codes에 추가하세요",
                    location=use.location,
                    stated=use.code,
                )
            )
            continue
        if not use.name or same_name(use.name, entry.name):
            continue
        other = _meaning_elsewhere(kind, use.code, use.name, codes.year)
        if other is not None:
            out.append(
                Finding(
                    rule="IMP153",
                    severity=Severity.WARNING,
                    message=(
                        f"{ko} {use.code}은(는) {codes.year}년 목록에서 '{entry.name}'인데 "
                        f"'{use.name}'(={other}년 목록의 의미)로 적혀 있습니다{times}"
                    ),
                    message_en=(
                        f"{en} {use.code} means '{entry.name}' in the {codes.year} list, but the file names it "
                        f"'{use.name}', its meaning in the {other} list"
                    ),
                    hint="코드의 의미는 해마다 바뀝니다. 자료의 회계연도와 코드 체계를 확인하세요",
                    location=use.location,
                    stated=f"{use.code} {use.name}",
                    expected=f"{use.code} {entry.name}",
                )
            )
        else:
            out.append(
                Finding(
                    rule="IMP152",
                    severity=Severity.INFO,
                    message=f"{ko} {use.code}의 이름이 {codes.year}년 목록('{entry.name}')과 다릅니다: '{use.name}'{times}",
                    message_en=f"{en} {use.code} is named '{use.name}', the {codes.year} list says '{entry.name}'",
                    location=use.location,
                    stated=use.name,
                    expected=entry.name,
                )
            )
    return out


def _meaning_elsewhere(kind: str, code: str, name: str, except_year: int) -> int | None:
    for y in available_years(kind):
        if y == except_year:
            continue
        entry = load_list(kind, y).get(code)
        if entry is not None and same_name(entry.name, name):
            return y
    return None


# ------------------------------------------------------------------------------ derivation


def derive_from_yearbook_csv(text: str) -> dict[str, str]:
    """The shipped files, rebuilt from ``shared/data/local_finance_codes_2008_2017.csv``: {file name: CSV text}."""
    files: dict[tuple[str, int], dict[str, tuple[str, str, str, str]]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        kind = _YEARBOOK_KINDS.get(row["kind"])
        if kind is None:
            continue
        entries = files.setdefault((kind, int(row["source_year"])), {})
        parent = ""
        for level, level_name in enumerate(LEVELS[kind], start=1):
            code, name = row.get(f"level{level}_code") or "", row.get(f"level{level}_name") or ""
            if code:
                entries.setdefault(code, (level_name, code, name, parent))
                parent = code
    out: dict[str, str] = {}
    for (kind, year), entries in sorted(files.items()):
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(FIELDS)
        for code in sorted(entries):
            writer.writerow(entries[code])
        out[f"{kind}_{year}.csv"] = buf.getvalue()
    return out


if (
    __name__ == "__main__"
):  # python -m gyeolsan.io.sheets.codes ../shared/data/local_finance_codes_2008_2017.csv
    import sys

    for name, body in derive_from_yearbook_csv(Path(sys.argv[1]).read_text(encoding="utf-8")).items():
        (_codes_dir() / name).write_text(body, encoding="utf-8")
        print("wrote", name)
