"""지적사항: the same findings (shape and rule ids) as ``gyeolsan check``; filter, comment, explain, download."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from gyeolsan.web import permissions
from gyeolsan.web.permissions import Action
from gyeolsan.web.security import neutralise
from gyeolsan.web.validation import Attributed, findings_of
from gyeolsan.web.views.common import page, settlement_for
from gyeolsan.web.workflow import WorkflowError, comment, explain
from gyeolsan.web.workspace.models import Division, FindingNote, Settlement


def _filtered(request: HttpRequest, record: Settlement) -> tuple[list[Attributed], dict[str, str]]:
    found = findings_of(record)
    f = {k: request.GET.get(k, "").strip() for k in ("severity", "rule", "division", "q", "state")}
    explained = set(
        FindingNote.objects.filter(settlement=record, kind=FindingNote.EXPLANATION).values_list(
            "finding_key", flat=True
        )
    )
    items = found.items
    if f["severity"]:
        items = [a for a in items if a.severity.value == f["severity"]]
    if f["rule"]:
        items = [a for a in items if a.finding.rule.startswith(f["rule"].upper())]
    if f["division"] == "office":
        items = [a for a in items if a.division_id is None]
    elif f["division"].isdigit():
        items = [a for a in items if a.division_id == int(f["division"])]
    if f["q"]:
        q = f["q"].lower()
        items = [a for a in items if q in (a.finding.message + " " + a.finding.message_en).lower()]
    if f["state"] == "explained":
        items = [a for a in items if a.key in explained]
    elif f["state"] == "open":
        items = [a for a in items if a.key not in explained]
    return items, f


def findings(request: HttpRequest, pk: int) -> HttpResponse:
    record = settlement_for(request, pk)
    items, f = _filtered(request, record)
    notes: dict[str, list[FindingNote]] = {}
    for n in FindingNote.objects.filter(settlement=record).select_related("author"):
        notes.setdefault(n.finding_key, []).append(n)
    divisions = {d.pk: d for d in record.divisions.all()}
    rows = []
    for a in items:
        target: Any = divisions.get(a.division_id) if a.division_id else record
        rows.append(
            {
                "a": a,
                "f": a.finding,
                "division": divisions.get(a.division_id) if a.division_id else None,
                "notes": notes.get(a.key, []),
                "explained": any(n.kind == FindingNote.EXPLANATION for n in notes.get(a.key, [])),
                "can_explain": a.severity.value != "error"
                and permissions.can(request.user, Action.EXPLAIN, target),
            }
        )
    found = findings_of(record)
    context = {
        "rows": rows,
        "filters": f,
        "divisions": list(divisions.values()),
        "counts": found.counts(),
        "rules_run": found.rules_run,
        "query": request.GET.urlencode(),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return page(request, "gyeolsan/_findings_table.html", record, "findings", **context)
    return page(request, "gyeolsan/findings.html", record, "findings", **context)


@require_POST
def note(request: HttpRequest, pk: int) -> HttpResponse:
    record = settlement_for(request, pk)
    key = request.POST.get("key", "")
    text = request.POST.get("text", "")
    kind = request.POST.get("kind", FindingNote.COMMENT)
    try:
        if kind == FindingNote.EXPLANATION:
            explain(record, key, text, request.user)
        else:
            comment(record, key, text, request.user)
        error = None
    except WorkflowError as exc:
        error = exc.message
    if request.htmx:  # type: ignore[attr-defined]
        notes = FindingNote.objects.filter(settlement=record, finding_key=key).select_related("author")
        html = render_to_string("gyeolsan/_notes.html", {"notes": notes, "error": error}, request=request)
        return HttpResponse(html, status=422 if error else 200)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, "저장했습니다.")
    return redirect(request.POST.get("next") or f"/s/{record.pk}/findings/")


def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The findings as the CLI prints them (JSON, ``gyeolsan.findings/1``) or as CSV."""
    if fmt not in ("json", "csv"):
        raise Http404
    record = settlement_for(request, pk, Action.DOWNLOAD)
    items, _ = _filtered(request, record)
    report = findings_of(record).report(items)
    name = f"findings-{record.office.name}-{record.fiscal_year}"
    if fmt == "json":
        body = json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=1)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = _attachment(f"{name}.json")
        return response
    divisions = {d.pk: d.name for d in Division.objects.filter(settlement=record)}
    out = io.StringIO()
    out.write("\ufeff")  # Excel opens UTF-8 CSV with Hangul only with a BOM
    w = csv.writer(out)
    w.writerow(
        [
            "규칙",
            "심각도",
            "내용",
            "message",
            "부서",
            "위치(줄)",
            "표",
            "행",
            "항목",
            "기재",
            "기대",
            "차이",
            "조치 안내",
        ]
    )
    for a in items:
        f, loc = a.finding, a.finding.location
        w.writerow(
            neutralise(x)
            for x in (
                f.rule,
                f.severity.label_ko,
                f.message,
                f.message_en,
                divisions.get(a.division_id, "실국 공통") if a.division_id else "실국 공통",
                loc.line or "",
                loc.table or loc.section or "",
                loc.row or "",
                loc.field or "",
                f.stated or "",
                f.expected or "",
                f.difference or "",
                f.hint or "",
            )
        )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _attachment(f"{name}.csv")
    return response


def _attachment(filename: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename=\"download{filename[filename.rfind('.') :]}\"; filename*=UTF-8''{quote(filename)}"
