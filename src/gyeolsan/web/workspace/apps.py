from __future__ import annotations

from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _sqlite_wal(sender, connection, **kwargs) -> None:  # type: ignore[no-untyped-def]
    """SQLite in WAL mode: readers never wait for the writer (many officers, one file)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")


class WorkspaceConfig(AppConfig):
    name = "gyeolsan.web.workspace"
    label = "workspace"
    verbose_name = "결산 작업공간"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        connection_created.connect(_sqlite_wal, dispatch_uid="gyeolsan_sqlite_wal")
