"""`gyeolsan serve --demo`: migrate, demo data, one user per role, 127.0.0.1 only, idempotent; the CLI stays light."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from gyeolsan.web.workspace.models import Membership, Role, Settlement


@pytest.mark.django_db
def test_prepare_demo_is_idempotent(settings, tmp_path):
    from gyeolsan.web.demo import DEMO_USERS, prepare_demo

    settings.DATA_DIR = tmp_path
    record, passwords, created = prepare_demo()
    assert created and record.office.name == "시민소통기획관" and record.fiscal_year == 2018
    assert record.deadlines.count() == 5
    again, passwords2, created2 = prepare_demo()
    assert (again.pk, passwords2, created2) == (record.pk, passwords, False)
    assert Settlement.objects.count() == 1
    assert {m.role for m in Membership.objects.all()} == {u.role for u in DEMO_USERS}
    assert Membership.objects.count() == len(DEMO_USERS)
    assert oct((tmp_path / "demo-users.json").stat().st_mode & 0o777) == "0o600"
    writer = Membership.objects.get(role=Role.WRITER)
    assert writer.division_name == "뉴미디어담당관" and writer.user.check_password(passwords["writer"])


def test_cli_does_not_import_django_at_startup():
    code = "import sys, gyeolsan.cli; print('django' in sys.modules, 'gyeolsan.web' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["False", "False"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(data_dir: Path, *args: str) -> tuple[subprocess.Popen[str], int]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["GYEOLSAN_DATA_DIR"] = str(data_dir)
    proc = subprocess.Popen(
        [sys.executable, "-c", "from gyeolsan.cli import main; main()", "serve", "--port", str(port), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return proc, port


def _wait(port: int, proc: subprocess.Popen[str]) -> None:
    deadline = time.time() + 60
    while time.time() < deadline:
        if proc.poll() is not None:
            raise AssertionError(proc.stdout.read() if proc.stdout else "server exited")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if json.load(r)["status"] == "ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError("server did not start")


@pytest.mark.slow
def test_serve_demo_end_to_end(tmp_path):
    proc, port = _start(tmp_path, "--demo", "--host", "0.0.0.0")
    try:
        _wait(port, proc)
        # demo mode refuses to listen beyond loopback
        with socket.socket() as s:
            assert s.connect_ex(("127.0.0.1", port)) == 0
        passwords = json.loads((tmp_path / "demo-users.json").read_text())
        css = urllib.request.urlopen(f"http://127.0.0.1:{port}/static/gyeolsan/app.css", timeout=5)
        assert css.status == 200 and b"--brand" in css.read()
        assert (
            urllib.request.urlopen(f"http://127.0.0.1:{port}/static/gyeolsan/htmx.min.js", timeout=5).status
            == 200
        )
        login = urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5).read().decode()
        assert "로그인" in login
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=20)
    assert "127.0.0.1 에서만" in out  # the warning about --host
    for name, password in passwords.items():
        assert f"{name}" in out and password in out  # printed on the console
    assert (tmp_path / "gyeolsan.sqlite3").exists()
    # a second run keeps the data and prints the same passwords
    proc, port = _start(tmp_path, "--demo")
    try:
        _wait(port, proc)
    finally:
        proc.terminate()
        out2, _ = proc.communicate(timeout=20)
    assert "이미 있습니다" in out2 and passwords["writer"] in out2


def test_serve_reports_a_busy_port(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
        env["GYEOLSAN_DATA_DIR"] = str(tmp_path)
        done = subprocess.run(
            [sys.executable, "-c", "from gyeolsan.cli import main; main()", "serve", "--port", str(port)],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 1
    assert "서버를 시작할 수 없습니다" in done.stderr and "Traceback" not in done.stderr + done.stdout
    assert re.search(r"cannot start the server on 127\.0\.0\.1:\d+", done.stderr)


@pytest.mark.django_db
def test_migrations_are_committed():
    """The models and the committed migrations agree (``makemigrations`` has nothing to write)."""
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("makemigrations", "workspace", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()
