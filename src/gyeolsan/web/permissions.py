"""Who may do what — the one permission module used by views, forms and the API.

Roles (``Membership``): 부서 작성자 and 부서 승인자 belong to one division of an office; 실국 총괄 to an
office; 열람자 to an office or to every office (council staff, 결산검사위원); 관리자 (or a superuser)
may do everything that the workflow allows. A locked (확정) settlement cannot change.

| action        | 작성자 | 승인자 | 총괄 | 열람자 | 관리자 |
|---------------|:-----:|:-----:|:---:|:-----:|:-----:|
| view, download, comment | ✓ | ✓ | ✓ | ✓ | ✓ |
| edit own division's rows (while 작성중) | ✓ | ✓ | – | – | ✓ |
| edit office rows (totals, revenue, headlines, deadlines) | – | – | ✓ | – | ✓ |
| explain a warning (소명) | own division | own division | office rows | – | ✓ |
| submit division | ✓ | ✓ | ✓ | – | ✓ |
| approve division | – | ✓ | ✓ | – | ✓ |
| return division (반려) | – | ✓ (제출) | ✓ | – | ✓ |
| lock / reopen settlement, generate documents, import | – | – | ✓ | – | ✓ |
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied

from gyeolsan.web.workspace.models import Division, Membership, Office, Role, Settlement, State


class Action(StrEnum):
    VIEW = "view"
    DOWNLOAD = "download"
    COMMENT = "comment"
    EDIT = "edit"
    EXPLAIN = "explain"
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    LOCK = "lock"
    REOPEN = "reopen"
    GENERATE = "generate"
    IMPORT = "import"


ACTION_LABELS = {
    Action.VIEW: "열람",
    Action.DOWNLOAD: "내려받기",
    Action.COMMENT: "의견 작성",
    Action.EDIT: "수정",
    Action.EXPLAIN: "소명",
    Action.SUBMIT: "제출",
    Action.APPROVE: "승인",
    Action.RETURN: "반려",
    Action.LOCK: "확정(잠금)",
    Action.REOPEN: "확정 해제",
    Action.GENERATE: "문서 생성",
    Action.IMPORT: "가져오기",
}


@dataclass(frozen=True)
class Roles:
    """A user's roles in one office."""

    admin: bool = False
    viewer: bool = False
    coordinator: bool = False
    writer_of: frozenset[str] = frozenset()  # division keys
    approver_of: frozenset[str] = frozenset()

    @property
    def member(self) -> bool:
        return self.admin or self.viewer or self.coordinator or bool(self.writer_of or self.approver_of)

    def labels(self) -> list[str]:
        out = []
        if self.admin:
            out.append(Role.ADMIN.label)
        if self.coordinator:
            out.append(Role.COORDINATOR.label)
        out += [f"{Role.APPROVER.label} ({d})" for d in sorted(self.approver_of)]
        out += [f"{Role.WRITER.label} ({d})" for d in sorted(self.writer_of)]
        if self.viewer:
            out.append(Role.VIEWER.label)
        return out


def memberships(user: Any) -> list[Membership]:
    cache = getattr(user, "_gyeolsan_memberships", None)
    if cache is None:
        cache = list(Membership.objects.filter(user=user)) if user.is_authenticated else []
        user._gyeolsan_memberships = cache
    return cache


def roles(user: Any, office: Office | int | None) -> Roles:
    if not user.is_authenticated or not user.is_active:
        return Roles()
    office_id = office.pk if isinstance(office, Office) else office
    mine = [m for m in memberships(user) if m.office_id is None or m.office_id == office_id]
    return Roles(
        admin=user.is_superuser or any(m.role == Role.ADMIN for m in mine),
        viewer=any(m.role == Role.VIEWER for m in mine),
        coordinator=any(m.role == Role.COORDINATOR for m in mine if m.office_id is not None),
        writer_of=frozenset(m.division for m in mine if m.role == Role.WRITER and m.office_id is not None),
        approver_of=frozenset(
            m.division for m in mine if m.role == Role.APPROVER and m.office_id is not None
        ),
    )


def visible_settlements(user: Any):  # type: ignore[no-untyped-def]
    """Settlements a user may see."""
    qs = Settlement.objects.select_related("office")
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser or any(m.office_id is None for m in memberships(user)):
        return qs
    return qs.filter(office_id__in={m.office_id for m in memberships(user)})


def _target(obj: Any) -> tuple[Settlement, Division | None, bool]:
    """(settlement, division, is_division_object) of a settlement, division or stored row."""
    if isinstance(obj, Settlement):
        return obj, None, False
    if isinstance(obj, Division):
        return obj.settlement, obj, True
    settlement = obj.settlement
    division = obj.division if getattr(obj, "division_id", None) else None
    return settlement, division, division is not None


def can(user: Any, action: Action | str, obj: Any) -> bool:
    """May ``user`` do ``action`` on ``obj`` (a Settlement, a Division or a stored row)?"""
    return reason_denied(user, action, obj) is None


def reason_denied(user: Any, action: Action | str, obj: Any) -> str | None:
    """None when allowed; otherwise why not (Korean, shown to the user)."""
    action = Action(action)
    settlement, division, on_division = _target(obj)
    r = roles(user, settlement.office_id)
    if not r.member:
        return "이 결산에 대한 권한이 없습니다."
    if action in (Action.VIEW, Action.DOWNLOAD, Action.COMMENT):
        return None
    own = division is not None and (division.key in r.writer_of or division.key in r.approver_of)
    locked = "확정(잠금)된 결산은 바꿀 수 없습니다. 총괄이 확정을 해제해야 합니다."

    if action in (Action.EDIT, Action.EXPLAIN):
        if settlement.locked:
            return locked
        if on_division:
            if not (r.admin or own):
                return f"{division.name} 담당자만 고칠 수 있습니다."  # type: ignore[union-attr]
            if division.state != State.DRAFT:  # type: ignore[union-attr]
                return f"{division.name}은(는) {division.get_state_display()} 상태라 고칠 수 없습니다. 반려되어야 합니다."  # type: ignore[union-attr]
            return None
        return None if (r.admin or r.coordinator) else "실국 공통 항목은 총괄만 고칠 수 있습니다."

    if action in (Action.SUBMIT, Action.APPROVE, Action.RETURN):
        if division is None:
            return "부서에 대한 작업입니다."
        if settlement.locked:
            return locked
        approver = r.admin or r.coordinator or division.key in r.approver_of
        if action is Action.SUBMIT:
            if not (approver or division.key in r.writer_of):
                return f"{division.name} 담당자만 제출할 수 있습니다."
            return None if division.state == State.DRAFT else "작성중인 부서만 제출할 수 있습니다."
        if action is Action.APPROVE:
            if not approver:
                return f"{division.name} 승인자만 승인할 수 있습니다."
            return None if division.state == State.SUBMITTED else "제출된 부서만 승인할 수 있습니다."
        # RETURN: the division's approver from 제출; the 총괄 from 제출 or 승인
        if division.state == State.SUBMITTED and approver:
            return None
        if division.state == State.APPROVED and (r.admin or r.coordinator):
            return None
        return "제출된 부서는 승인자가, 승인된 부서는 총괄이 반려할 수 있습니다."

    # office-level actions
    if not (r.admin or r.coordinator):
        return "실국 총괄만 할 수 있습니다."
    if action is Action.LOCK:
        return "이미 확정된 결산입니다." if settlement.locked else None
    if action is Action.REOPEN:
        return None if settlement.locked else "확정된 결산이 아닙니다."
    if action is Action.IMPORT:
        return locked if settlement.locked else None
    return None  # GENERATE


def check(user: Any, action: Action | str, obj: Any) -> None:
    """Raise ``PermissionDenied`` (403, with the Korean reason) unless allowed."""
    why = reason_denied(user, action, obj)
    if why is not None:
        raise PermissionDenied(why)


def can_import_new(user: Any, government: str, office_name: str) -> bool:
    """May the user create a settlement for an office (its 총괄, or an administrator)?"""
    office = Office.objects.filter(government=government, name=office_name).first()
    r = roles(user, office)
    return r.admin or (office is not None and r.coordinator)


def editable_divisions(user: Any, settlement: Settlement) -> set[str]:
    """Division keys whose rows the user may edit right now (fast path for table rendering)."""
    r = roles(user, settlement.office_id)
    if settlement.locked:
        return set()
    keys = {d.key for d in settlement.divisions.all() if d.state == State.DRAFT}
    return keys if r.admin else keys & (r.writer_of | r.approver_of)
