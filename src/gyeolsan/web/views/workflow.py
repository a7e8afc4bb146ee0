"""결재: divisions' states and steps (submit, approve, return), lock and reopen of the settlement."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from gyeolsan.web import permissions, workflow
from gyeolsan.web.permissions import Action
from gyeolsan.web.validation import blocking, explained_keys, findings_of
from gyeolsan.web.views.common import page, settlement_for
from gyeolsan.web.workspace.models import Division, WorkflowEvent


def overview(request: HttpRequest, pk: int) -> HttpResponse:
    record = settlement_for(request, pk)
    found = findings_of(record)
    explained = explained_keys(record)
    rows = []
    for d in record.divisions.all():
        items = found.for_division(d.pk)
        errors = [a for a in items if a.severity.value == "error"]
        warnings = [a for a in items if a.severity.value == "warning" and a.key not in explained]
        rows.append(
            {
                "division": d,
                "errors": errors,
                "warnings": warnings,
                "steps": {a.value: permissions.can(request.user, a, d) for a in workflow.STEPS},
            }
        )
    office_errors, office_warnings = blocking(record, None)
    return page(
        request,
        "gyeolsan/workflow.html",
        record,
        "workflow",
        rows=rows,
        office_errors=office_errors,
        office_warnings=office_warnings,
        can_lock=permissions.can(request.user, Action.LOCK, record),
        can_reopen=permissions.can(request.user, Action.REOPEN, record),
        events=WorkflowEvent.objects.filter(settlement=record).select_related("division", "user")[:50],
    )


@require_POST
def division_step(request: HttpRequest, pk: int, division_pk: int, action: str) -> HttpResponse:
    record = settlement_for(request, pk)
    division = Division.objects.filter(pk=division_pk, settlement=record).select_related("settlement").first()
    if division is None or action not in ("submit", "approve", "return"):
        raise Http404
    try:
        if action == "submit":
            explanations = {k[4:]: v for k, v in request.POST.items() if k.startswith("exp-")}
            workflow.submit(division, request.user, explanations)
            messages.success(request, f"{division.name}: 제출했습니다.")
        elif action == "approve":
            workflow.approve(division, request.user)
            messages.success(request, f"{division.name}: 승인했습니다.")
        else:
            workflow.return_(division, request.user, request.POST.get("reason", ""))
            messages.success(request, f"{division.name}: 반려했습니다 (작성중).")
    except workflow.WorkflowError as exc:
        messages.error(request, f"{division.name}: {exc.message}")
    return redirect("workflow", pk=record.pk)


@require_POST
def settlement_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    record = settlement_for(request, pk)
    try:
        if action == "lock":
            workflow.lock(record, request.user)
            messages.success(request, "결산을 확정(잠금)했습니다.")
        elif action == "reopen":
            workflow.reopen(record, request.user, request.POST.get("reason", ""))
            messages.success(request, "확정을 해제했습니다. 사유가 기록되었습니다.")
        else:
            raise Http404
    except workflow.WorkflowError as exc:
        messages.error(request, exc.message)
    return redirect("workflow", pk=record.pk)
