"""The settlement workflow: 작성중 → 제출 → 승인 → 확정, per division; the office settlement is locked by the 총괄.

- submit: the division has no error finding, and every warning has a written explanation (kept as a note);
- approve: by the division's approver (or the 총괄);
- return (반려): back to 작성중, with a reason;
- lock (확정): every division approved, no error and no unexplained warning in the whole settlement;
  every division becomes 확정 and nothing can change;
- reopen: the 총괄 unlocks with a reason; divisions go back to 승인 (return one to edit it).
Every step is a ``WorkflowEvent`` and in the history.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from gyeolsan.web import permissions
from gyeolsan.web.permissions import Action
from gyeolsan.web.validation import Attributed, blocking, findings_of
from gyeolsan.web.workspace.models import Division, FindingNote, Settlement, State, WorkflowEvent


class WorkflowError(Exception):
    """A step that cannot be taken now; ``findings`` are what blocks it."""

    def __init__(self, message: str, message_en: str, findings: list[Attributed] | None = None):
        self.message, self.message_en, self.findings = message, message_en, findings or []
        super().__init__(message)


@dataclass(frozen=True)
class Step:
    action: Action
    label: str
    needs_reason: bool = False


STEPS = {
    Action.SUBMIT: Step(Action.SUBMIT, "제출"),
    Action.APPROVE: Step(Action.APPROVE, "승인"),
    Action.RETURN: Step(Action.RETURN, "반려", needs_reason=True),
}


def _deny(user: Any, action: Action, obj: Any) -> None:
    why = permissions.reason_denied(user, action, obj)
    if why is not None:
        raise WorkflowError(why, "Not allowed: " + action.value)


def _move(division: Division, to: State, action: Action, user: Any, reason: str = "") -> Division:
    event = WorkflowEvent(
        settlement=division.settlement,
        division=division,
        action=action.value,
        from_state=division.state,
        to_state=to,
        reason=reason,
        user=user,
    )
    division.state = to
    division.version += 1
    division._change_reason = f"{STEPS[action].label if action in STEPS else action.value}: {reason}".strip(
        ": "
    )  # type: ignore[attr-defined]
    division._history_user = user  # type: ignore[attr-defined]
    division.save()
    event.save()
    return division


def _fresh(division: Division) -> Division:
    return (
        Division.objects.select_for_update(of=("self",))
        .select_related("settlement", "settlement__office")
        .get(pk=division.pk)
    )


@transaction.atomic
def submit(division: Division, user: Any, explanations: dict[str, str] | None = None) -> Division:
    """작성중 → 제출. ``explanations``: finding key → written explanation for each open warning."""
    division = _fresh(division)
    _deny(user, Action.SUBMIT, division)
    record = division.settlement
    for key, text in (explanations or {}).items():
        if text.strip():
            explain(record, key, text, user)
    errors, warnings = blocking(record, division.pk)
    if errors:
        raise WorkflowError(
            f"오류 {len(errors)}건을 고쳐야 제출할 수 있습니다.",
            f"{len(errors)} error finding(s) must be fixed before submitting.",
            errors,
        )
    if warnings:
        raise WorkflowError(
            f"경고 {len(warnings)}건에 소명을 적어야 제출할 수 있습니다.",
            f"{len(warnings)} warning(s) need a written explanation before submitting.",
            warnings,
        )
    return _move(division, State.SUBMITTED, Action.SUBMIT, user)


@transaction.atomic
def approve(division: Division, user: Any) -> Division:
    division = _fresh(division)
    _deny(user, Action.APPROVE, division)
    return _move(division, State.APPROVED, Action.APPROVE, user)


@transaction.atomic
def return_(division: Division, user: Any, reason: str) -> Division:
    division = _fresh(division)
    _deny(user, Action.RETURN, division)
    if not reason.strip():
        raise WorkflowError("반려 사유를 적어 주십시오.", "A reason is required to return a division.")
    return _move(division, State.DRAFT, Action.RETURN, user, reason.strip())


@transaction.atomic
def lock(record: Settlement, user: Any) -> Settlement:
    """확정: every division approved and no open finding; then nothing can change."""
    record = Settlement.objects.select_for_update(of=("self",)).select_related("office").get(pk=record.pk)
    _deny(user, Action.LOCK, record)
    pending = [d.name for d in record.divisions.all() if d.state != State.APPROVED]
    if pending:
        raise WorkflowError(
            f"승인되지 않은 부서가 있습니다: {', '.join(pending)}",
            f"Divisions not approved yet: {', '.join(pending)}",
        )
    errors, warnings = blocking(record)
    if errors or warnings:
        raise WorkflowError(
            f"오류 {len(errors)}건, 소명 없는 경고 {len(warnings)}건이 있어 확정할 수 없습니다.",
            f"{len(errors)} error(s) and {len(warnings)} unexplained warning(s) prevent locking.",
            errors + warnings,
        )
    for division in record.divisions.all():
        _move_plain(division, State.FINAL, user, "확정")
    record.locked, record.locked_at, record.locked_by = True, timezone.now(), user
    record.version += 1
    record._change_reason = "확정(잠금)"  # type: ignore[attr-defined]
    record._history_user = user  # type: ignore[attr-defined]
    record.save()
    WorkflowEvent.objects.create(settlement=record, action=Action.LOCK.value, to_state=State.FINAL, user=user)
    return record


@transaction.atomic
def reopen(record: Settlement, user: Any, reason: str) -> Settlement:
    """확정 해제 (logged with its reason): divisions go back to 승인."""
    record = Settlement.objects.select_for_update(of=("self",)).select_related("office").get(pk=record.pk)
    _deny(user, Action.REOPEN, record)
    if not reason.strip():
        raise WorkflowError(
            "확정 해제 사유를 적어 주십시오.", "A reason is required to reopen a locked settlement."
        )
    record.locked, record.locked_at, record.locked_by = False, None, None
    record.version += 1
    record._change_reason = f"확정 해제: {reason.strip()}"  # type: ignore[attr-defined]
    record._history_user = user  # type: ignore[attr-defined]
    record.save()
    for division in record.divisions.all():
        _move_plain(division, State.APPROVED, user, f"확정 해제: {reason.strip()}")
    WorkflowEvent.objects.create(
        settlement=record,
        action=Action.REOPEN.value,
        from_state=State.FINAL,
        reason=reason.strip(),
        user=user,
    )
    return record


def _move_plain(division: Division, to: State, user: Any, why: str) -> None:
    division.state = to
    division.version += 1
    division._change_reason = why  # type: ignore[attr-defined]
    division._history_user = user  # type: ignore[attr-defined]
    division.save()


def explain(record: Settlement, key: str, text: str, user: Any) -> FindingNote:
    """Write (or add to) the explanation of a warning; the explanation is kept with the settlement."""
    found = next((a for a in findings_of(record).items if a.key == key), None)
    if found is None:
        raise WorkflowError(
            "해당 지적사항이 없습니다 (이미 해소되었을 수 있습니다).", "No such finding (maybe resolved)."
        )
    obj: Any = record
    if found.division_id is not None:
        obj = Division.objects.select_related("settlement").get(pk=found.division_id)
    why = permissions.reason_denied(user, Action.EXPLAIN, obj)
    if why is not None:
        raise WorkflowError(why, "Not allowed to explain this finding.")
    if not text.strip():
        raise WorkflowError("소명 내용을 적어 주십시오.", "The explanation is empty.")
    return FindingNote.objects.create(
        settlement=record,
        finding_key=key,
        rule=found.finding.rule,
        message=found.finding.message,
        kind=FindingNote.EXPLANATION,
        text=text.strip()[:5000],
        author=user,
    )


def comment(record: Settlement, key: str, text: str, user: Any) -> FindingNote:
    permissions.check(user, Action.COMMENT, record)
    if not text.strip():
        raise WorkflowError("의견 내용을 적어 주십시오.", "The comment is empty.")
    found = next((a for a in findings_of(record).items if a.key == key), None)
    return FindingNote.objects.create(
        settlement=record,
        finding_key=key,
        rule=found.finding.rule if found else "",
        message=found.finding.message if found else "",
        kind=FindingNote.COMMENT,
        text=text.strip()[:5000],
        author=user,
    )
