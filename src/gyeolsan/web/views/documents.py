"""문서: generated reports (every format), the canonical JSON, the findings files."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from gyeolsan.io.canonical import dumps
from gyeolsan.web import documents, permissions
from gyeolsan.web.convert import to_model
from gyeolsan.web.permissions import Action
from gyeolsan.web.views.common import page, settlement_for
from gyeolsan.web.views.findings import _attachment
from gyeolsan.web.workspace.models import GeneratedDocument


def document_list(request: HttpRequest, pk: int) -> HttpResponse:
    record = settlement_for(request, pk)
    docs = GeneratedDocument.objects.filter(settlement=record).select_related("created_by")[:60]
    return page(
        request,
        "gyeolsan/documents.html",
        record,
        "documents",
        docs=[
            {
                "doc": d,
                "label": documents.FORMATS.get(d.format, (d.format,))[0],
                "current": d.revision == record.revision,
            }
            for d in docs
        ],
        formats=documents.FORMATS,
        can_generate=permissions.can(request.user, Action.GENERATE, record),
        available=documents.renderer() is not None,
    )


@require_POST
def generate(request: HttpRequest, pk: int) -> HttpResponse:
    record = settlement_for(request, pk, Action.GENERATE)
    fmt = request.POST.get("format", "")
    try:
        doc = documents.generate(record, fmt, request.user)
        messages.success(request, f"{documents.FORMATS[fmt][0]} 문서를 만들었습니다.")
        if request.POST.get("download"):
            return redirect("document-download", pk=record.pk, doc_pk=doc.pk)
    except documents.DocumentError as exc:
        messages.error(request, exc.message)
    return redirect("documents", pk=record.pk)


def download(request: HttpRequest, pk: int, doc_pk: int) -> FileResponse:
    record = settlement_for(request, pk, Action.DOWNLOAD)
    doc = (
        GeneratedDocument.objects.filter(pk=doc_pk, settlement=record)
        .select_related("settlement__office")
        .first()
    )
    if doc is None:
        raise Http404
    response = FileResponse(
        doc.file.open("rb"),
        content_type=documents.FORMATS.get(doc.format, ("", "application/octet-stream"))[1],
    )
    response["Content-Disposition"] = _attachment(documents.filename(doc))
    return response


def canonical(request: HttpRequest, pk: int) -> HttpResponse:
    """The stored settlement as canonical JSON (``gyeolsan/1``), for the CLI and other tools."""
    record = settlement_for(request, pk, Action.DOWNLOAD)
    response = HttpResponse(dumps(to_model(record)), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = _attachment(f"{record.office.name}-{record.fiscal_year}.json")
    return response
