"""Documents written by the core's report writers (``gyeolsan.report.render``) from the stored settlement."""

from __future__ import annotations

import inspect
import tempfile
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from gyeolsan.web.convert import to_model
from gyeolsan.web.validation import findings_of
from gyeolsan.web.workspace.models import GeneratedDocument, Settlement

FORMATS = {
    "pdf": ("PDF", "application/pdf"),
    "hwpx": ("한글 HWPX", "application/hwp+zip"),
    "docx": ("워드 DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ("엑셀 XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "html": ("HTML", "text/html; charset=utf-8"),
    "md": ("Markdown", "text/markdown; charset=utf-8"),
}


class DocumentError(Exception):
    def __init__(self, message: str, message_en: str):
        self.message, self.message_en = message, message_en
        super().__init__(message)


def renderer() -> Any | None:
    """``gyeolsan.report.render`` if the report package provides it."""
    try:
        from gyeolsan import report
    except ImportError:
        return None
    return getattr(report, "render", None)


def generate(record: Settlement, fmt: str, user: Any) -> GeneratedDocument:
    """Write the report in ``fmt`` from what is stored and keep it (the 총괄's "문서 생성")."""
    if fmt not in FORMATS:
        raise DocumentError(f"지원하지 않는 형식입니다: {fmt}", f"Unsupported format: {fmt}")
    render = renderer()
    if render is None:
        raise DocumentError(
            "보고서 작성 기능(gyeolsan.report)이 아직 설치되지 않았습니다.",
            "The report writers (gyeolsan.report.render) are not available yet.",
        )
    model = to_model(record)
    kwargs: dict[str, Any] = {}
    params = inspect.signature(render).parameters
    if "findings" in params:
        kwargs["findings"] = [a.finding for a in findings_of(record).items]
    with tempfile.TemporaryDirectory(prefix="gyeolsan-doc-") as tmp:
        path = Path(tmp) / f"report.{fmt}"
        try:
            render(model, fmt, path, **kwargs)
        except Exception as exc:  # the writer failed: report it, keep nothing
            raise DocumentError(
                f"문서를 만들지 못했습니다: {exc}", f"Could not write the document: {exc!r}"
            ) from exc
        data = path.read_bytes()
    with transaction.atomic():
        doc = GeneratedDocument(
            settlement=record,
            format=fmt,
            size=len(data),
            revision=record.revision,
            locked=record.locked,
            created_by=user,
        )
        doc.file.save(f"{record.office.name}-{record.fiscal_year}.{fmt}", ContentFile(data), save=False)
        doc.save()
    return doc


def filename(doc: GeneratedDocument) -> str:
    stamp = doc.created_at.strftime("%Y%m%d-%H%M")
    state = "확정" if doc.locked else "작성중"
    return f"{doc.settlement.fiscal_year} 결산 {doc.settlement.office.name} ({state} {stamp}).{doc.format}"
