"""From a model as imported to the model a report prints: numbers computed, prose resolved."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gyeolsan.model import Finding, Headline, Location, Settlement, Severity
from gyeolsan.report import compute
from gyeolsan.report.config import DEFAULT, ReportConfig
from gyeolsan.report.placeholders import resolve_all, templatize


@dataclass
class Prepared:
    settlement: Settlement  # every printed figure computed, every reference resolved
    templated: Settlement  # computed numbers, prose with references
    findings: list[Finding] = field(default_factory=list)  # REF* findings


def prepare(settlement: Settlement, config: ReportConfig | None = None) -> Prepared:
    """Compute every figure from the leaves, turn the prose figures into references and resolve them."""
    cfg = config or DEFAULT
    numbers = compute.compute_numbers(settlement, cfg)
    templated, found = templatize(numbers, cfg, numbers=numbers)
    templated = headline_style(default_headlines(templated), cfg)
    resolved, unresolved = resolve_all(templated, numbers)
    findings = found + unresolved + _unlinked_cards(settlement, numbers)
    return Prepared(settlement=resolved, templated=templated, findings=findings)


def _yy(year: int) -> str:
    return f"'{year % 100:02d}"


def default_headlines(s: Settlement) -> Settlement:
    """Headline sentences (with references) for the sections whose source has none (e.g. spreadsheets)."""
    update: dict[str, object] = {}
    year = s.meta.fiscal_year
    table = s.settlement
    if table is not None and table.headline is None and table.root("total") is not None:
        text = (
            f"{_yy(year)}년 결산 세출예산 현액 {{total.budget_current:억원}}, 이중 {{total.spent:억원}} 집행 "
            "(집행률 {total.rate}%)"
        )
        update["settlement"] = table.model_copy(update={"headline": Headline(text=text)})
    nxt = s.next_year
    if nxt is not None and nxt.headline is None and nxt.root("total") is not None:
        text = f"{_yy(nxt.year)}년 예산 세출예산 {{next.current:억백만원}}"
        update["next_year"] = nxt.model_copy(update={"headline": Headline(text=text)})
    rev = s.revenue
    if rev is not None and rev.headline is None and rev.lines:
        text = (
            f"{year} 회계연도 세입 예산현액은 총 {{revenue.budget_current:천원}}으로, 총 {{revenue.levied:천원}}을 "
            "징수결정하여 {revenue.received:천원}이 수납되었고 미수납액 {revenue.uncollected:천원}입니다."
        )
        update["revenue"] = rev.model_copy(update={"headline": Headline(text=text)})
    exp = s.expenditure
    if exp is not None and exp.headline is None and (exp.table is not None or table is not None):
        text = (
            f"{year} 회계연도 세출 예산현액은 총 {{expenditure.budget_current:천원}}으로, 이 중 "
            "{expenditure.spent:천원}, 예산현액 대비 {expenditure.rate}%를 집행하였고, "
            "{expenditure.unused:천원}의 집행잔액이 발생하였습니다."
        )
        update["expenditure"] = exp.model_copy(update={"headline": Headline(text=text)})
    return s.model_copy(update=update) if update else s


_EOK = re.compile(r"(\{[^{}]+:)(억원|억백만원)(\})")


def headline_style(s: Settlement, cfg: ReportConfig) -> Settlement:
    """The office's 억원 / 억백만원 convention for the two budget headlines (``headline``, ``next_headline``)."""
    update: dict[str, object] = {}
    for name, style in (("settlement", cfg.headline), ("next_year", cfg.next_headline)):
        table = getattr(s, name)
        if table is not None and table.headline is not None:
            text = _EOK.sub(lambda m, st=style: m.group(1) + st + m.group(3), table.headline.text)  # type: ignore[misc]
            update[name] = table.model_copy(
                update={"headline": table.headline.model_copy(update={"text": text})}
            )
    return s.model_copy(update=update)


def recompute(settlement: Settlement, config: ReportConfig | None = None) -> Settlement:
    """The model a generated report reads back as: what :func:`prepare` prints."""
    return prepare(settlement, config).settlement


def _unlinked_cards(original: Settlement, numbers: Settlement) -> list[Finding]:
    out = []
    path = original.meta.source_path or ""
    for before, after in zip(original.cards, numbers.cards, strict=True):
        if before.settlement is not None and after.settlement is None:
            out.append(
                Finding(
                    rule="REF010",
                    severity=Severity.WARNING,
                    message=f"카드 '{before.title}'의 결산 문장을 계산할 수 없어 싣지 않았습니다 (연결된 단위사업 없음)",
                    message_en=f"Card '{before.title}': its settlement line cannot be computed "
                    "(no linked 단위사업 rows) and is left out",
                    hint="카드 제목이나 금액이 결산표의 단위사업과 맞는지 확인하십시오",
                    location=Location.at(before.settlement.src, path, section="II. 주요사업 추진실적"),
                )
            )
    return out
