"""The 이용·전용·이체·변경사용·이월 ledger: one ``Adjustment`` record per row."""

from __future__ import annotations

import re
from datetime import date

from gyeolsan.io.report_text.context import parse_date
from gyeolsan.io.sheets import frame as fr
from gyeolsan.io.sheets.longtable import MAX_EXAMPLES, RawTable
from gyeolsan.io.sheets.text import split_code_name
from gyeolsan.model import Adjustment, DateText, Finding, Severity, Source
from gyeolsan.model.numbers import UNIT_FACTOR, Unit

KINDS = {
    "이용": ("이용", None),
    "전용": ("전용", None),
    "이체": ("이체", None),
    "변경사용": ("변경사용", None),
    "이월": ("이월", None),
    "명시이월": ("이월", "명시이월"),
    "사고이월": ("이월", "사고이월"),
    "계속비이월": ("이월", "계속비이월"),
}
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def parse_date_cell(text: str | None) -> DateText | None:
    if not text:
        return None
    m = _ISO.match(text)
    if m:
        y, mo, d = (int(x) for x in m.groups())
        try:
            date(y, mo, d)
        except ValueError:
            return None
        return DateText(text=f"{y}. {mo}. {d}.", year=y, month=mo, day=d)
    return parse_date(text)


def _name(text: str | None) -> str | None:
    if not text:
        return None
    return split_code_name(text)[1]


def build_adjustments(raw: RawTable, unit: str) -> tuple[list[Adjustment], list[Finding]]:
    lf = fr.parse_money(raw.frame, ["amount"])
    df = raw.collect(lf)
    out: list[Adjustment] = []
    findings: list[Finding] = []
    model_unit = unit if unit in ("원", "천원", "백만원", "억원") else "원"
    factor = UNIT_FACTOR[Unit(unit)] // UNIT_FACTOR[Unit(model_unit)]
    bad = 0
    for rec in df.iter_rows(named=True):
        row = rec[fr.ROW]
        kind_text = re.sub(r"\s", "", rec.get("kind") or "").removeprefix("예산")
        if kind_text in {"합계", "계", "소계", "총계"}:
            continue
        kind = KINDS.get(kind_text)
        if kind is None or rec.get(fr.ERR + "amount") or rec.get(fr.FRAC + "amount"):
            bad += 1
            if bad <= MAX_EXAMPLES:
                what = "구분" if kind is None else "금액"
                fname = "kind" if kind is None else "amount"
                findings.append(
                    Finding(
                        rule="IMP170",
                        severity=Severity.ERROR,
                        message=f"예산 변경 대장의 {what}을(를) 읽을 수 없습니다: '{rec.get(fname)}'",
                        message_en=f"Cannot read the {fname} of a ledger row: {rec.get(fname)!r}",
                        hint="구분은 이용·전용·이체·변경사용·명시이월·사고이월·계속비이월 중 하나, 금액은 숫자",
                        location=raw.location(row, fname),
                    )
                )
            continue
        loc = raw.location(row, "kind")
        amount = rec.get("amount")
        out.append(
            Adjustment(
                kind=kind[0],  # type: ignore[arg-type]
                carry_kind=kind[1],  # type: ignore[arg-type]
                date=parse_date_cell(rec.get("date")),
                from_division=_name(rec.get("from_department")),
                from_program=_name(rec.get("from_unit") or rec.get("from_detail") or rec.get("from_policy")),
                to_division=_name(rec.get("to_department")),
                to_program=_name(rec.get("to_unit") or rec.get("to_detail") or rec.get("to_policy")),
                from_item=_name(rec.get("from_item")),
                to_item=_name(rec.get("to_item")),
                amount=None if amount is None else amount * factor,
                unit=model_unit,  # type: ignore[arg-type]
                reason=rec.get("reason"),
                approved_on=parse_date_cell(rec.get("approved_on")),
                reported_on=parse_date_cell(rec.get("reported_on")),
                src=Source(path=raw.path, line=loc.line, sheet=loc.sheet, cell=loc.cell),
            )
        )
    if bad > MAX_EXAMPLES:
        findings.append(
            Finding(
                rule="IMP170",
                severity=Severity.ERROR,
                message=f"읽을 수 없는 대장 행이 {bad:,}건 있습니다",
                message_en=f"{bad:,} ledger rows cannot be read",
                location=raw.location(None),
            )
        )
    return out, findings
