"""What every screen shares: loading a settlement the user may see, the navigation, JSON errors."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from gyeolsan.web import permissions
from gyeolsan.web.permissions import Action
from gyeolsan.web.workspace.models import Settlement

NAV = (
    ("dashboard", "대시보드"),
    ("table", "결산표"),
    ("cards", "사업 카드"),
    ("adjustments", "예산 변경"),
    ("audits", "시정·권고"),
    ("findings", "지적사항"),
    ("workflow", "결재"),
    ("documents", "문서"),
    ("compare", "연도 비교"),
    ("history", "변경 이력"),
)


def settlement_for(request: HttpRequest, pk: int, action: Action = Action.VIEW) -> Settlement:
    """The settlement ``pk`` if the user may see it (404 otherwise: no leak of what exists) and do ``action``."""
    record = Settlement.objects.select_related("office").filter(pk=pk).first()
    if record is None or not permissions.can(request.user, Action.VIEW, record):
        raise Http404("결산을 찾을 수 없습니다.")
    if action is not Action.VIEW:
        permissions.check(request.user, action, record)
    return record


def page(
    request: HttpRequest, template: str, record: Settlement | None, active: str, **context: Any
) -> HttpResponse:
    base: dict[str, Any] = {"record": record, "nav": NAV, "active": active}
    if record is not None:
        base["roles"] = permissions.roles(request.user, record.office_id)
    base.update(context)
    return render(request, template, base)


def json_error(message: str, message_en: str, status: int, **extra: Any) -> JsonResponse:
    return JsonResponse({"ok": False, "message": message, "message_en": message_en, **extra}, status=status)
