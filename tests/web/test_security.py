"""Login rate limit, CSRF, uploads (size, type, ZIP bombs), formula neutralising, settings from the environment."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile

import pytest
from django.conf import settings
from django.test import Client

from gyeolsan.web.security import UploadError, check_upload, check_zip, neutralise

pytestmark = pytest.mark.django_db


def test_failed_logins_are_rate_limited_per_user_and_ip(people):
    client = Client(REMOTE_ADDR="10.0.0.7")
    for _ in range(settings.LOGIN_MAX_FAILURES):
        response = client.post("/login/", {"username": "writer", "password": "wrong"})
        assert response.status_code == 200 and "올바르지 않습니다" in response.content.decode()
    blocked = client.post(
        "/login/", {"username": "writer", "password": "pw-writer"}
    )  # right password, too late
    assert blocked.status_code == 429 and "15분" in blocked.content.decode()
    assert "_auth_user_id" not in client.session
    # another IP (or another user name) is not blocked
    assert (
        Client(REMOTE_ADDR="10.0.0.8")
        .post("/login/", {"username": "writer", "password": "pw-writer"})
        .status_code
        == 302
    )
    assert client.post("/login/", {"username": "approver", "password": "pw-approver"}).status_code == 302


def test_successful_login_clears_the_counter(people):
    client = Client(REMOTE_ADDR="10.0.0.9")
    for _ in range(settings.LOGIN_MAX_FAILURES - 1):
        client.post("/login/", {"username": "viewer", "password": "wrong"})
    assert client.post("/login/", {"username": "viewer", "password": "pw-viewer"}).status_code == 302
    client.logout()
    client.post("/login/", {"username": "viewer", "password": "wrong"})
    assert client.post("/login/", {"username": "viewer", "password": "pw-viewer"}).status_code == 302


def test_csrf_is_enforced(stored, people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.writer)
    row = stored.budgetlines.filter(division=people.division_a, kind="unit").first()
    response = client.post(
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
    row.refresh_from_db()
    assert row.version == 1
    # the API with a session needs the CSRF token too; a Bearer token does not
    response = client.patch(
        f"/api/lines/{row.pk}", '{"version": 1, "values": {"spent": "1"}}', content_type="application/json"
    )
    assert response.status_code in (401, 403)


def test_upload_checks():
    with pytest.raises(UploadError, match="허용되지 않는"):
        check_upload("a.exe", 10, b"MZ", {".txt"})
    with pytest.raises(UploadError, match="너무 큽니다"):
        check_upload("a.txt", settings.MAX_UPLOAD_MB * 1024 * 1024 + 1, b"abc", {".txt"})
    with pytest.raises(UploadError, match="ZIP"):
        check_upload("a.xlsx", 10, b"not a zip", {".xlsx"})
    with pytest.raises(UploadError, match="이진"):
        check_upload("a.txt", 10, b"\x00\x01\x02", {".txt"})
    assert check_upload("a.TXT", 10, "결산".encode(), {".txt"}) == ".txt"


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_zip_bombs_and_odd_archives_are_refused():
    with pytest.raises(UploadError, match="폭탄"):
        check_zip(_zip({"xl/sheet.xml": b"0" * 20_000_000}))
    with pytest.raises(UploadError, match="경로"):
        check_zip(_zip({"../../etc/passwd": b"x"}))
    with pytest.raises(UploadError, match="손상"):
        check_zip(b"PK\x03\x04garbage")
    check_zip(_zip({"[Content_Types].xml": b"<Types/>" * 10}))


def test_xlsx_import_refuses_a_zip_bomb(stored, people, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bomb = SimpleUploadedFile("big.xlsx", _zip({"xl/worksheets/sheet1.xml": b"<a/>" * 10_000_000}))
    page = login(people.coordinator).post("/import/", {"file": bomb}).content.decode()
    assert "ZIP 폭탄" in page


def test_xml_in_spreadsheets_is_parsed_safely():
    from openpyxl import xml

    assert xml.DEFUSEDXML, "openpyxl must parse workbook XML through defusedxml"


@pytest.mark.parametrize(
    "value,expected",
    [
        ("=1+1", "'=1+1"),
        ("+82", "'+82"),
        ("-1+2", "'-1+2"),
        ("-", "-"),  # the printed zero cannot start a formula
        ("@SUM(A1)", "'@SUM(A1)"),
        ("△1,234", "△1,234"),
        (1234, 1234),
        ("예산", "예산"),
    ],
)
def test_formula_cells_are_neutralised(value, expected):
    assert neutralise(value) == expected


def test_findings_csv_neutralises_formulas(stored, people, login, monkeypatch):
    from gyeolsan.model import Finding, Location, Severity
    from gyeolsan.web import validation

    def evil(record, overrides=None):
        f = Finding(
            rule="TEXT001",
            severity=Severity.INFO,
            message='=HYPERLINK("http://x")',
            message_en="x",
            location=Location(path="p"),
        )
        return validation.Findings([validation.Attributed(f, None, None, "k")], 1, "p")

    monkeypatch.setattr(validation, "compute", evil)
    stored.findings_revision = None
    stored.save()
    text = login(people.viewer).get(f"/s/{stored.pk}/findings.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text


def test_settings_come_from_the_environment(tmp_path):
    code = (
        "import os, stat; os.environ['DJANGO_SETTINGS_MODULE']='gyeolsan.web.settings';"
        "from django.conf import settings as s; s.SECRET_KEY;"
        "from pathlib import Path; p=Path(os.environ['GYEOLSAN_DATA_DIR'])/'secret_key';"
        "print(s.DEBUG, s.DATABASES['default']['ENGINE'], oct(p.stat().st_mode & 0o777), len(s.SECRET_KEY) > 40)"
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "GYEOLSAN_DEBUG", "DJANGO_SECRET_KEY")
    }
    env["GYEOLSAN_DATA_DIR"] = str(tmp_path)
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["False", "django.db.backends.sqlite3", "0o600", "True"]
    first = (tmp_path / "secret_key").read_text()
    subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert (tmp_path / "secret_key").read_text() == first  # kept, not regenerated
    env.update(
        DATABASE_URL="postgres://u:p@db.example:5432/g", GYEOLSAN_DEBUG="1", DJANGO_SECRET_KEY="x" * 50
    )
    out = subprocess.run(
        [sys.executable, "-c", code.replace("oct(p.stat().st_mode & 0o777)", "s.SECRET_KEY == 'x'*50")],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.split() == ["True", "django.db.backends.postgresql", "True", "True"]


def test_sqlite_runs_in_wal_mode(db):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
    assert mode in ("wal", "memory")  # the in-memory test database cannot use WAL; the file one does


def test_wal_on_a_file_database(tmp_path):
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE']='gyeolsan.web.settings';"
        "import django; django.setup();"
        "from django.db import connection; c=connection.cursor(); c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])"
    )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["GYEOLSAN_DATA_DIR"] = str(tmp_path)
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "wal"
