"""The role × action matrix (one permission module), and the same rules enforced by views, forms and the API."""

from __future__ import annotations

import json

import pytest

from gyeolsan.web import permissions
from gyeolsan.web.permissions import Action
from gyeolsan.web.workspace.models import BudgetLine, State
from tests.web.helpers import unit_line

pytestmark = pytest.mark.django_db

WHO = (
    "writer",
    "approver",
    "writer_b",
    "approver_b",
    "coordinator",
    "viewer",
    "admin",
    "outsider",
    "other_coordinator",
)
MEMBERS = {"writer", "approver", "writer_b", "approver_b", "coordinator", "viewer", "admin"}


def allowed(people, action, target) -> set[str]:
    return {name for name in WHO if permissions.can(getattr(people, name), action, target)}


def _targets(stored, people):
    return {
        "row_a": unit_line(stored, people.division_a),
        "row_b": unit_line(stored, people.division_b),
        "office_row": BudgetLine.objects.get(settlement=stored, place="settlement", kind="total"),
        "division_a": people.division_a,
        "settlement": stored,
    }


def _set_state(division, state):
    division.state = state
    division.save()


# (action, target) → who may, with division A 작성중 and the settlement unlocked
DRAFT_MATRIX = {
    (Action.VIEW, "settlement"): MEMBERS,
    (Action.DOWNLOAD, "settlement"): MEMBERS,
    (Action.COMMENT, "settlement"): MEMBERS,
    (Action.EDIT, "row_a"): {"writer", "approver", "admin"},
    (Action.EDIT, "row_b"): {"writer_b", "approver_b", "admin"},
    (Action.EDIT, "office_row"): {"coordinator", "admin"},
    (Action.EDIT, "settlement"): {"coordinator", "admin"},
    (Action.EXPLAIN, "row_a"): {"writer", "approver", "admin"},
    (Action.EXPLAIN, "office_row"): {"coordinator", "admin"},
    (Action.SUBMIT, "division_a"): {"writer", "approver", "coordinator", "admin"},
    (Action.APPROVE, "division_a"): set(),
    (Action.RETURN, "division_a"): set(),
    (Action.LOCK, "settlement"): {"coordinator", "admin"},
    (Action.REOPEN, "settlement"): set(),
    (Action.GENERATE, "settlement"): {"coordinator", "admin"},
    (Action.IMPORT, "settlement"): {"coordinator", "admin"},
}


@pytest.mark.parametrize("action,target", list(DRAFT_MATRIX), ids=[f"{a.value}-{t}" for a, t in DRAFT_MATRIX])
def test_matrix_draft(stored, people, action, target):
    assert allowed(people, action, _targets(stored, people)[target]) == DRAFT_MATRIX[(action, target)]


SUBMITTED_MATRIX = {
    (Action.EDIT, "row_a"): set(),  # nobody: a submitted division is frozen
    (Action.EDIT, "row_b"): {"writer_b", "approver_b", "admin"},  # the other division is still 작성중
    (Action.SUBMIT, "division_a"): set(),
    (Action.APPROVE, "division_a"): {"approver", "coordinator", "admin"},
    (Action.RETURN, "division_a"): {"approver", "coordinator", "admin"},
}


@pytest.mark.parametrize(
    "action,target", list(SUBMITTED_MATRIX), ids=[f"{a.value}-{t}" for a, t in SUBMITTED_MATRIX]
)
def test_matrix_submitted(stored, people, action, target):
    _set_state(people.division_a, State.SUBMITTED)
    assert allowed(people, action, _targets(stored, people)[target]) == SUBMITTED_MATRIX[(action, target)]


def test_matrix_approved(stored, people):
    _set_state(people.division_a, State.APPROVED)
    t = _targets(stored, people)
    assert allowed(people, Action.RETURN, t["division_a"]) == {"coordinator", "admin"}
    assert allowed(people, Action.APPROVE, t["division_a"]) == set()
    assert allowed(people, Action.EDIT, t["row_a"]) == set()


def test_matrix_locked(stored, people):
    stored.locked = True
    stored.save()
    t = _targets(stored, people)
    for target in ("row_a", "row_b", "office_row", "settlement"):
        assert allowed(people, Action.EDIT, t[target]) == set(), target
    for action in (Action.SUBMIT, Action.APPROVE, Action.RETURN):
        assert allowed(people, action, t["division_a"]) == set()
    assert allowed(people, Action.LOCK, stored) == set()
    assert allowed(people, Action.IMPORT, stored) == set()
    assert allowed(people, Action.REOPEN, stored) == {"coordinator", "admin"}
    assert allowed(people, Action.VIEW, stored) == MEMBERS
    assert allowed(people, Action.DOWNLOAD, stored) == MEMBERS
    assert allowed(people, Action.GENERATE, stored) == {"coordinator", "admin"}


def test_denial_reasons_are_korean(stored, people):
    row_b = unit_line(stored, people.division_b)
    why = permissions.reason_denied(people.writer, Action.EDIT, row_b)
    assert why and people.division_b.name in why
    assert (
        permissions.reason_denied(people.outsider, Action.VIEW, stored) == "이 결산에 대한 권한이 없습니다."
    )


# ----------------------------------------------------------------------------- enforced in the views and the API


def _edit(client, record, row, field, value, tab="settlement"):
    return client.post(
        f"/s/{record.pk}/edit/",
        {
            "model": "budgetline",
            "pk": row.pk,
            "field": field,
            "value": value,
            "version": row.version,
            "mode": "save",
            "tab": tab,
        },
    )


def test_writer_cannot_edit_another_division_in_the_table(stored, people, login):
    row_b = unit_line(stored, people.division_b)
    before = row_b.spent
    response = _edit(login(people.writer), stored, row_b, "spent", "1")
    assert response.status_code == 403
    assert response.json()["message"].startswith(people.division_b.name)
    row_b.refresh_from_db()
    assert row_b.spent == before


def test_writer_edits_own_division(stored, people, login):
    row_a = unit_line(stored, people.division_a)
    response = _edit(login(people.writer), stored, row_a, "spent", "1,234")
    assert response.status_code == 200, response.content
    row_a.refresh_from_db()
    assert (row_a.spent, row_a.version) == (1234, 2)


def test_viewer_reads_but_cannot_edit(stored, people, login):
    client = login(people.viewer)
    assert client.get(f"/s/{stored.pk}/table/").status_code == 200
    row_a = unit_line(stored, people.division_a)
    assert _edit(client, stored, row_a, "spent", "1").status_code == 403
    page = client.get(f"/s/{stored.pk}/table/").content.decode()
    assert 'class="cell' not in page  # no input at all for a viewer
    assert client.get(f"/s/{stored.pk}/findings.json").status_code == 200
    assert client.get(f"/s/{stored.pk}/canonical.json").status_code == 200


def test_outsider_sees_nothing(stored, people, login):
    client = login(people.outsider)
    assert client.get(f"/s/{stored.pk}/").status_code == 404
    assert client.get(f"/s/{stored.pk}/table/").status_code == 404
    assert stored.office.name not in client.get("/").content.decode()
    assert login(people.other_coordinator).get(f"/s/{stored.pk}/").status_code == 404


def test_api_enforces_the_same_rules(stored, people):
    from django.test import Client

    from gyeolsan.web.views.auth import new_token

    row_b = unit_line(stored, people.division_b)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {new_token(people.writer)}"}
    client = Client()
    body = json.dumps({"version": row_b.version, "values": {"spent": "1"}})
    response = client.patch(f"/api/lines/{row_b.pk}", body, content_type="application/json", **headers)
    assert response.status_code == 403
    row_a = unit_line(stored, people.division_a)
    body = json.dumps({"version": row_a.version, "values": {"spent": "7"}})
    response = client.patch(f"/api/lines/{row_a.pk}", body, content_type="application/json", **headers)
    assert response.status_code == 200, response.content
    assert response.json()["values"]["spent"] == 7
    outsider = {"HTTP_AUTHORIZATION": f"Bearer {new_token(people.outsider)}"}
    assert client.get(f"/api/lines/{row_a.pk}", **outsider).status_code == 404
    assert client.get(f"/api/settlements/{stored.pk}", **outsider).status_code == 404


def test_adjustment_form_checks_the_division(stored, people, login):
    from gyeolsan.web.workspace.models import Adjustment

    other_program = unit_line(stored, people.division_b).name
    client = login(people.writer)
    response = client.post(
        f"/s/{stored.pk}/adjustments/new/",
        {
            "kind": "전용",
            "from_program": other_program,
            "to_program": other_program,
            "amount": "1,000",
            "from_item": "사무관리비",
            "to_item": "시설비",
        },
    )
    assert response.status_code == 200  # the form again, with the reason
    assert people.division_b.name in response.content.decode()
    assert not Adjustment.objects.filter(settlement=stored, amount=1000).exists()
    own_program = unit_line(stored, people.division_a).name
    response = client.post(
        f"/s/{stored.pk}/adjustments/new/",
        {
            "kind": "전용",
            "from_program": own_program,
            "to_program": own_program,
            "amount": "1,000",
            "date": "'21. 5월",
        },
    )
    assert response.status_code == 302
    created = Adjustment.objects.get(settlement=stored, amount=1000)
    assert created.division == people.division_a
    assert created.date == {"text": "'21. 5월", "year": 2021, "month": 5}
