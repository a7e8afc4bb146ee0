"""Reorganisation mapping files: which old 부서/정책사업/단위사업 became which new one, when and why.

TOML (one ``[[map]]`` per move; ``amount`` moves part of a line, without it the rest moves)::

    title = "2019. 1. 1. 조직개편"
    [[map]]
    date = "2019-01-01"
    reason = "조직개편: 신속행정담당관 폐지"
    from = { division = "신속행정담당관", unit = "신속행정 현안조정 및 홍보" }
    to = { division = "시민소통담당관", policy = "시민과 함께하는 참여와 소통 시정구현" }
    amount = 63500          # optional, in the old table's unit

``from`` selects lines by ``division``, ``policy``, ``unit`` (names; spaces, quotes and brackets
ignored) or ``code``, or ``basic = true`` for the 기본경비 line; a selector with only ``division``
moves (or renames) the whole 부서. ``to`` gives the new names; what it omits is kept. CSV works too,
with columns ``date, reason, from_division, from_policy, from_unit, from_code, from_basic,
to_division, to_policy, to_unit, to_basic, amount``.
"""

from __future__ import annotations

import csv
import io
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from gyeolsan.io.errors import InputError
from gyeolsan.io.sheets.text import name_key

SELECTOR_KEYS = ("division", "policy", "unit", "code", "basic")


@dataclass(frozen=True)
class Selector:
    division: str | None = None
    policy: str | None = None
    unit: str | None = None
    code: str | None = None
    basic: bool | None = None

    def describe(self) -> str:
        parts = [self.division, self.policy, "기본경비" if self.basic else self.unit, self.code]
        return " / ".join(p for p in parts if p)


@dataclass(frozen=True)
class Move:
    source: Selector
    target: Selector
    amount: int | None = None
    date: str | None = None
    reason: str | None = None
    where: str = ""  # file and entry number, for messages

    @property
    def whole_division(self) -> bool:
        s = self.source
        return (
            s.division is not None and s.policy is None and s.unit is None and s.code is None and not s.basic
        )


@dataclass
class Mapping:
    title: str | None = None
    moves: list[Move] = field(default_factory=list)
    path: str = ""


def _selector(data: dict[str, object], where: str) -> Selector:
    unknown = set(data) - set(SELECTOR_KEYS)
    if unknown:
        raise InputError.single(
            "MAP001",
            f"매핑 파일 {where}: 알 수 없는 항목 {sorted(unknown)} (division, policy, unit, code, basic)",
            f"Mapping file {where}: unknown keys {sorted(unknown)}",
            where,
        )
    basic = data.get("basic")
    if isinstance(basic, str):
        basic = basic.strip().lower() in {"true", "1", "yes", "y", "예", "기본경비"}
    return Selector(
        division=_text(data.get("division")),
        policy=_text(data.get("policy")),
        unit=_text(data.get("unit")),
        code=_text(data.get("code")),
        basic=bool(basic) if basic not in (None, "") else None,
    )


def _text(v: object) -> str | None:
    if v is None:
        return None
    s = str(v).strip()
    return s or None


def _amount(v: object, where: str) -> int | None:
    if v in (None, ""):
        return None
    try:
        value = int(str(v).replace(",", "").strip())
    except ValueError:
        raise InputError.single(
            "MAP001",
            f"매핑 파일 {where}: 금액 {v!r}을(를) 읽을 수 없습니다",
            f"Mapping file {where}: bad amount {v!r}",
            where,
        ) from None
    if value <= 0:
        raise InputError.single(
            "MAP001",
            f"매핑 파일 {where}: 금액은 양수여야 합니다",
            f"Mapping {where}: amount must be positive",
            where,
        )
    return value


def load_mapping(path: Path) -> Mapping:
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError.single(
            "MAP001", f"매핑 파일을 읽을 수 없습니다: {exc}", f"Cannot read mapping file: {exc}", name
        ) from None
    if path.suffix.lower() == ".csv":
        return _from_csv(text, name)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError.single(
            "MAP001", f"매핑 파일 TOML 문법 오류: {exc}", f"Mapping file is not valid TOML: {exc}", name
        ) from None
    moves = []
    for i, entry in enumerate(data.get("map", []), start=1):
        where = f"{name} [[map]] #{i}"
        if "from" not in entry or "to" not in entry:
            raise InputError.single(
                "MAP001", f"{where}: from과 to가 필요합니다", f"{where}: needs from and to", name
            )
        moves.append(
            Move(
                _selector(entry["from"], where),
                _selector(entry["to"], where),
                _amount(entry.get("amount"), where),
                _text(entry.get("date")),
                _text(entry.get("reason")),
                where,
            )
        )
    return Mapping(_text(data.get("title")), moves, name)


def _from_csv(text: str, name: str) -> Mapping:
    moves = []
    for i, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        where = f"{name}:{i}"
        src = {k: row.get(f"from_{k}") for k in SELECTOR_KEYS if row.get(f"from_{k}")}
        dst = {k: row.get(f"to_{k}") for k in SELECTOR_KEYS if row.get(f"to_{k}")}
        if not src:
            raise InputError.single(
                "MAP001", f"{where}: from_… 열이 비어 있습니다", f"{where}: empty from_ columns", name, i
            )
        moves.append(
            Move(
                _selector(src, where),
                _selector(dst, where),
                _amount(row.get("amount"), where),
                _text(row.get("date")),
                _text(row.get("reason")),
                where,
            )
        )
    return Mapping(None, moves, name)


def matches(
    sel: Selector, division: str, policy: str | None, unit: str | None, code: str | None, basic: bool
) -> bool:
    if sel.division and name_key(sel.division) != name_key(division):
        return False
    if sel.policy and (policy is None or name_key(sel.policy) != name_key(policy)):
        return False
    if sel.basic is not None and sel.basic != basic:
        return False
    if sel.unit and (unit is None or name_key(sel.unit) != name_key(unit)):
        return False
    return not (sel.code and sel.code != code)
