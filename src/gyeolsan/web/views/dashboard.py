"""대시보드: 집행률 by division (chart + table), findings by severity, workflow state, deadlines."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from gyeolsan.model import numbers
from gyeolsan.web.validation import Findings, findings_of
from gyeolsan.web.views.common import page, settlement_for
from gyeolsan.web.workspace.models import BudgetLine, Deadline, Division, Settlement, WorkflowEvent

CHART_WIDTH = 380  # px of the 100% bar


@dataclass
class DivisionRow:
    division: Division
    budget_current: int
    spent: int
    rate: Decimal | None
    counts: dict[str, int]
    y: int = 0

    @property
    def bar(self) -> int:
        return 0 if self.rate is None else int(min(self.rate, Decimal(100)) * CHART_WIDTH / 100)


def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    """The same for every reader: rendered once per data revision, workflow state and day."""
    record = settlement_for(request, pk)
    found = findings_of(record)
    states = list(record.divisions.values_list("pk", "state"))
    stamp = (
        list(Deadline.objects.filter(settlement=record).values_list("pk", "due", "done", "title", "note")),
        WorkflowEvent.objects.filter(settlement=record).aggregate(last=Max("pk"))["last"],
    )
    signature = repr(
        (
            record.pk,
            record.revision,
            record.findings_revision,
            record.locked,
            states,
            stamp,
            str(timezone.localdate()),
        )
    )
    key = "gyeolsan:dashboard:" + hashlib.sha1(signature.encode()).hexdigest()
    content = cache.get(key)
    if content is None:
        content = render_to_string("gyeolsan/_dashboard_content.html", _context(record, found))
        cache.set(key, content, 3600)
    return page(request, "gyeolsan/dashboard.html", record, "dashboard", content=mark_safe(content))


def _context(record: Settlement, found: Findings) -> dict[str, object]:
    lines = {
        ln.division_id: ln
        for ln in BudgetLine.objects.filter(settlement=record, place="settlement", kind="division")
    }
    rows = []
    for d in record.divisions.all():
        ln = lines.get(d.pk)
        budget_current = (ln.budget_current or 0) if ln else 0
        spent = (ln.spent or 0) if ln else 0
        rate = numbers.rate(spent, budget_current)
        rows.append(DivisionRow(d, budget_current, spent, rate, found.counts(d.pk), y=len(rows) * 44))
    total_current = sum(r.budget_current for r in rows)
    total_spent = sum(r.spent for r in rows)
    today = timezone.localdate()
    deadlines = [
        {"deadline": x, "days": (x.due - today).days, "overdue": not x.done and x.due < today}
        for x in record.deadlines.all()
    ]
    unit = record.document.get("settlement", {}).get("unit", "천원")
    return dict(
        record=record,
        rows=rows,
        chart_height=len(rows) * 44 + 30,
        chart_width=CHART_WIDTH,
        total_current=total_current,
        total_spent=total_spent,
        total_rate=numbers.rate(total_spent, total_current),
        total_eok=numbers.format_eok_baekman(total_current, numbers.Unit(unit)),
        spent_eok=numbers.format_eok_baekman(total_spent, numbers.Unit(unit)),
        unit=unit,
        counts=found.counts(),
        office_counts=found.counts(None),
        rules_run=found.rules_run,
        deadlines=deadlines,
        events=list(WorkflowEvent.objects.filter(settlement=record).select_related("division", "user")[:8]),
    )
