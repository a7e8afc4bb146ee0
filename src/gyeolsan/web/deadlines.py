"""The settlement calendar shown on the dashboard: default dates from the domain notes (editable)."""

from __future__ import annotations

from datetime import date

from gyeolsan.web.workspace.models import Deadline, Settlement


def default_deadlines(record: Settlement) -> None:
    """출납 폐쇄, 결산서 작성 (80일), 부서 제출, 상임위 보고, 의회 승인 — created once per settlement."""
    if record.deadlines.exists():
        return
    y = record.fiscal_year
    reported = record.document.get("meta", {}).get("report_date") or {}
    try:
        report_day = date(int(reported["year"]), int(reported["month"]), int(reported["day"]))
    except (KeyError, TypeError, ValueError):
        report_day = date(y + 1, 6, 15)
    rows = [
        ("출납 폐쇄", date(y, 12, 31), "회계연도 말일"),
        ("결산서 작성·검사위원 검사", date(y + 1, 3, 21), "지방자치법: 출납 폐쇄 후 80일 이내"),
        ("부서 결산 제출 마감", date(y + 1, 4, 30), "실국 내부 일정 (총괄이 정함)"),
        ("상임위원회 결산 업무보고", report_day, "6월 정례회 (보고서 일자)"),
        ("의회 결산 승인", date(y + 1, 6, 30), "6월 정례회"),
    ]
    Deadline.objects.bulk_create(Deadline(settlement=record, title=t, due=d, note=n) for t, d, n in rows)
