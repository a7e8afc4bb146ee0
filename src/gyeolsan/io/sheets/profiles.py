"""Mapping profiles: declarative TOML files that say how a kind of spreadsheet is laid out.

A profile names the table kind (세출 집행 현황, 세입 징수 현황, 이용·전용·이체 대장, 연감 wide table),
the sheets to look at, the header synonyms of each field, which fields are required, the labels of
subtotal rows and, where the source prints none, the unit. Built-in profiles live in
``gyeolsan/io/profiles/*.toml``; a user passes their own file with ``--profile path/to/file.toml``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from fnmatch import fnmatch
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from gyeolsan.io.errors import InputError
from gyeolsan.io.sheets.text import UNITS, label_key

TableKind = Literal["expenditure", "revenue", "adjustments", "wide"]

# Field types. Every field a profile may map is listed here, so a typo in a profile is an error.
MONEY_EXPENDITURE = (
    "budget",  # 예산액
    "budget_current",  # 예산현액
    "spent",  # 지출액 (집행액)
    "carried_over",  # 다음연도 이월액 계
    "carried_explicit",  # 명시이월
    "carried_accident",  # 사고이월
    "carried_continuing",  # 계속비이월
    "subsidy_returned",  # 보조금 반납
    "unused",  # 집행잔액
)
MONEY_REVENUE = (
    "budget",
    "budget_current",
    "levied",  # 징수결정액
    "received",  # 수납액
    "written_off",  # 불납결손액
    "uncollected",  # 미수납액
)
KEYS_EXPENDITURE = (
    "government",  # 자치단체
    "account",  # 회계
    "office",  # 실국
    "department",  # 부서
    "field",  # 분야
    "sector",  # 부문
    "policy",  # 정책사업
    "unit",  # 단위사업
    "detail",  # 세부사업
    "item",  # 통계목 (편성목)
)
KEYS_REVENUE = (
    "government",
    "account",
    "department",
    "chapter",
    "section",
    "subsection",
    "item",
)  # 장 관 항 목
ADJUSTMENT_FIELDS = (
    "kind",  # 구분: 이용/전용/이체/변경사용/명시이월/사고이월/계속비이월
    "date",  # 결정일
    "from_department",
    "from_policy",
    "from_unit",
    "from_detail",
    "from_item",
    "to_department",
    "to_policy",
    "to_unit",
    "to_detail",
    "to_item",
    "amount",
    "reason",
    "approved_on",  # 의회 승인일
    "reported_on",  # 상임위 보고일
)
# Key columns that classify rather than nest: a subtotal row covers all their values unless it prints one.
ATTRIBUTE_KEYS = frozenset({"account", "field", "sector"})
OTHER_FIELDS = ("year", "government_code", "rate", "level")
CODE_SUFFIX = "_code"

FIELDS_BY_KIND: dict[str, tuple[str, ...]] = {
    "expenditure": KEYS_EXPENDITURE + MONEY_EXPENDITURE,
    "revenue": KEYS_REVENUE + MONEY_REVENUE,
    "adjustments": ADJUSTMENT_FIELDS,
    "wide": ("government",),
}
KEYS_BY_KIND = {
    "expenditure": KEYS_EXPENDITURE,
    "revenue": KEYS_REVENUE,
    "adjustments": (),
    "wide": ("government",),
}
MONEY_BY_KIND = {
    "expenditure": MONEY_EXPENDITURE,
    "revenue": MONEY_REVENUE,
    "adjustments": ("amount",),
    "wide": (),
}


def allowed_fields(kind: str) -> set[str]:
    base = set(FIELDS_BY_KIND[kind]) | set(OTHER_FIELDS)
    return base | {k + CODE_SUFFIX for k in KEYS_BY_KIND[kind]}


@dataclass(frozen=True)
class FieldSpec:
    name: str
    synonyms: tuple[str, ...]  # normalised with label_key; "상위>하위" matches a multi-row header path
    fill_down: bool = False


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    title_en: str
    kind: TableKind
    fields: dict[str, FieldSpec] = field(hash=False)
    require: tuple[tuple[str, ...], ...] = ()  # each: alternatives, at least one must be found
    source: str = ""
    priority: int = 0
    sheets: tuple[str, ...] = ()  # sheet-name globs preferred (others still tried)
    sheets_only: bool = False  # look at no other sheet (the gyeolsan template's own sheets)
    unit: str | None = None  # when the file states none
    header_search_rows: int = 40
    total_labels: tuple[str, ...] = ()  # regexes on a key cell (spaces removed)
    subtotal_labels: tuple[str, ...] = ()
    group2_labels: tuple[str, ...] = ()  # wide tables: a second subtotal level (시 계, 자치구 계)
    subtotal_position: Literal["after", "before"] = "after"
    basic_names: tuple[str, ...] = ("기본경비", "행정운영경비")
    basic_codes: tuple[str, ...] = ()
    division: tuple[str, ...] = ("department",)  # first found field names the 부서 level
    codes: str | None = None  # wide tables: "item" | "function" | "revenue"
    measure: str = "budget"  # wide tables: which amount the cells hold
    path: str = ""  # where the profile was loaded from

    def is_total(self, text: str) -> bool:
        key = re.sub(r"\s+", "", text)
        return any(re.search(p, key) for p in self.total_labels)

    def subtotal_level(self, text: str) -> int | None:
        """0 = grand total, 1 = subtotal, 2 = second-level subtotal (wide tables), None = a detail row."""
        key = re.sub(r"\s+", "", text)
        if any(re.search(p, key) for p in self.total_labels):
            return 0
        if any(re.search(p, key) for p in self.group2_labels):
            return 2
        if any(re.search(p, key) for p in self.subtotal_labels):
            return 1
        return None

    def prefers_sheet(self, name: str | None) -> bool:
        return name is not None and any(fnmatch(name, pat) for pat in self.sheets)


def _bad(path: str, message: str) -> InputError:
    return InputError.single("IMP190", f"프로필 오류: {message}", f"Invalid profile: {message}", path)


def parse_profile(data: dict[str, Any], path: str) -> Profile:
    try:
        kind = data["kind"]
        name = data["name"]
    except KeyError as exc:
        raise _bad(path, f"'{exc.args[0]}' 항목이 없습니다") from None
    if kind not in FIELDS_BY_KIND:
        raise _bad(path, f"kind = {kind!r} (expenditure, revenue, adjustments, wide 중 하나)")
    allowed = allowed_fields(kind)
    fields: dict[str, FieldSpec] = {}
    for fname, spec in (data.get("fields") or {}).items():
        if fname not in allowed:
            raise _bad(path, f"알 수 없는 필드 {fname!r} (kind {kind})")
        if isinstance(spec, list):
            spec = {"synonyms": spec}
        synonyms = tuple(_norm_synonym(s) for s in spec.get("synonyms", ()))
        fields[fname] = FieldSpec(fname, synonyms, bool(spec.get("fill_down", False)))
    require = tuple(tuple(r.split("|")) for r in data.get("require", ()))
    for alternatives in require:
        for fname in alternatives:
            if fname not in fields:
                raise _bad(path, f"require의 {fname!r}에 대한 fields 항목이 없습니다")
    rows = data.get("rows") or {}
    for key in ("total", "subtotal", "subtotal2"):
        for pattern in rows.get(key, ()):
            if re.search(r"\(\?<?[=!]", pattern):
                raise _bad(path, f"rows.{key}의 {pattern!r}: 앞뒤 살피기(look-around)는 쓸 수 없습니다")
            try:
                re.compile(pattern)
            except re.error as exc:
                raise _bad(path, f"rows.{key}의 정규식 {pattern!r}: {exc}") from None
    unit = data.get("unit") or None
    if unit is not None and unit not in UNITS:
        raise _bad(path, f"unit = {unit!r}")
    return Profile(
        name=name,
        title=data.get("title", name),
        title_en=data.get("title_en", data.get("title", name)),
        kind=kind,
        fields=fields,
        require=require,
        source=data.get("source", ""),
        priority=int(data.get("priority", 0)),
        sheets=tuple(data.get("sheets", ())),
        sheets_only=bool(data.get("sheets_only", False)),
        unit=unit,
        header_search_rows=int(data.get("header_search_rows", 40)),
        total_labels=tuple(rows.get("total", ())),
        subtotal_labels=tuple(rows.get("subtotal", ())),
        group2_labels=tuple(rows.get("subtotal2", ())),
        subtotal_position=rows.get("subtotal_position", "after"),
        basic_names=tuple((data.get("basic") or {}).get("names", ("기본경비", "행정운영경비"))),
        basic_codes=tuple((data.get("basic") or {}).get("codes", ())),
        division=tuple(data.get("division", ("department",))),
        codes=data.get("codes"),
        measure=data.get("measure", "budget"),
        path=path,
    )


def _norm_synonym(s: str) -> str:
    return ">".join(label_key(part) for part in s.split(">"))


def _builtin_dir() -> Path:
    return Path(str(resources.files("gyeolsan.io").joinpath("profiles")))


@cache
def builtin_profiles() -> tuple[Profile, ...]:
    out = []
    for p in sorted(_builtin_dir().glob("*.toml")):
        out.append(load_profile_file(p))
    return tuple(sorted(out, key=lambda pr: -pr.priority))


def load_profile_file(path: Path) -> Profile:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise _bad(str(path), f"읽을 수 없습니다: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise _bad(str(path), f"TOML 문법 오류: {exc}") from None
    return parse_profile(data, str(path))


def resolve(name: str | None) -> tuple[Profile, ...]:
    """The candidate profiles: all built-ins, or the one named (a built-in name or a .toml path)."""
    if not name:
        return builtin_profiles()
    if name.endswith(".toml") or "/" in name:
        return (load_profile_file(Path(name)),)
    chosen = tuple(p for p in builtin_profiles() if p.name == name)
    if not chosen:
        names = ", ".join(p.name for p in builtin_profiles())
        raise InputError.single(
            "IMP191",
            f"프로필 '{name}'이(가) 없습니다 (사용 가능: {names})",
            f"No profile named '{name}' (available: {names})",
            name,
        )
    return chosen
