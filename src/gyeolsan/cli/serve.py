"""`gyeolsan serve` — the web workspace (Django); heavy imports happen inside the command."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from gyeolsan.cli import app
from gyeolsan.cli.common import eprint

LOOPBACK = "127.0.0.1"


@app.command("serve")
def serve(
    demo: Annotated[
        bool,
        typer.Option(
            "--demo", help="데모 결산과 역할별 데모 사용자 준비 (127.0.0.1 전용) / demo data and users"
        ),
    ] = False,
    host: Annotated[str, typer.Option(help="주소 / address to bind")] = LOOPBACK,
    port: Annotated[int, typer.Option(help="포트 / port", min=0, max=65535)] = 8000,
    data_dir: Annotated[
        Path | None,
        typer.Option("--data-dir", help="데이터 폴더 (기본 ./data 또는 $GYEOLSAN_DATA_DIR) / data folder"),
    ] = None,
    migrate: Annotated[
        bool, typer.Option(help="시작할 때 DB 마이그레이션 / migrate the database on start")
    ] = True,
) -> None:
    """웹 작업공간을 실행합니다 / Run the web workspace (SQLite by default, PostgreSQL with DATABASE_URL)."""
    if data_dir is not None:
        os.environ["GYEOLSAN_DATA_DIR"] = str(data_dir)
    if demo and host != LOOPBACK:
        eprint(
            f"데모 모드는 {LOOPBACK} 에서만 실행합니다 (요청: {host}) / demo mode binds to {LOOPBACK} only (asked: {host})"
        )
        host = LOOPBACK
    from gyeolsan.web.server import serve as run

    try:
        run(host, port, demo=demo, migrate=migrate)
    except OSError as exc:
        eprint(f"서버를 시작할 수 없습니다 / cannot start the server on {host}:{port}: {exc.strerror or exc}")
        raise SystemExit(1) from None
