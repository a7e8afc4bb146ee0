"""시정·권고사항: the examiners' recommendations, their status, actions taken and evidence files."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from gyeolsan.web import permissions
from gyeolsan.web.convert import tag_for
from gyeolsan.web.editing import update_row
from gyeolsan.web.permissions import Action
from gyeolsan.web.security import EVIDENCE_SUFFIXES, UploadError, read_upload
from gyeolsan.web.validation import findings_of
from gyeolsan.web.views.common import page, settlement_for
from gyeolsan.web.workspace.models import AuditAction, AuditRecommendation, Evidence, Settlement

STATUSES = ("추진완료", "추진중", "미추진")


def audit_list(request: HttpRequest, pk: int) -> HttpResponse:
    record = settlement_for(request, pk)
    found = findings_of(record)
    recs = AuditRecommendation.objects.filter(settlement=record).select_related("division")
    rows = [
        {
            "rec": rec,
            "actions": list(rec.actions.select_related("author")),
            "evidence": list(rec.evidence.all()),
            "findings": found.for_target(tag_for(rec)[1:]),
            "can_edit": permissions.can(request.user, Action.EDIT, rec),
        }
        for rec in recs
    ]
    title = record.document.get("audit_title") or "결산검사 시정·권고사항 조치결과"
    return page(request, "gyeolsan/audits.html", record, "audits", rows=rows, title=title, statuses=STATUSES)


def _rec(record: Settlement, rec_pk: int) -> AuditRecommendation:
    rec = (
        AuditRecommendation.objects.filter(pk=rec_pk, settlement=record)
        .select_related("division", "settlement")
        .first()
    )
    if rec is None:
        raise Http404
    return rec


@require_POST
def audit_update(request: HttpRequest, pk: int, rec_pk: int) -> HttpResponse:
    record = settlement_for(request, pk)
    rec = _rec(record, rec_pk)
    raw = {k: request.POST[k] for k in ("status", "status_date", "action") if k in request.POST}
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    result = update_row(AuditRecommendation, rec.pk, raw, version, request.user, "조치결과 편집")
    if result.ok:
        messages.success(request, f"{rec.number}번 조치결과를 저장했습니다.")
    elif result.conflict:
        messages.error(request, result.conflict.message)
    else:
        messages.error(request, result.denied or "; ".join(result.errors.values()))
    return redirect(f"/s/{record.pk}/audits/#rec-{rec.pk}")


@require_POST
def audit_action(request: HttpRequest, pk: int, rec_pk: int) -> HttpResponse:
    """Record an action taken (and optionally its evidence file)."""
    record = settlement_for(request, pk)
    rec = _rec(record, rec_pk)
    permissions.check(request.user, Action.EDIT, rec)
    text = request.POST.get("text", "").replace("\x00", "").strip()
    try:
        taken_on = date.fromisoformat(request.POST.get("taken_on", ""))
    except ValueError:
        taken_on = None
    upload = request.FILES.get("file")
    try:
        data = read_upload(upload, EVIDENCE_SUFFIXES) if upload else None
    except UploadError as exc:
        messages.error(request, exc.message)
        return redirect(f"/s/{record.pk}/audits/#rec-{rec.pk}")
    if not text and data is None:
        messages.error(request, "조치 내용이나 증빙 파일을 입력하십시오.")
        return redirect(f"/s/{record.pk}/audits/#rec-{rec.pk}")
    with transaction.atomic():
        if text:
            if taken_on is None:
                messages.error(request, "조치일을 YYYY-MM-DD 형식으로 입력하십시오.")
                return redirect(f"/s/{record.pk}/audits/#rec-{rec.pk}")
            AuditAction.objects.create(
                recommendation=rec, taken_on=taken_on, text=text[:5000], author=request.user
            )
        if data is not None and upload is not None:
            name = (upload.name or "evidence")[-150:]
            ev = Evidence(
                recommendation=rec,
                filename=name,
                size=len(data[1]),
                description=request.POST.get("description", "")[:300],
                uploaded_by=request.user,
            )
            ev.file.save(f"evidence{data[0]}", ContentFile(data[1]), save=False)
            ev.save()
    messages.success(request, "조치 내용을 기록했습니다.")
    return redirect(f"/s/{record.pk}/audits/#rec-{rec.pk}")


def evidence_download(request: HttpRequest, pk: int, ev_pk: int) -> FileResponse:
    record = settlement_for(request, pk, Action.DOWNLOAD)
    ev = Evidence.objects.filter(pk=ev_pk, recommendation__settlement=record).first()
    if ev is None:
        raise Http404
    return FileResponse(ev.file.open("rb"), as_attachment=True, filename=ev.filename)
