"""Safety nets: login rate limit, upload checks (size, type, ZIP bombs), spreadsheet-formula neutralising."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from datetime import timedelta
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.utils import timezone

from gyeolsan.web.workspace.models import LoginAttempt

# ----------------------------------------------------------------------------- login rate limit


def client_ip(request: Any) -> str:
    """The peer address (REMOTE_ADDR). Behind a proxy, configure the proxy to set it."""
    return str(request.META.get("REMOTE_ADDR") or "?")[:64]


def login_blocked(username: str, ip: str) -> bool:
    since = timezone.now() - timedelta(minutes=settings.LOGIN_WINDOW_MINUTES)
    recent = LoginAttempt.objects.filter(username=username.lower()[:150], ip=ip, at__gte=since)
    return recent.count() >= settings.LOGIN_MAX_FAILURES


def record_failure(username: str, ip: str) -> None:
    LoginAttempt.objects.create(username=username.lower()[:150], ip=ip)
    old = timezone.now() - timedelta(days=1)
    LoginAttempt.objects.filter(at__lt=old).delete()


def clear_failures(username: str, ip: str) -> None:
    LoginAttempt.objects.filter(username=username.lower()[:150], ip=ip).delete()


# ----------------------------------------------------------------------------- uploads

IMPORT_SUFFIXES = {".txt", ".json", ".xlsx", ".csv"}
EVIDENCE_SUFFIXES = {".pdf", ".png", ".jpg", ".jpeg", ".hwp", ".hwpx", ".docx", ".xlsx", ".txt", ".zip"}
ZIP_MAX_ENTRIES = 2000
ZIP_MAX_TOTAL = 200 * 1024 * 1024  # uncompressed
ZIP_MAX_RATIO = 100


class UploadError(ValueError):
    """An upload refused before anything is read: Korean message for the page, English for logs/API."""

    def __init__(self, message: str, message_en: str):
        self.message, self.message_en = message, message_en
        super().__init__(message)


def check_upload(name: str, size: int, head: bytes, allowed: Iterable[str]) -> str:
    """The file's lower-case suffix, after the size, the type and the content's first bytes were checked."""
    suffix = PurePath(name or "").suffix.lower()
    allowed = set(allowed)
    limit = settings.MAX_UPLOAD_MB * 1024 * 1024
    if suffix not in allowed:
        raise UploadError(
            f"허용되지 않는 파일 형식입니다 ({suffix or '확장자 없음'}). 가능한 형식: {', '.join(sorted(allowed))}",
            f"File type not allowed ({suffix or 'no suffix'}); allowed: {', '.join(sorted(allowed))}",
        )
    if size > limit:
        raise UploadError(
            f"파일이 너무 큽니다 ({size / 1048576:.1f}MB). 최대 {settings.MAX_UPLOAD_MB}MB",
            f"File too large ({size} bytes); at most {settings.MAX_UPLOAD_MB} MB",
        )
    if size == 0:
        raise UploadError("빈 파일입니다.", "The file is empty.")
    is_zip = head.startswith(b"PK\x03\x04")
    if suffix in {".xlsx", ".docx", ".hwpx", ".zip"} and not is_zip:
        raise UploadError(
            f"{suffix} 파일의 내용이 올바르지 않습니다 (ZIP 형식이 아님).",
            f"The {suffix} file is not a ZIP container.",
        )
    if suffix in {".txt", ".json", ".csv"} and (is_zip or b"\x00" in head[:4096] and not _utf16(head)):
        raise UploadError(
            "텍스트 파일이 아닙니다 (이진 파일).",
            "Not a text file (binary content).",
        )
    if suffix == ".pdf" and not head.startswith(b"%PDF"):
        raise UploadError("PDF 파일의 내용이 올바르지 않습니다.", "Not a PDF file.")
    return suffix


def _utf16(head: bytes) -> bool:
    return head.startswith((b"\xff\xfe", b"\xfe\xff"))


def check_zip(data: bytes) -> None:
    """Refuse ZIP bombs and odd archives before any library opens them (xlsx, docx, hwpx, zip)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except zipfile.BadZipFile:
        raise UploadError("손상된 ZIP 파일입니다.", "Corrupt ZIP archive.") from None
    if len(infos) > ZIP_MAX_ENTRIES:
        raise UploadError("압축 파일 안의 파일이 너무 많습니다.", "Too many entries in the archive.")
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > ZIP_MAX_TOTAL or total / packed > ZIP_MAX_RATIO:
        raise UploadError(
            "압축을 풀면 지나치게 커지는 파일입니다 (ZIP 폭탄 의심).",
            "The archive expands to an unreasonable size (zip bomb?).",
        )
    for i in infos:
        name = i.filename
        if name.startswith("/") or ".." in PurePath(name).parts:
            raise UploadError("압축 파일 안의 경로가 올바르지 않습니다.", "Unsafe path inside the archive.")


def read_upload(upload: Any, allowed: Iterable[str]) -> tuple[str, bytes]:
    """Check and read an uploaded file (Django ``UploadedFile``): (suffix, bytes)."""
    size = int(getattr(upload, "size", 0) or 0)
    limit = settings.MAX_UPLOAD_MB * 1024 * 1024
    head = upload.read(8192)
    suffix = check_upload(getattr(upload, "name", ""), size, head, allowed)
    rest = upload.read(limit + 1 - len(head))
    data = head + rest
    if len(data) > limit:
        raise UploadError("파일이 너무 큽니다.", "File too large.")
    if data.startswith(b"PK\x03\x04"):
        check_zip(data)
    return suffix, data


# ----------------------------------------------------------------------------- CSV/XLSX cells


def neutralise(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula (= + - @) gets a leading apostrophe — the same rule
    as the XLSX report writer (``gyeolsan.report.xlsx.neutralise``); numbers stay numbers."""
    if not isinstance(value, str):
        return value
    from gyeolsan.report.xlsx import neutralise as text

    return text(value)
