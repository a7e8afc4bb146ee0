"""일정: the settlement calendar on the dashboard, kept by the 총괄."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from gyeolsan.web import permissions
from gyeolsan.web.permissions import Action
from gyeolsan.web.views.common import page, settlement_for
from gyeolsan.web.workspace.models import Deadline


def deadlines(request: HttpRequest, pk: int) -> HttpResponse:
    record = settlement_for(request, pk)
    can_edit = permissions.can(request.user, Action.EDIT, record)
    if request.method == "POST":
        permissions.check(request.user, Action.EDIT, record)
        try:
            _save(request, record)
            messages.success(request, "일정을 저장했습니다.")
        except ValueError as exc:
            messages.error(request, str(exc))
        return redirect("deadlines", pk=record.pk)
    return page(
        request,
        "gyeolsan/deadlines.html",
        record,
        "dashboard",
        items=record.deadlines.all(),
        can_edit=can_edit,
    )


def _due(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"날짜를 YYYY-MM-DD 형식으로 입력하십시오: '{text}'") from None


def _save(request: HttpRequest, record) -> None:  # type: ignore[no-untyped-def]
    post = request.POST
    for d in record.deadlines.all():
        if post.get(f"delete-{d.pk}"):
            d.delete()
            continue
        title = post.get(f"title-{d.pk}", d.title).strip()[:200] or d.title
        due = _due(post.get(f"due-{d.pk}", d.due.isoformat()))
        note = post.get(f"note-{d.pk}", d.note).strip()[:300]
        done = bool(post.get(f"done-{d.pk}"))
        if (title, due, note, done) != (d.title, d.due, d.note, d.done):
            d.title, d.due, d.note, d.done = title, due, note, done
            d._history_user = request.user  # type: ignore[attr-defined]
            d.save()
    if post.get("new-title", "").strip():
        Deadline.objects.create(
            settlement=record,
            title=post["new-title"].strip()[:200],
            due=_due(post.get("new-due", "")),
            note=post.get("new-note", "").strip()[:300],
        )
