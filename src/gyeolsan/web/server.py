"""Serving the workspace: migrate, (demo data), then Django's threaded WSGI server without autoreload.

Static files are served by the app itself (``StaticFilesHandler``), so one command is enough on a
laptop or an office server. For many users, run ``gyeolsan.web.wsgi:application`` behind a proxy.
"""

from __future__ import annotations

import sys
from typing import Any


def _print_demo_users(passwords: dict[str, str]) -> None:
    from gyeolsan.web.demo import DEMO_USERS

    print("데모 사용자 (데모 모드에서만) / demo users (demo mode only):")
    for u in DEMO_USERS:
        print(f"  {u.role.label:<8} {u.username:<12} {passwords[u.username]:<28} {u.display}")


def serve(host: str, port: int, *, demo: bool = False, migrate: bool = True, on_bind: Any = None) -> None:
    from gyeolsan.web import setup

    setup()
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.management import call_command
    from django.core.servers.basehttp import get_internal_wsgi_application, run
    from django.db import DatabaseError

    try:
        if migrate:
            call_command("migrate", interactive=False, verbosity=0)
        else:
            from django.db import connection

            connection.ensure_connection()
    except DatabaseError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise OSError(f"데이터베이스에 연결할 수 없습니다 / database unavailable: {first}") from None
    if demo:
        from gyeolsan.web.demo import prepare_demo

        record, passwords, created = prepare_demo()
        what = "불러왔습니다 / loaded" if created else "이미 있습니다 / already present"
        print(f"데모 결산 {what}: {record}")
        _print_demo_users(passwords)

    def bound(actual: int) -> None:
        print(f"gyeolsan 웹 작업공간 / web workspace: http://{host}:{actual}/  (Ctrl+C 로 종료 / to stop)")
        sys.stdout.flush()
        if on_bind is not None:
            on_bind(actual)

    handler = StaticFilesHandler(get_internal_wsgi_application())
    try:
        run(host, port, handler, ipv6=":" in host, threading=True, on_bind=bound)
    except KeyboardInterrupt:
        print("\n종료합니다 / stopped")
