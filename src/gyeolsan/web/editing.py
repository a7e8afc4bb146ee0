"""Editing stored rows: which fields are editable, parsing what an officer typed, optimistic locking.

Two officers editing the same row never silently overwrite each other: every row has a ``version``;
a save carries the version it was read at, and when the stored row has moved on the save is refused
with both values (:class:`Conflict`). Used by the table editor, the forms and the API alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction

from gyeolsan.model import numbers
from gyeolsan.web import permissions
from gyeolsan.web.convert import bump
from gyeolsan.web.workspace.models import (
    MONEY_LIMIT,
    Adjustment,
    AuditRecommendation,
    BudgetLine,
    ChangeLine,
    ProgramCard,
    RevenueLine,
    Row,
    StaffingRow,
)


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: str  # money | rate | int | text | longtext | date | choice | lines


MONEY_FIELDS_BUDGET = [
    FieldSpec("budget", "예산액", "money"),
    FieldSpec("budget_current", "예산현액", "money"),
    FieldSpec("spent", "집행액", "money"),
    FieldSpec("carried_over", "다음연도 이월액", "money"),
    FieldSpec("carried_explicit", "명시이월", "money"),
    FieldSpec("carried_accident", "사고이월", "money"),
    FieldSpec("carried_continuing", "계속비이월", "money"),
    FieldSpec("subsidy_returned", "보조금 반납", "money"),
    FieldSpec("unused", "집행잔액", "money"),
    FieldSpec("rate", "집행률", "rate"),
]

EDITABLE: dict[type[Row], list[FieldSpec]] = {
    BudgetLine: [FieldSpec("name", "명칭", "text"), FieldSpec("code", "코드", "text"), *MONEY_FIELDS_BUDGET],
    ChangeLine: [
        FieldSpec("name", "명칭", "text"),
        FieldSpec("previous", "전년 예산", "money"),
        FieldSpec("current", "당해 예산", "money"),
        FieldSpec("change", "증감", "money"),
        FieldSpec("change_rate", "증감률", "rate"),
    ],
    RevenueLine: [
        FieldSpec("name", "명칭", "text"),
        FieldSpec("budget", "예산액", "money"),
        FieldSpec("budget_current", "예산현액", "money"),
        FieldSpec("levied", "징수결정액", "money"),
        FieldSpec("received", "수납액", "money"),
        FieldSpec("written_off", "불납결손액", "money"),
        FieldSpec("uncollected", "미수납액", "money"),
    ],
    StaffingRow: [FieldSpec("quota", "정원", "int"), FieldSpec("current", "현원", "int")],
    Adjustment: [
        FieldSpec("kind", "구분", "choice"),
        FieldSpec("carry_kind", "이월 구분", "choice"),
        FieldSpec("date", "결정일", "date"),
        FieldSpec("from_division", "부서(전)", "text"),
        FieldSpec("from_program", "사업(전)", "text"),
        FieldSpec("from_item", "과목(전)", "text"),
        FieldSpec("to_division", "부서(후)", "text"),
        FieldSpec("to_program", "사업(후)", "text"),
        FieldSpec("to_item", "과목(후)", "text"),
        FieldSpec("amount", "금액", "money"),
        FieldSpec("reason", "사유", "longtext"),
        FieldSpec("approved_on", "의회 승인일", "date"),
        FieldSpec("reported_on", "상임위 보고일", "date"),
    ],
    ProgramCard: [
        FieldSpec("title", "사업명", "text"),
        FieldSpec("goal", "목적", "longtext"),
        FieldSpec("card_budget_current", "예산현액(백만원)", "money"),
        FieldSpec("card_spent", "집행액(백만원)", "money"),
        FieldSpec("card_rate", "집행률", "rate"),
        FieldSpec("card_note", "비고", "text"),
        FieldSpec("unit_programs", "대상 단위사업", "lines"),
        FieldSpec("sections", "카드 내용", "sections"),
    ],
    AuditRecommendation: [
        FieldSpec("title", "제목", "text"),
        FieldSpec("status", "추진상황", "text"),
        FieldSpec("status_date", "추진상황 기준일", "date"),
        FieldSpec("content", "지적 내용", "lines"),
        FieldSpec("action", "조치 결과", "lines"),
    ],
}

CARD_LINE = ("card_budget_current", "card_spent", "card_rate")
MODELS_BY_NAME: dict[str, type[Row]] = {m._meta.model_name: m for m in EDITABLE}  # type: ignore[misc]


def spec(model: type[Row], name: str) -> FieldSpec | None:
    return next((s for s in EDITABLE.get(model, []) if s.name == name), None)


class InvalidValue(ValueError):
    def __init__(self, label: str, message: str):
        self.label = label
        super().__init__(message)


def _clean_text(raw: str, limit: int) -> str:
    text = raw.replace("\x00", "").strip()
    if len(text) > limit:
        raise ValueError(f"{limit}자 이하로 입력하십시오")
    return text


def parse_value(s: FieldSpec, raw: Any, model: type[Row]) -> Any:
    """What an officer typed → the stored value ("1,234" → 1234, "△12" → -12, "-" → None, "96.7" → "96.7")."""
    if raw is None:
        return None
    if s.kind == "lines":
        items = raw if isinstance(raw, list) else str(raw).replace("\r\n", "\n").split("\n")
        try:
            return [_clean_text(str(x), 2000) for x in items if str(x).strip()]
        except ValueError as exc:
            raise InvalidValue(s.label, f"{s.label}: {exc}") from None
    if s.kind == "sections":
        return _sections(s, raw)
    text = _clean_text(str(raw), 5000)
    try:
        if s.kind == "money":
            value = numbers.parse_amount(text)
            if value is not None and abs(value) >= MONEY_LIMIT:
                raise ValueError("금액이 너무 큽니다")
            return value
        if s.kind == "int":
            amount = numbers.parse_amount(text)
            if amount is not None and not 0 <= amount < 10**6:
                raise ValueError("0 이상 백만 미만의 정수를 입력하십시오")
            return amount
        if s.kind == "rate":
            rate = numbers.parse_rate(text)
            if rate is not None and abs(rate) >= Decimal(10**9):
                raise ValueError("비율이 너무 큽니다")
            return "" if rate is None else str(rate)
    except numbers.NumberParseError:
        what = "비율" if s.kind == "rate" else "숫자"
        raise InvalidValue(s.label, f"{s.label}: '{text}'을(를) {what}(으)로 읽을 수 없습니다") from None
    except ValueError as exc:
        raise InvalidValue(s.label, f"{s.label}: {exc}") from None
    if s.kind == "date":
        return parse_date_text(text)
    if s.kind == "choice":
        field_ = model._meta.get_field(s.name)
        allowed = {c for c, _ in field_.choices or ()}  # type: ignore[union-attr]
        if not text and field_.null:  # type: ignore[union-attr]
            return None
        if text not in allowed:
            raise InvalidValue(s.label, f"{s.label}: {', '.join(sorted(allowed))} 중 하나를 고르십시오")
        return text
    limit = 5000 if s.kind == "longtext" else 300
    try:
        text = _clean_text(text, limit)
    except ValueError as exc:
        raise InvalidValue(s.label, f"{s.label}: {exc}") from None
    if not text and s.name in ("name", "title"):
        raise InvalidValue(s.label, f"{s.label}: 비워 둘 수 없습니다")
    nullable = model._meta.get_field(s.name).null  # type: ignore[union-attr]
    if text:
        return text
    return None if nullable else ""


def _sections(s: FieldSpec, raw: Any) -> list[dict[str, Any]]:
    """Card sections (canonical JSON), validated by the core model."""
    from pydantic import ValidationError

    from gyeolsan.model import CardSection

    if not isinstance(raw, list):
        raise InvalidValue(s.label, f"{s.label}: 목록이어야 합니다")
    try:
        return [CardSection.model_validate(x).model_dump(mode="json", exclude_defaults=True) for x in raw]
    except ValidationError as exc:
        raise InvalidValue(s.label, f"{s.label}: 형식 오류 ({exc.error_count()}건)") from None


def parse_date_text(text: str) -> dict[str, Any] | None:
    """ "'18. 11월", "2019. 6. 17." → DateText JSON (text kept as typed); "" → None."""
    if not text:
        return None
    from gyeolsan.io.report_text.context import parse_date

    parsed = parse_date(text)
    data = {"text": text}
    if parsed is not None:
        data.update(
            {k: v for k, v in (("year", parsed.year), ("month", parsed.month), ("day", parsed.day)) if v}
        )
    return data


def display(s: FieldSpec | None, value: Any) -> str:
    """A stored value as the officer sees it."""
    if value is None or value == "":
        return "-" if s is not None and s.kind in ("money", "rate", "int") else ""
    if s is None:
        return str(value)
    if s.kind == "money":
        return numbers.format_number(value)
    if s.kind == "int":
        return f"{value:,}"
    if s.kind == "rate":
        return f"{'△' if value.startswith('-') else ''}{value.lstrip('-')}"
    if s.kind == "date":
        return str(value.get("text", ""))
    if s.kind == "lines":
        return "\n".join(value)
    return str(value)


@dataclass
class Conflict:
    """The row changed since the officer read it: both values, and who changed it."""

    fields: list[dict[str, str]]
    by: str
    version: int

    @property
    def message(self) -> str:
        parts = ", ".join(
            f"{f['label']}: 현재 값 {f['theirs']} / 입력한 값 {f['yours']}" for f in self.fields
        )
        return f"다른 사용자({self.by})가 먼저 고쳤습니다. 저장하지 않았습니다 — {parts}"

    @property
    def message_en(self) -> str:
        parts = ", ".join(f"{f['name']}: current {f['theirs']} / yours {f['yours']}" for f in self.fields)
        return f"Changed by {self.by} since you loaded it; not saved — {parts}"


@dataclass
class Result:
    obj: Row | None = None
    conflict: Conflict | None = None
    errors: dict[str, str] = field(default_factory=dict)
    denied: str | None = None
    changed: bool = False

    @property
    def ok(self) -> bool:
        return self.obj is not None and not (self.conflict or self.errors or self.denied)


def parse_changes(model: type[Row], raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, value in raw.items():
        s = spec(model, name)
        if s is None:
            errors[name] = f"고칠 수 없는 항목입니다: {name}"
            continue
        try:
            values[name] = parse_value(s, value, model)
        except InvalidValue as exc:
            errors[name] = str(exc)
    return values, errors


def _last_editor(obj: Row) -> str:
    last = obj.history.first()  # type: ignore[attr-defined]
    user = getattr(last, "history_user", None)
    if user is None:
        return "알 수 없음"
    return user.get_full_name() or user.get_username()


def update_row(
    model: type[Row], pk: int, raw: dict[str, Any], version: int | None, user: Any, reason: str = "편집"
) -> Result:
    """Save an officer's edit of one row (permission, parsing, optimistic lock, history, revision)."""
    values, errors = parse_changes(model, raw)
    if errors:
        return Result(errors=errors)
    with transaction.atomic():
        current = (
            model.objects.select_for_update(of=("self",))
            .select_related("settlement", "division")
            .filter(pk=pk)
            .first()
        )
        if current is None:
            return Result(denied="행을 찾을 수 없습니다 (삭제되었을 수 있습니다).")
        why = permissions.reason_denied(user, permissions.Action.EDIT, current)
        if why is not None:
            return Result(denied=why)
        if version is not None and current.version != version:
            fields = []
            for name, value in values.items():
                s = spec(model, name)
                fields.append(
                    {
                        "name": name,
                        "label": s.label if s else name,
                        "theirs": display(s, getattr(current, name)) or "(빈 값)",
                        "yours": display(s, value) or "(빈 값)",
                    }
                )
            return Result(conflict=Conflict(fields, _last_editor(current), current.version))
        changed = {k: v for k, v in values.items() if getattr(current, k) != v}
        if not changed:
            return Result(obj=current)
        for name, value in changed.items():
            setattr(current, name, value)
        if model is Adjustment:
            _adjustment_owner(current)  # type: ignore[arg-type]
        if model is ProgramCard and any(getattr(current, f) not in (None, "") for f in CARD_LINE):
            current.has_settlement = True  # type: ignore[attr-defined]
        current.version += 1
        current._change_reason = reason  # type: ignore[attr-defined]
        current._history_user = user  # type: ignore[attr-defined]
        current.save()
        bump(current.settlement)
    return Result(obj=current, changed=True)


def _adjustment_owner(adj: Adjustment) -> None:
    """An adjustment belongs to the division it takes budget from (else gives to, else of its program)."""
    from gyeolsan.web.convert import adjustment_division, row_values
    from gyeolsan.web.workspace.models import division_key

    divisions = {d.key: d for d in adj.settlement.divisions.all()}
    programs = {
        division_key(ln.name): ln.division.key
        for ln in BudgetLine.objects.filter(settlement=adj.settlement, place="settlement").select_related(
            "division"
        )
        if ln.division is not None
    }
    key = adjustment_division(row_values(adj), {k: d.name for k, d in divisions.items()}, programs)
    if key is not None:
        adj.division = divisions[key]


def create_adjustment(record: Any, raw: dict[str, Any], user: Any, reason: str) -> Result:
    """Add a record to the ledger (permission by the division it belongs to)."""
    values, errors = parse_changes(Adjustment, raw)
    if not errors and not values.get("kind"):
        errors["kind"] = "구분: 이용·전용·변경사용·이체·이월 중 하나를 고르십시오"
    if errors:
        return Result(errors=errors)
    adj = Adjustment(settlement=record, **values)
    _adjustment_owner(adj)
    why = permissions.reason_denied(user, permissions.Action.EDIT, adj)
    if why is not None:
        return Result(denied=why)
    with transaction.atomic():
        last = Adjustment.objects.filter(settlement=record).order_by("-position").first()
        adj.position = last.position + 1 if last else 0
        adj._change_reason = reason  # type: ignore[attr-defined]
        adj._history_user = user  # type: ignore[attr-defined]
        adj.save()
        bump(record)
    return Result(obj=adj, changed=True)


def delete_row(obj: Row, user: Any, reason: str) -> str | None:
    """Delete a ledger record; the reason it is not allowed, or None."""
    why = permissions.reason_denied(user, permissions.Action.EDIT, obj)
    if why is not None:
        return why
    with transaction.atomic():
        obj._change_reason = reason  # type: ignore[attr-defined]
        obj._history_user = user  # type: ignore[attr-defined]
        obj.delete()
        bump(obj.settlement)
    return None
