"""The REST API: token auth, reading and writing rows (with version checks), workflow, findings, import."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from gyeolsan.web.views.auth import new_token
from gyeolsan.web.workspace.models import ApiToken, BudgetLine, Settlement, State
from tests.paths import FINDINGS_SCHEMA
from tests.web.helpers import fixture_path, unit_line

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(people):
    """``api(user)`` → a client sending that user's Bearer token."""

    def make(user):
        token = new_token(user)
        client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
        return client

    return make


def _patch(client, url, payload):
    return client.patch(url, json.dumps(payload), content_type="application/json")


def test_openapi_schema_and_docs(people, api):
    client = api(people.viewer)
    schema = client.get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for path in (
        "/api/settlements",
        "/api/settlements/{pk}/findings",
        "/api/lines/{pk}",
        "/api/divisions/{pk}/submit",
        "/api/imports",
    ):
        assert path in paths, path
    assert {"BearerToken", "Session"} <= set(schema["components"]["securitySchemes"])
    logged_in = Client()
    logged_in.force_login(people.viewer)
    docs = logged_in.get("/api/docs").content.decode()
    assert (
        "swagger" in docs.lower() and "/static/ninja/" in docs
    )  # served offline from the app's static files


def test_token_is_stored_hashed_and_can_be_revoked(people, api, login):
    token = new_token(people.writer)
    stored_token = ApiToken.objects.get(user=people.writer)
    assert token not in (stored_token.key_hash, stored_token.prefix) and token.startswith(stored_token.prefix)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert client.get("/api/me").json()["username"] == "writer"
    login(people.writer).post("/account/token/", {"action": "delete"})
    assert client.get("/api/me").status_code == 401
    assert Client(HTTP_AUTHORIZATION="Bearer nonsense").get("/api/me").status_code == 401


def test_token_page_shows_the_key_once(people, login):
    client = login(people.writer)
    page = client.post("/account/token/", {"action": "create"}).content.decode()
    assert 'id="new-token"' in page
    assert 'id="new-token"' not in client.get("/account/token/").content.decode()


def test_read_settlement_rows_and_canonical(stored, people, api):
    from gyeolsan.io.canonical import loads
    from gyeolsan.web.convert import to_model

    client = api(people.viewer)
    listing = client.get("/api/settlements").json()
    assert [s["office"] for s in listing] == [stored.office.name]
    detail = client.get(f"/api/settlements/{stored.pk}").json()
    assert [d["name"] for d in detail["divisions"]] == list(stored.divisions.values_list("name", flat=True))
    for resource in ("lines", "change-lines", "revenue-lines", "staffing", "adjustments", "cards", "audits"):
        rows = client.get(f"/api/settlements/{stored.pk}/{resource}").json()
        assert rows and all(not r["editable"] for r in rows), resource
        one = client.get(f"/api/{resource}/{rows[0]['id']}").json()
        assert one == rows[0]
    canonical = client.get(f"/api/settlements/{stored.pk}/canonical").content.decode()
    assert loads(canonical) == to_model(stored)


def test_patch_with_version_conflict(stored, people, api):
    row = unit_line(stored, people.division_a)
    writer, approver = api(people.writer), api(people.approver)
    ok = _patch(writer, f"/api/lines/{row.pk}", {"version": 1, "values": {"spent": "1,000", "rate": "0.1"}})
    assert ok.status_code == 200 and ok.json()["values"]["spent"] == 1000 and ok.json()["version"] == 2
    late = _patch(approver, f"/api/lines/{row.pk}", {"version": 1, "values": {"spent": "2,000"}})
    assert late.status_code == 409
    body = late.json()
    assert (
        body["version"] == 2
        and body["fields"][0]["theirs"] == "1,000"
        and body["fields"][0]["yours"] == "2,000"
    )
    bad = _patch(writer, f"/api/lines/{row.pk}", {"version": 2, "values": {"spent": "abc"}})
    assert bad.status_code == 422 and "집행액" in bad.json()["detail"]
    unknown = _patch(writer, f"/api/lines/{row.pk}", {"version": 2, "values": {"settlement": 5}})
    assert unknown.status_code == 422
    assert BudgetLine.objects.get(pk=row.pk).spent == 1000


def test_findings_endpoint_is_the_cli_format(stored, people, api):
    import jsonschema

    report = api(people.viewer).get(f"/api/settlements/{stored.pk}/findings").json()
    assert report["format"] == "gyeolsan.findings/1"
    assert len(report["keys"]) == len(report["findings"])
    if FINDINGS_SCHEMA.exists():
        jsonschema.validate(report, json.loads(FINDINGS_SCHEMA.read_text(encoding="utf-8")))
    only_info = api(people.viewer).get(f"/api/settlements/{stored.pk}/findings?severity=info").json()
    assert {f["severity"] for f in only_info["findings"]} <= {"info"}


def test_workflow_through_the_api(stored, people, api):
    a = people.division_a
    assert (
        api(people.writer)
        .post(f"/api/divisions/{a.pk}/submit", "{}", content_type="application/json")
        .json()["state"]
        == State.SUBMITTED
    )
    denied = api(people.writer).post(f"/api/divisions/{a.pk}/approve")
    assert denied.status_code == 409 and "승인자" in denied.json()["detail"]
    assert api(people.approver).post(f"/api/divisions/{a.pk}/approve").json()["state"] == State.APPROVED
    locked = api(people.coordinator).post(f"/api/settlements/{stored.pk}/lock")
    assert locked.status_code == 409 and people.division_b.name in locked.json()["detail"]
    for d in stored.divisions.exclude(pk=a.pk):
        api(people.coordinator).post(f"/api/divisions/{d.pk}/submit", "{}", content_type="application/json")
        api(people.coordinator).post(f"/api/divisions/{d.pk}/approve")
    assert api(people.coordinator).post(f"/api/settlements/{stored.pk}/lock").json()["locked"] is True
    row = unit_line(stored, a)
    assert (
        _patch(
            api(people.admin), f"/api/lines/{row.pk}", {"version": row.version, "values": {"spent": "1"}}
        ).status_code
        == 403
    )
    reopen = api(people.coordinator).post(
        f"/api/settlements/{stored.pk}/reopen", '{"reason": ""}', content_type="application/json"
    )
    assert reopen.status_code == 409
    reopen = api(people.coordinator).post(
        f"/api/settlements/{stored.pk}/reopen", '{"reason": "정정"}', content_type="application/json"
    )
    assert reopen.json()["locked"] is False


def test_explanations_and_comments_through_the_api(stored, people, api):
    report = api(people.viewer).get(f"/api/settlements/{stored.pk}/findings").json()
    key = report["keys"][0]["key"]
    created = api(people.viewer).post(
        f"/api/settlements/{stored.pk}/findings/{key}/notes",
        json.dumps({"text": "확인"}),
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["kind"] == "comment"
    refused = api(people.viewer).post(
        f"/api/settlements/{stored.pk}/findings/{key}/notes",
        json.dumps({"kind": "explanation", "text": "소명"}),
        content_type="application/json",
    )
    assert refused.status_code == 409


def test_adjustment_create_and_delete(stored, people, api):
    own = unit_line(stored, people.division_a).name
    client = api(people.writer)
    created = client.post(
        f"/api/settlements/{stored.pk}/adjustments",
        json.dumps({"values": {"kind": "전용", "from_program": own, "to_program": own, "amount": "3,000"}}),
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["division"] == people.division_a.pk
    assert api(people.writer_b).delete(f"/api/adjustments/{pk}").status_code == 403
    assert client.delete(f"/api/adjustments/{pk}").status_code == 204


def test_import_through_the_api(db, people, api):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = fixture_path("clean_mobility_2019_carryover.txt").read_bytes()
    preview = api(people.admin).post("/api/imports", {"file": SimpleUploadedFile("m.txt", data)})
    assert preview.status_code == 200 and preview.json()["applied"] is False
    assert not Settlement.objects.filter(office__name="교통기획관").exists()
    denied = api(people.coordinator).post("/api/imports", {"file": SimpleUploadedFile("m.txt", data)})
    assert denied.status_code == 403  # a 총괄 of another office cannot create this one
    applied = api(people.admin).post("/api/imports?confirm=true", {"file": SimpleUploadedFile("m.txt", data)})
    assert applied.status_code == 201 and applied.json()["counts"]["create"] > 10
    assert Settlement.objects.filter(office__name="교통기획관", fiscal_year=2019).exists()
    broken = api(people.admin).post("/api/imports", {"file": SimpleUploadedFile("e.txt", b"")})
    assert broken.status_code == 422


def test_history_endpoint(stored, people, api):
    row = unit_line(stored, people.division_a)
    _patch(api(people.writer), f"/api/lines/{row.pk}", {"version": 1, "values": {"spent": "5"}})
    entries = api(people.viewer).get(f"/api/settlements/{stored.pk}/history?limit=5").json()
    assert entries[0]["user"] == "writer" and entries[0]["reason"] == "API 편집"
    assert entries[0]["changes"][0][0] == "집행액"
