"""가져오기: upload → preview (what would change, import and rule findings) → confirm or cancel.

Nothing is stored until the confirmation, and the confirmation is one transaction: a failed or
cancelled import changes nothing.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path, PurePath

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from gyeolsan.io import InputError, load_any
from gyeolsan.io.canonical import dumps, loads
from gyeolsan.model import Finding
from gyeolsan.web import convert, permissions
from gyeolsan.web.permissions import Action
from gyeolsan.web.security import IMPORT_SUFFIXES, UploadError, read_upload
from gyeolsan.web.views.common import page
from gyeolsan.web.workspace.models import ImportBatch, Office

log = logging.getLogger("gyeolsan.web")


def parse_upload(name: str, suffix: str, data: bytes) -> tuple[object, list[Finding]]:
    """The core importer on the uploaded bytes: (settlement, import findings); ``InputError`` if unreadable."""
    display = PurePath(name).name or f"upload{suffix}"
    with tempfile.TemporaryDirectory(prefix="gyeolsan-upload-") as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(data)
        result = load_any(path, display)
    return result.settlement, list(result.findings)


def import_form(request: HttpRequest) -> HttpResponse:
    error: InputError | UploadError | None = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, "파일을 고르십시오.")
            return redirect("import")
        try:
            suffix, data = read_upload(upload, IMPORT_SUFFIXES)
            model, found = parse_upload(upload.name or "", suffix, data)
        except (UploadError, InputError) as exc:
            error = exc
        else:
            government, office_name = convert.office_of(model)  # type: ignore[arg-type]
            target = convert.plan(model).record  # type: ignore[arg-type]
            allowed = (
                permissions.can(request.user, Action.IMPORT, target)
                if target is not None
                else permissions.can_import_new(request.user, government, office_name)
            )
            if not allowed:
                why = (
                    permissions.reason_denied(request.user, Action.IMPORT, target)
                    if target is not None
                    else f"{office_name}의 결산을 만들 권한이 없습니다 (총괄 또는 관리자)."
                )
                messages.error(request, f"가져오기 권한이 없습니다: {why}")
                return redirect("import")
            batch = ImportBatch.objects.create(
                user=request.user,
                filename=(PurePath(upload.name or "").name or "upload")[:200],
                canonical=dumps(model),  # type: ignore[arg-type]
                findings=[f.to_json() for f in found],
                office=Office.objects.filter(government=government, name=office_name).first(),
                fiscal_year=model.meta.fiscal_year,  # type: ignore[attr-defined]
                settlement=target,
            )
            return redirect("import-preview", batch_pk=batch.pk)
    batches = ImportBatch.objects.filter(user=request.user)[:10]
    return page(request, "gyeolsan/import.html", None, "import", error=error, batches=batches)


def _batch(request: HttpRequest, batch_pk: int) -> ImportBatch:
    batch = ImportBatch.objects.filter(pk=batch_pk, user=request.user).first()
    if batch is None:
        raise Http404
    return batch


def import_preview(request: HttpRequest, batch_pk: int) -> HttpResponse:
    from gyeolsan import rules

    batch = _batch(request, batch_pk)
    model = loads(batch.canonical, batch.filename)
    p = convert.plan(model)
    result = rules.run(model, None, batch.filename)
    import_findings = [Finding.model_validate(f) for f in batch.findings]
    groups: dict[str, list[convert.Change]] = {}
    for ch in p.changes:
        groups.setdefault(ch.label, []).append(ch)
    return page(
        request,
        "gyeolsan/import_preview.html",
        p.record,
        "import",
        batch=batch,
        plan=p,
        groups=groups,
        import_findings=import_findings,
        rule_findings=result.findings,
        rules_run=result.rules_run,
        pending=batch.status == ImportBatch.PENDING,
    )


@require_POST
def import_confirm(request: HttpRequest, batch_pk: int) -> HttpResponse:
    batch = _batch(request, batch_pk)
    if batch.status != ImportBatch.PENDING:
        messages.error(request, "이미 처리된 가져오기입니다.")
        return redirect("import")
    model = loads(batch.canonical, batch.filename)
    p = convert.plan(model)
    government, office_name = p.office
    if p.record is not None:
        permissions.check(request.user, Action.IMPORT, p.record)
    elif not permissions.can_import_new(request.user, government, office_name):
        messages.error(request, f"{office_name}의 결산을 만들 권한이 없습니다.")
        return redirect("import")
    try:
        record = convert.apply(p, reason=f"가져오기: {batch.filename}", user=request.user)
    except Exception:  # the transaction was rolled back: nothing changed
        log.exception("import %s failed", batch.pk)
        messages.error(request, "가져오기에 실패했습니다. 아무것도 바뀌지 않았습니다.")
        return redirect("import-preview", batch_pk=batch.pk)
    batch.status, batch.settlement = ImportBatch.APPLIED, record
    batch.save(update_fields=["status", "settlement"])
    messages.success(
        request,
        f"가져왔습니다: {record} (추가 {p.counts['create']}, 수정 {p.counts['update']}, 삭제 {p.counts['delete']})",
    )
    return redirect("dashboard", pk=record.pk)


@require_POST
def import_cancel(request: HttpRequest, batch_pk: int) -> HttpResponse:
    batch = _batch(request, batch_pk)
    if batch.status == ImportBatch.PENDING:
        batch.status = ImportBatch.CANCELLED
        batch.save(update_fields=["status"])
        messages.info(request, "가져오기를 취소했습니다. 아무것도 바뀌지 않았습니다.")
    return redirect("import")
