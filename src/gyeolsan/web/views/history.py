"""변경 이력: every change of a settlement (who, when, before → after), and the history of one row."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from gyeolsan.web import history
from gyeolsan.web.views.common import page, settlement_for


def settlement_history(request: HttpRequest, pk: int) -> HttpResponse:
    record = settlement_for(request, pk)
    hide_import = request.GET.get("all") != "1"
    entries = history.settlement_history(record, only_changes=hide_import)
    return page(request, "gyeolsan/history.html", record, "history", entries=entries, hide_import=hide_import)


def object_history(request: HttpRequest, pk: int, model: str, object_id: int) -> HttpResponse:
    record = settlement_for(request, pk)
    model_cls = history.BY_NAME.get(model)
    if model_cls is None or history.settlement_of(model_cls, object_id) != record.pk:
        raise Http404
    entries = history.object_history(model_cls, object_id)
    title = entries[0].label if entries else str(object_id)
    return page(
        request,
        "gyeolsan/history.html",
        record,
        "history",
        entries=entries,
        object_title=f"{model_cls._meta.verbose_name}: {title}",
        hide_import=False,
    )
