"""The table editor: live check (nothing written), save, optimistic-locking conflicts, parsing."""

from __future__ import annotations

import pytest

from gyeolsan.web.editing import parse_value, spec, update_row
from gyeolsan.web.workspace.models import BudgetLine, ChangeLine, Settlement
from tests.web.helpers import unit_line

pytestmark = pytest.mark.django_db


def _post(client, record, row, value, mode="save", version=None, field="spent"):
    return client.post(
        f"/s/{record.pk}/edit/",
        {
            "model": row._meta.model_name,
            "pk": row.pk,
            "field": field,
            "value": value,
            "version": row.version if version is None else version,
            "mode": mode,
            "tab": "settlement",
        },
    )


def _all_findings(body):
    return " ".join(r["html"] for r in body["rows"].values())


def test_check_shows_the_finding_without_saving(stored, people, login):
    client = login(people.writer)
    row = unit_line(stored, people.division_a)
    before = (row.spent, row.version)
    body = _post(client, stored, row, f"{row.spent + 500:,}", mode="check").json()
    assert body["ok"] and not body["saved"]
    assert "SUM001" in _all_findings(body)  # the 정책사업 subtotal no longer adds up
    assert body["counts"]["error"] >= 1
    row.refresh_from_db()
    assert (row.spent, row.version) == before
    stored.refresh_from_db()
    assert Settlement.objects.get(pk=stored.pk).revision == stored.revision


def test_save_then_fix(stored, people, login):
    client = login(people.writer)
    row = unit_line(stored, people.division_a)
    original = row.spent
    body = _post(client, stored, row, f"{original + 500:,}").json()
    assert body["saved"] and body["version"] == 2
    assert body["value"] == f"{original + 500:,}"
    assert "SUM001" in _all_findings(body)
    marked = [m for r in body["rows"].values() for m in r["marks"].values() if m == "error"]
    assert marked, "the wrong cell is marked"
    row.refresh_from_db()
    body = _post(client, stored, row, f"{original:,}").json()
    assert body["saved"] and "SUM001" not in _all_findings(body)
    assert body["divisions"][str(people.division_a.pk)]["error"] == 0


def test_second_editor_gets_a_conflict_with_both_values(stored, people, login, client):
    row = unit_line(stored, people.division_a)
    stale = row.version
    first = login(people.writer)
    assert _post(first, stored, row, "111").json()["saved"]
    second = login(people.approver)
    response = _post(second, stored, row, "222", version=stale)
    assert response.status_code == 409
    body = response.json()
    assert body["conflict"][0]["theirs"] == "111" and body["conflict"][0]["yours"] == "222"
    assert "writer" in body["message"]  # who changed it
    row.refresh_from_db()
    assert row.spent == 111
    # overwriting on purpose: send again with the current version
    assert _post(second, stored, row, "222", version=body["version"]).json()["saved"]


def test_invalid_value_is_refused_and_explained(stored, people, login):
    client = login(people.writer)
    row = unit_line(stored, people.division_a)
    response = _post(client, stored, row, "3,O27")
    assert response.status_code == 422
    assert "집행액" in response.json()["message"]
    row.refresh_from_db()
    assert row.version == 1


@pytest.mark.parametrize(
    "kind,text,expected",
    [
        ("money", "1,234", 1234),
        ("money", "△1,234", -1234),
        ("money", "-", None),
        ("money", "", None),
        ("money", "１２３", 123),
        ("rate", "96.7", "96.7"),
        ("rate", "△3.45", "-3.45"),
        ("rate", "-", ""),
    ],
)
def test_parse_value(kind, text, expected):
    field = {"money": "spent", "rate": "rate"}[kind]
    assert parse_value(spec(BudgetLine, field), text, BudgetLine) == expected


def test_history_records_user_and_before_after(stored, people, login):
    row = unit_line(stored, people.division_a)
    original = row.spent
    assert update_row(BudgetLine, row.pk, {"spent": "9"}, 1, people.writer).ok
    last = row.history.first()
    assert last.history_user == people.writer and last.history_change_reason == "편집"
    delta = last.diff_against(last.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes if c.field != "version"] == [
        ("spent", original, 9)
    ]
    page = login(people.viewer).get(f"/s/{stored.pk}/history/").content.decode()
    assert "집행액: " in page
    assert f'<span class="sr-only">이전 값 </span>{original:,}</span>' in page
    assert '<span class="sr-only">새 값 </span>9</span>' in page
    page = login(people.viewer).get(f"/s/{stored.pk}/history/budgetline/{row.pk}/").content.decode()
    assert "writer" in page and "편집" in page


def test_next_year_and_revenue_tabs_are_editable_by_their_owner(stored, people, login):
    client = login(people.coordinator)
    for tab in ("settlement", "expenditure", "next_year", "revenue", "staffing"):
        assert client.get(f"/s/{stored.pk}/table/{tab}/").status_code == 200
    line = ChangeLine.objects.filter(settlement=stored, kind="total").first()
    response = client.post(
        f"/s/{stored.pk}/edit/",
        {
            "model": "changeline",
            "pk": line.pk,
            "field": "current",
            "value": "1",
            "version": line.version,
            "mode": "save",
            "tab": "next_year",
        },
    )
    assert response.status_code == 200, response.content
