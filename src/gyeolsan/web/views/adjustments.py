"""예산 변경 대장: 이용·전용·변경사용·이체·이월 records, 전용 reports to the council and their due dates."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from gyeolsan.rules.config import DEFAULT as RULES
from gyeolsan.web import permissions
from gyeolsan.web.convert import load_rows, tag_for, to_model
from gyeolsan.web.editing import EDITABLE, create_adjustment, delete_row, display, update_row
from gyeolsan.web.permissions import Action
from gyeolsan.web.validation import findings_of
from gyeolsan.web.views.common import page, settlement_for
from gyeolsan.web.workspace.models import Adjustment, Division, Settlement

FORM_FIELDS = [s for s in EDITABLE[Adjustment]]


def due_date(decided: Any, months: int = RULES.transfer_report_months) -> date | None:
    """Last day by which a 전용 decided on ``decided`` is to be reported (the compliance rule's ``report_due``)."""
    from gyeolsan.rules.compliance import report_due

    due = report_due(decided, months) if decided is not None else None
    if due is None:
        return None
    year, month, _ = due
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def _day(d: Any) -> date | None:
    if d is None or d.year is None or d.month is None:
        return None
    return date(d.year, d.month, d.day or 1)


def ledger(request: HttpRequest, pk: int) -> HttpResponse:
    record = settlement_for(request, pk)
    found = findings_of(record)
    kind = request.GET.get("kind", "")
    from gyeolsan.rules.compliance import transfer_dates

    stored = load_rows(record)
    model = to_model(record, rows=stored)
    today = timezone.localdate()
    rows = []
    for a, core in zip(stored[Adjustment], model.adjustments, strict=True):
        if kind and a.kind != kind:  # type: ignore[attr-defined]
            continue
        decided, reported_on = transfer_dates(core) if core.kind == "전용" else (None, None)
        due = due_date(decided) if core.kind == "전용" else None
        reported = _day(reported_on)
        overdue = due is not None and (
            (reported is not None and reported > due) or (reported is None and today > due)
        )
        rows.append(
            {
                "a": a,
                "due": due,
                "overdue": overdue,
                "missing_report": due is not None and reported is None,
                "findings": found.for_target(tag_for(a)[1:]),
                "can_edit": permissions.can(request.user, Action.EDIT, a),
            }
        )
    summaries = (record.document.get("expenditure") or {}).get("summaries", [])
    return page(
        request,
        "gyeolsan/adjustments.html",
        record,
        "adjustments",
        rows=rows,
        kinds=[k for k, _ in Adjustment.KINDS],
        kind=kind,
        summaries=summaries,
        months=RULES.transfer_report_months,
        rule_basis=RULES.transfer_report_rule,
        can_create=bool(_creatable_divisions(request, record))
        or permissions.can(request.user, Action.EDIT, record),
    )


def _creatable_divisions(request: HttpRequest, record: Settlement) -> list[Division]:
    keys = permissions.editable_divisions(request.user, record)
    return [d for d in record.divisions.all() if d.key in keys]


def _form_values(adj: Adjustment | None) -> list[dict[str, Any]]:
    return [
        {"spec": s, "value": display(s, getattr(adj, s.name)) if adj else "", "id": f"f-{s.name}"}
        for s in FORM_FIELDS
    ]


def adjustment_edit(request: HttpRequest, pk: int, adj_pk: int | None = None) -> HttpResponse:
    record = settlement_for(request, pk)
    adj = None
    if adj_pk is not None:
        adj = (
            Adjustment.objects.filter(pk=adj_pk, settlement=record)
            .select_related("division", "settlement")
            .first()
        )
        if adj is None:
            raise Http404
        permissions.check(request.user, Action.EDIT, adj)
    elif not _creatable_divisions(request, record) and not permissions.can(request.user, Action.EDIT, record):
        permissions.check(request.user, Action.EDIT, record)
    errors: dict[str, str] = {}
    conflict = None
    if request.method == "POST":
        raw = {s.name: request.POST.get(s.name, "") for s in FORM_FIELDS}
        if adj is None:
            result = create_adjustment(record, raw, request.user, "예산 변경 추가")
            if result.ok:
                messages.success(request, "예산 변경을 추가했습니다.")
                return redirect("adjustments", pk=record.pk)
            errors = result.errors or {"from_division": result.denied or ""}
        else:
            result = update_row(
                Adjustment, adj.pk, raw, _int(request.POST.get("version")), request.user, "예산 변경 편집"
            )
            if result.ok:
                messages.success(request, "저장했습니다." if result.changed else "바뀐 내용이 없습니다.")
                return redirect("adjustments", pk=record.pk)
            errors, conflict = result.errors, result.conflict
            if result.denied:
                messages.error(request, result.denied)
    fields = _form_values(adj)
    if request.method == "POST":
        for f in fields:
            f["value"] = request.POST.get(f["spec"].name, "")
    return page(
        request,
        "gyeolsan/adjustment_form.html",
        record,
        "adjustments",
        adj=adj,
        fields=fields,
        errors=errors,
        conflict=conflict,
        kinds=[k for k, _ in Adjustment.KINDS],
        carry_kinds=[k for k, _ in Adjustment.CARRY_KINDS],
        divisions=list(record.divisions.all()),
    )


@require_POST
def adjustment_delete(request: HttpRequest, pk: int, adj_pk: int) -> HttpResponse:
    record = settlement_for(request, pk)
    adj = (
        Adjustment.objects.filter(pk=adj_pk, settlement=record)
        .select_related("division", "settlement")
        .first()
    )
    if adj is None:
        raise Http404
    why = delete_row(adj, request.user, "예산 변경 삭제")
    if why is not None:
        raise PermissionDenied(why)
    messages.success(request, f"삭제했습니다: {adj}")
    return redirect("adjustments", pk=record.pk)


def _int(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None
