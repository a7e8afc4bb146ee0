"""Every screen renders for every role; import, cards, adjustments, audits, findings, documents, comparison."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gyeolsan.web.convert import from_model, to_model
from gyeolsan.web.workspace.models import (
    Adjustment,
    AuditRecommendation,
    Evidence,
    FindingNote,
    GeneratedDocument,
    ImportBatch,
    ProgramCard,
    Settlement,
)
from tests.paths import FINDINGS_SCHEMA
from tests.web.helpers import fixture_path, unit_line

pytestmark = pytest.mark.django_db

SCREENS = (
    "/s/{pk}/",
    "/s/{pk}/table/",
    "/s/{pk}/table/expenditure/",
    "/s/{pk}/table/next_year/",
    "/s/{pk}/table/revenue/",
    "/s/{pk}/table/staffing/",
    "/s/{pk}/cards/",
    "/s/{pk}/adjustments/",
    "/s/{pk}/audits/",
    "/s/{pk}/findings/",
    "/s/{pk}/workflow/",
    "/s/{pk}/documents/",
    "/s/{pk}/compare/",
    "/s/{pk}/history/",
)


@pytest.mark.parametrize("who", ["writer", "approver", "coordinator", "viewer", "admin"])
def test_every_screen_renders_in_korean(stored, people, login, who):
    client = login(getattr(people, who))
    for url in (*SCREENS, "/", "/import/", "/account/token/"):
        response = client.get(url.format(pk=stored.pk))
        assert response.status_code == 200, url
        page = response.content.decode()
        assert '<html lang="ko">' in page and "결산 작업공간" in page
    card = ProgramCard.objects.filter(settlement=stored).first()
    assert client.get(f"/s/{stored.pk}/cards/{card.pk}/").status_code == 200


def test_login_required_everywhere(stored, client):
    for url in (*SCREENS, "/", "/import/", "/account/token/", "/api/docs"):
        response = client.get(url.format(pk=stored.pk))
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url
    assert client.get("/api/openapi.json").status_code == 401
    assert client.get(f"/api/settlements/{stored.pk}").status_code == 401
    assert client.get("/healthz").json()["status"] == "ok"


def test_dashboard_shows_rates_states_and_counts(stored, people, login):
    page = login(people.viewer).get(f"/s/{stored.pk}/").content.decode()
    for d in stored.divisions.all():
        assert d.name in page
    assert "부서별 집행률" in page and "작성중" in page and "<svg" in page and 'role="img"' in page
    assert "결산서 작성" in page  # deadlines


# ----------------------------------------------------------------------------- findings


def test_findings_page_json_and_csv(stored, people, login):
    import jsonschema

    row = unit_line(stored, people.division_a)
    client = login(people.writer)
    client.post(
        f"/s/{stored.pk}/edit/",
        {
            "model": "budgetline",
            "pk": row.pk,
            "field": "spent",
            "value": str(row.spent + 500),
            "version": 1,
            "mode": "save",
        },
    )
    page = client.get(f"/s/{stored.pk}/findings/?severity=error").content.decode()
    assert "SUM001" in page and "COMP009" not in page
    data = json.loads(client.get(f"/s/{stored.pk}/findings.json").content)
    assert data["format"] == "gyeolsan.findings/1" and data["summary"]["error"] >= 1
    if FINDINGS_SCHEMA.exists():
        jsonschema.validate(data, json.loads(FINDINGS_SCHEMA.read_text(encoding="utf-8")))
    assert all(not (f["location"].get("cell") or "").startswith("§") for f in data["findings"])
    csv_text = client.get(f"/s/{stored.pk}/findings.csv").content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("규칙,심각도,내용")
    assert "SUM001" in csv_text
    assert client.get(f"/s/{stored.pk}/findings.xml").status_code == 404


def test_same_findings_as_the_cli(stored):
    """The web's findings are the core's findings of the same data (same rule ids, messages, locations)."""
    from gyeolsan import rules
    from gyeolsan.web.validation import findings_of

    model = to_model(stored)
    cli = rules.run(model, None, stored.source_path).findings
    web = [a.finding for a in findings_of(stored).items]
    assert sorted(f.model_dump_json() for f in web) == sorted(f.model_dump_json() for f in cli)


def test_comment_and_explanation(stored, people, login):
    from gyeolsan.web.validation import findings_of

    info = findings_of(stored).items[0]
    client = login(people.viewer)
    response = client.post(
        f"/s/{stored.pk}/findings/note/", {"key": info.key, "text": "확인 부탁드립니다", "kind": "comment"}
    )
    assert response.status_code == 302
    assert FindingNote.objects.get(finding_key=info.key).author == people.viewer
    # a viewer cannot explain
    client.post(f"/s/{stored.pk}/findings/note/", {"key": info.key, "text": "소명", "kind": "explanation"})
    assert not FindingNote.objects.filter(kind="explanation").exists()
    # htmx: the notes fragment comes back
    response = client.post(
        f"/s/{stored.pk}/findings/note/",
        {"key": info.key, "text": "두 번째", "kind": "comment"},
        HTTP_HX_REQUEST="true",
    )
    assert "두 번째" in response.content.decode() and "<html" not in response.content.decode()


# ----------------------------------------------------------------------------- import


def _upload(name, data):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_import_preview_confirm_and_cancel(db, people, login, clean_model):
    client = login(people.coordinator)
    text = fixture_path("clean_culture_2021.txt").read_bytes()
    edited = text.replace(b"1,150,000", b"1,150,001", 1)
    response = client.post("/import/", {"file": _upload("culture.txt", edited)})
    assert response.status_code == 302, response.content.decode()[:500]
    batch = ImportBatch.objects.get()
    preview = client.get(response["Location"]).content.decode()
    assert "수정" in preview and "검증 결과" in preview
    before = to_model(Settlement.objects.get())
    client.post(f"/import/{batch.pk}/cancel/")
    assert to_model(Settlement.objects.get()) == before
    batch.refresh_from_db()
    assert batch.status == "cancelled"
    response = client.post("/import/", {"file": _upload("culture.txt", edited)})
    batch = ImportBatch.objects.filter(status="pending").get()
    response = client.post(f"/import/{batch.pk}/confirm/")
    assert response.status_code == 302
    assert to_model(Settlement.objects.get()) != before


def test_failed_import_changes_nothing(stored, people, login, monkeypatch):
    from gyeolsan.web import convert

    client = login(people.coordinator)
    before = to_model(stored)
    edited = fixture_path("clean_culture_2021.txt").read_bytes().replace(b"1,150,000", b"1,150,001", 1)
    client.post("/import/", {"file": _upload("culture.txt", edited)})
    batch = ImportBatch.objects.get()

    def fail(record):
        raise RuntimeError("database went away")

    monkeypatch.setattr(convert, "bump", fail)
    response = client.post(f"/import/{batch.pk}/confirm/", follow=True)
    assert "아무것도 바뀌지 않았습니다" in response.content.decode()
    assert to_model(Settlement.objects.get(pk=stored.pk)) == before
    assert ImportBatch.objects.get().status == "pending"


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("report.exe", b"MZ....", "허용되지 않는 파일 형식"),
        ("empty.txt", b"", "빈 파일"),
        ("binary.txt", fixture_path("malformed_binary.txt").read_bytes(), ""),
        ("bad.json", b'{"format": "other"}', "IMP"),  # the core importer's located finding
    ],
)
def test_unreadable_uploads_are_refused_clearly(db, people, login, name, data, message):
    response = login(people.admin).post("/import/", {"file": _upload(name, data)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "읽을 수 없는 파일입니다" in page and message in page
    assert not ImportBatch.objects.exists() and Settlement.objects.count() == 1


def test_writer_cannot_import(stored, people, login):
    data = fixture_path("clean_culture_2021.txt").read_bytes()
    response = login(people.writer).post("/import/", {"file": _upload("c.txt", data)}, follow=True)
    assert "가져오기 권한이 없습니다" in response.content.decode()
    assert not ImportBatch.objects.exists()


# ----------------------------------------------------------------------------- cards, adjustments, audits


def test_card_editor_saves_and_previews_with_references(stored, people, login):
    card = ProgramCard.objects.filter(settlement=stored, division=people.division_a).first()
    client = login(people.writer)
    page = client.get(f"/s/{stored.pk}/cards/{card.pk}/").content.decode()
    assert "미리보기" in page and card.title in page
    form = {
        "version": card.version,
        "title": card.title,
        "goal": card.goal or "",
        "unit_programs": card.unit_programs,
        "section-0-heading": card.sections[0]["heading"],
        "section-0-kind": card.sections[0].get("kind", "other"),
        "section-0-text": "- 집행액 {spent:백만원}, 집행률 {rate}%",
        "card_budget_current": "",
        "card_spent": "",
        "card_rate": "",
        "card_note": "",
        "action": "compute",
    }
    preview = client.post(f"/s/{stored.pk}/cards/{card.pk}/preview/", form).content.decode()
    assert "{spent:백만원}" not in preview and "백만원, 집행률" in preview
    response = client.post(f"/s/{stored.pk}/cards/{card.pk}/", form)
    assert response.status_code == 302
    card.refresh_from_db()
    assert card.sections[0]["blocks"] == [{"text": "집행액 {spent:백만원}, 집행률 {rate}%"}]
    assert card.card_budget_current and card.card_rate
    model = to_model(stored)
    assert (
        model.cards[[c.title for c in model.cards].index(card.title)]
        .sections[0]
        .blocks[0]
        .text.startswith("집행액 {spent")
    )


def test_card_of_another_division_is_read_only(stored, people, login):
    card = ProgramCard.objects.filter(settlement=stored, division=people.division_b).first()
    client = login(people.writer)
    assert "<fieldset disabled" in client.get(f"/s/{stored.pk}/cards/{card.pk}/").content.decode()
    response = client.post(f"/s/{stored.pk}/cards/{card.pk}/", {"version": card.version, "title": "바꿈"})
    card.refresh_from_db()
    assert card.title != "바꿈" and response.status_code == 200


def test_adjustment_ledger_due_dates(stored, people, login):
    from gyeolsan.model import DateText
    from gyeolsan.web.views.adjustments import due_date

    assert due_date(DateText(text="'18. 2월", year=2018, month=2), 3) == date(2018, 6, 30)
    assert due_date(DateText(text="'18. 11월", year=2018, month=11), 3) == date(2019, 3, 31)
    assert due_date(DateText(text="미상")) is None
    client = login(people.writer)
    own = unit_line(stored, people.division_a).name
    client.post(
        f"/s/{stored.pk}/adjustments/new/",
        {
            "kind": "전용",
            "from_program": own,
            "to_program": own,
            "amount": "5,000",
            "date": "'21. 2월",
            "reported_on": "'21. 11월",
        },
    )
    page = client.get(f"/s/{stored.pk}/adjustments/?kind=전용").content.decode()
    assert "2021-06-30" in page and "기한 경과" in page
    adj = Adjustment.objects.get(settlement=stored, amount=5000)
    response = client.post(f"/s/{stored.pk}/adjustments/{adj.pk}/delete/")
    assert response.status_code == 302 and not Adjustment.objects.filter(pk=adj.pk).exists()


def test_audit_status_action_and_evidence(stored, people, login):
    rec = AuditRecommendation.objects.filter(settlement=stored).first()
    client = login(people.coordinator if rec.division is None else people.writer)
    if rec.division is not None and rec.division != people.division_a:
        client = login(people.admin)
    response = client.post(
        f"/s/{stored.pk}/audits/{rec.pk}/",
        {
            "version": rec.version,
            "status": "추진완료",
            "status_date": "'22. 5월",
            "action": "조치 완료\n보고",
        },
    )
    assert response.status_code == 302
    rec.refresh_from_db()
    assert (rec.status, rec.action, rec.status_date["month"]) == ("추진완료", ["조치 완료", "보고"], 5)
    pdf = SimpleUploadedFile("공문.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    client.post(
        f"/s/{stored.pk}/audits/{rec.pk}/action/",
        {"taken_on": "2022-05-02", "text": "공문 발송", "file": pdf, "description": "공문"},
    )
    ev = Evidence.objects.get()
    assert ev.filename == "공문.pdf" and rec.actions.get().text == "공문 발송"
    viewer = Client()
    viewer.force_login(people.viewer)
    download = viewer.get(f"/s/{stored.pk}/evidence/{ev.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 test"
    fake = SimpleUploadedFile("x.pdf", b"not a pdf", content_type="application/pdf")
    response = client.post(f"/s/{stored.pk}/audits/{rec.pk}/action/", {"text": "", "file": fake}, follow=True)
    assert "PDF 파일의 내용이 올바르지 않습니다" in response.content.decode()
    assert Evidence.objects.count() == 1


# ----------------------------------------------------------------------------- documents, comparison


def test_documents_generated_by_the_coordinator_only(stored, people, login):
    from gyeolsan.web import documents

    assert (
        login(people.writer).post(f"/s/{stored.pk}/documents/generate/", {"format": "md"}).status_code == 403
    )
    client = login(people.coordinator)
    response = client.post(f"/s/{stored.pk}/documents/generate/", {"format": "md"}, follow=True)
    if documents.renderer() is None:
        assert "아직 설치되지 않았습니다" in response.content.decode()
        return
    doc = GeneratedDocument.objects.get()
    download = login(people.viewer).get(f"/s/{stored.pk}/documents/{doc.pk}/")
    assert download.status_code == 200
    assert stored.office.name.encode() in b"".join(download.streaming_content)


def test_canonical_download_reads_back(stored, people, login):
    from gyeolsan.io.canonical import loads

    data = login(people.viewer).get(f"/s/{stored.pk}/canonical.json").content.decode()
    assert loads(data) == to_model(stored)


def test_multi_year_comparison(stored, people, login, clean_model):
    earlier = clean_model.model_copy(
        update={"meta": clean_model.meta.model_copy(update={"fiscal_year": 2020})}
    )
    from_model(earlier)
    page = login(people.viewer).get(f"/s/{stored.pk}/compare/?measure=spent").content.decode()
    assert "증감 (2020→2021)" in page and "집행액 연도별 비교" in page
    assert page.count(">-</td>") >= 6  # the same figures both years: no change, "-"
    page = login(people.viewer).get(f"/s/{stored.pk}/compare/?measure=budget").content.decode()
    assert "2022 예산" in page  # the next-year budget table of the latest settlement


def test_deadlines_are_kept_by_the_coordinator(stored, people, login):
    from gyeolsan.web.workspace.models import Deadline

    first = Deadline.objects.filter(settlement=stored).first()
    client = login(people.writer)
    assert (
        client.post(f"/s/{stored.pk}/deadlines/", {"new-title": "x", "new-due": "2022-01-01"}).status_code
        == 403
    )
    client = login(people.coordinator)
    client.post(
        f"/s/{stored.pk}/deadlines/",
        {
            f"title-{first.pk}": first.title,
            f"due-{first.pk}": "2021-12-30",
            f"note-{first.pk}": "앞당김",
            f"done-{first.pk}": "1",
            "new-title": "부서 설명회",
            "new-due": "2022-02-01",
        },
    )
    first.refresh_from_db()
    assert (first.due, first.done, first.note) == (date(2021, 12, 30), True, "앞당김")
    assert Deadline.objects.filter(settlement=stored, title="부서 설명회").exists()
    page = client.get(f"/s/{stored.pk}/").content.decode()
    assert "부서 설명회" in page and "✔ 완료" in page  # the dashboard shows the change at once
    response = client.post(
        f"/s/{stored.pk}/deadlines/", {"new-title": "잘못", "new-due": "내일"}, follow=True
    )
    assert "YYYY-MM-DD" in response.content.decode()


def test_generated_xlsx_neutralises_formula_text(stored, people, login):
    from openpyxl import load_workbook

    from gyeolsan.web import documents
    from gyeolsan.web.editing import update_row
    from gyeolsan.web.workspace.models import BudgetLine

    if documents.renderer() is None:
        pytest.skip("gyeolsan.report.render not available")
    row = unit_line(stored, people.division_a)
    evil = '=HYPERLINK("http://evil.example","클릭")'
    assert update_row(BudgetLine, row.pk, {"name": evil}, row.version, people.writer).ok
    stored.refresh_from_db()
    doc = documents.generate(stored, "xlsx", people.coordinator)
    workbook = load_workbook(doc.file.path)
    cells = [
        c
        for ws in workbook.worksheets
        for r in ws.iter_rows()
        for c in r
        if c.value and "HYPERLINK" in str(c.value)
    ]
    assert cells and all(c.data_type == "s" and not str(c.value).startswith("=") for c in cells)
    assert any(c.value == "'" + evil for c in cells)  # the row name itself, neutralised


def test_admin_assigns_roles(stored, people, login):
    people.admin.is_staff = people.admin.is_superuser = True
    people.admin.save()
    client = login(people.admin)
    page = client.get(f"/admin/auth/user/{people.writer.pk}/change/").content.decode()
    assert "부서 작성자" in page
    assert client.get("/admin/workspace/settlement/").status_code == 200
    assert client.get(f"/admin/workspace/settlement/{stored.pk}/change/").status_code == 200  # read-only view
    assert login(people.writer).get("/admin/").status_code == 302  # not staff
