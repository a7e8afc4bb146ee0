"""작성중 → 제출 → 승인 → 확정: errors block submission, warnings need a kept explanation, lock and reopen."""

from __future__ import annotations

import pytest

from gyeolsan.web import workflow
from gyeolsan.web.editing import update_row
from gyeolsan.web.validation import findings_of
from gyeolsan.web.workspace.models import BudgetLine, FindingNote, Settlement, State, WorkflowEvent
from tests.web.helpers import unit_line

pytestmark = pytest.mark.django_db


def _break(record, division, user, by=500):
    """Make a 단위사업's 집행액 disagree with its 정책사업 subtotal (an error finding)."""
    row = unit_line(record, division)
    result = update_row(BudgetLine, row.pk, {"spent": str((row.spent or 0) + by)}, row.version, user)
    assert result.ok, result
    record.refresh_from_db()
    return row


def _approve_all(record, people):
    for d in record.divisions.all():
        workflow.submit(d, people.coordinator)
        workflow.approve(d, people.coordinator)


def test_error_blocks_submission_until_fixed(stored, people):
    row = _break(stored, people.division_a, people.writer)
    errors = [
        a for a in findings_of(stored).for_division(people.division_a.pk) if a.severity.value == "error"
    ]
    assert errors, "the broken subtotal is an error of division A"
    with pytest.raises(workflow.WorkflowError) as exc:
        workflow.submit(people.division_a, people.writer)
    assert "오류" in exc.value.message and exc.value.findings
    people.division_a.refresh_from_db()
    assert people.division_a.state == State.DRAFT
    row.refresh_from_db()
    assert update_row(BudgetLine, row.pk, {"spent": str(row.spent - 500)}, row.version, people.writer).ok
    workflow.submit(people.division_a, people.writer)
    people.division_a.refresh_from_db()
    assert people.division_a.state == State.SUBMITTED
    # another division's error does not block division A
    assert findings_of(Settlement.objects.get(pk=stored.pk)).counts(people.division_a.pk)["error"] == 0


def test_warnings_need_a_written_explanation(stored, people, monkeypatch):
    from gyeolsan.model import Finding, Location, Severity
    from gyeolsan.web import validation

    row = unit_line(stored, people.division_a)
    real = validation.compute

    def with_warning(record, overrides=None):
        found = real(record, overrides)
        warning = Finding(
            rule="RATE002",
            severity=Severity.WARNING,
            message="집행률 경고",
            message_en="rate warning",
            location=Location(path="x", row=row.name, field="rate"),
        )
        found.items.append(
            validation.Attributed(warning, f"budgetline:{row.pk}", people.division_a.pk, "k-warning")
        )
        return found

    monkeypatch.setattr(validation, "compute", with_warning)
    stored.findings_revision = None
    stored.save()
    with pytest.raises(workflow.WorkflowError) as exc:
        workflow.submit(people.division_a, people.writer)
    assert "소명" in exc.value.message
    with pytest.raises(workflow.WorkflowError):
        workflow.submit(people.division_a, people.writer, {"k-warning": "   "})
    workflow.submit(people.division_a, people.writer, {"k-warning": "추경 반영 시기 차이로 생긴 차이입니다."})
    note = FindingNote.objects.get(settlement=stored, finding_key="k-warning")
    assert (note.kind, note.author, note.rule) == (FindingNote.EXPLANATION, people.writer, "RATE002")


def test_approve_return_and_reasons(stored, people):
    d = people.division_a
    workflow.submit(d, people.writer)
    with pytest.raises(workflow.WorkflowError):
        workflow.approve(d, people.writer)  # a writer does not approve
    with pytest.raises(workflow.WorkflowError):
        workflow.return_(d, people.approver, "")  # a reason is required
    workflow.return_(d, people.approver, "집행잔액 사유를 보완하십시오")
    d.refresh_from_db()
    assert d.state == State.DRAFT
    workflow.submit(d, people.writer)
    workflow.approve(d, people.approver)
    d.refresh_from_db()
    assert d.state == State.APPROVED
    actions = list(
        WorkflowEvent.objects.filter(division=d).order_by("at", "pk").values_list("action", "reason")
    )
    assert actions == [
        ("submit", ""),
        ("return", "집행잔액 사유를 보완하십시오"),
        ("submit", ""),
        ("approve", ""),
    ]
    assert d.history.first().history_change_reason.startswith("승인")


def test_lock_needs_every_division_approved(stored, people):
    workflow.submit(people.division_a, people.writer)
    workflow.approve(people.division_a, people.approver)
    with pytest.raises(workflow.WorkflowError) as exc:
        workflow.lock(stored, people.coordinator)
    assert people.division_b.name in exc.value.message


def test_locked_settlement_cannot_change_and_reopen_is_logged(stored, people, login):
    _approve_all(stored, people)
    with pytest.raises(workflow.WorkflowError):
        workflow.lock(stored, people.writer)
    workflow.lock(stored, people.coordinator)
    stored.refresh_from_db()
    assert stored.locked
    assert set(stored.divisions.values_list("state", flat=True)) == {State.FINAL}
    row = unit_line(stored, people.division_a)
    denied = update_row(BudgetLine, row.pk, {"spent": "1"}, row.version, people.admin)
    assert denied.denied and "확정" in denied.denied
    response = login(people.writer).post(
        f"/s/{stored.pk}/edit/",
        {
            "model": "budgetline",
            "pk": row.pk,
            "field": "spent",
            "value": "1",
            "version": row.version,
            "mode": "save",
        },
    )
    assert response.status_code == 403
    with pytest.raises(workflow.WorkflowError):
        workflow.reopen(stored, people.coordinator, " ")
    workflow.reopen(stored, people.coordinator, "의회 수정 요구 반영")
    stored.refresh_from_db()
    assert not stored.locked
    assert set(stored.divisions.values_list("state", flat=True)) == {State.APPROVED}
    event = WorkflowEvent.objects.filter(settlement=stored, action="reopen").get()
    assert (event.reason, event.user) == ("의회 수정 요구 반영", people.coordinator)
    assert stored.history.first().history_change_reason == "확정 해제: 의회 수정 요구 반영"
    # to edit again, the 총괄 returns the division to 작성중
    workflow.return_(people.division_a, people.coordinator, "수정 필요")
    row.refresh_from_db()
    assert update_row(BudgetLine, row.pk, {"spent": str(row.spent)}, row.version, people.writer).ok


def test_lock_refuses_open_errors(stored, people):
    _approve_all(stored, people)
    total = BudgetLine.objects.get(settlement=stored, place="settlement", kind="total")
    assert update_row(BudgetLine, total.pk, {"spent": "1"}, total.version, people.coordinator).ok
    stored.refresh_from_db()
    with pytest.raises(workflow.WorkflowError) as exc:
        workflow.lock(stored, people.coordinator)
    assert exc.value.findings


def test_workflow_screens(stored, people, login):
    client = login(people.writer)
    page = client.get(f"/s/{stored.pk}/workflow/").content.decode()
    assert f"/workflow/division/{people.division_a.pk}/submit/" in page
    assert f"/workflow/division/{people.division_b.pk}/submit/" not in page
    response = client.post(f"/s/{stored.pk}/workflow/division/{people.division_a.pk}/submit/")
    assert response.status_code == 302
    people.division_a.refresh_from_db()
    assert people.division_a.state == State.SUBMITTED
    response = client.post(f"/s/{stored.pk}/workflow/division/{people.division_a.pk}/approve/", follow=True)
    assert "승인자만" in response.content.decode()
    client = login(people.approver)
    client.post(f"/s/{stored.pk}/workflow/division/{people.division_a.pk}/approve/")
    people.division_a.refresh_from_db()
    assert people.division_a.state == State.APPROVED
