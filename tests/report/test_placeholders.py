"""Placeholder syntax, resolution (REF001 for dangling references) and templatize on the sample."""

from __future__ import annotations

import json
from decimal import Decimal

import jsonschema
import pytest
from tests.paths import FINDINGS_SCHEMA

from gyeolsan.model import FindingsReport, Settlement
from gyeolsan.report import compute
from gyeolsan.report.placeholders import (
    Ref,
    Resolver,
    Scope,
    escape_literals,
    parse_ref,
    references,
    resolve,
    templatize,
)
from gyeolsan.report.prepare import Prepared


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ("total.budget_current:억원", Ref("budget_current", "total", fmt="억원")),
        ("합계.예산현액:억원", Ref("budget_current", "total", fmt="억원")),
        (
            "program:시민청 운영 및 확산.spent:백만원",
            Ref("spent", "program", "시민청 운영 및 확산", fmt="백만원"),
        ),
        ("사업:3.1절 캠페인.집행액", Ref("spent", "program", "3.1절 캠페인")),
        ("이체#2.amount:천원", Ref("amount", "이체", index=2, fmt="천원")),
        ("이체.건수", Ref("count", "이체")),
        ("집행률", Ref("rate")),
        ("next.current:억백만원", Ref("current", "next", fmt="억백만원")),
        ("card:3-2.rate:2", Ref("rate", "card", "3-2", fmt="2")),
    ],
)
def test_parse_ref(text: str, ref: Ref) -> None:
    assert parse_ref(text) == ref
    assert parse_ref(str(ref)[1:-1]) == ref  # str() writes a reference back


@pytest.mark.parametrize(
    "text", ["3.1절 손글씨 릴레이 캠페인", "없는주제.spent", "total.없는필드", "이체#x.amount", ""]
)
def test_not_a_reference(text: str) -> None:
    assert parse_ref(text) is None


@pytest.fixture(scope="module")
def resolver(sample: Settlement) -> Resolver:
    return Resolver(compute.compute_numbers(sample))


@pytest.mark.parametrize(
    ("template", "printed"),
    [
        (
            "현액 {total.budget_current:억원}, 이중 {total.spent:억원} 집행 ({total.rate}%)",
            "현액 486억원, 이중 470억원 집행 (96.7%)",
        ),
        ("{next.current:억백만원}", "544억 38백만원"),
        ("{program:시민청 운영 및 확산.budget_current:백만원}", "3,883백만원"),
        ("{division:뉴미디어담당관.rate}", "96.2"),
        ("{이체.count}건, {이체.amount:천원}", "2건, 1,281,089천원"),
        ("{이체#1.amount:수}", "938,114"),
        ("{집행잔액.share}%인 {집행잔액.amount:천원}", "2.4%인 1,184,378천원"),
        ("{revenue:국고보조금.received:천원}", "989,470천원"),
        ("{next:공공소셜 활성화.change_rate}", "△100.00"),
        ("{org.divisions}담당관, {org.teams}팀", "4담당관, 19팀"),
        ("{{3.1절}} 그대로", "{3.1절} 그대로"),
        ("{3.1절 손글씨 릴레이 캠페인}", "{3.1절 손글씨 릴레이 캠페인}"),
    ],
)
def test_resolve(resolver: Resolver, template: str, printed: str) -> None:
    done = resolve(template, resolver)
    assert done.text == printed
    assert done.findings == []


def test_card_scope(resolver: Resolver, sample: Settlement) -> None:
    card = next(c for c in sample.cards if c.title == "서울시 도시브랜드 마케팅")
    done = resolve(
        "{budget_current:백만원} 중 {spent:백만원}({rate}%), 이월 {carried:백만원}",
        resolver,
        Scope(card=card),
    )
    assert done.text == "1,650백만원 중 1,640백만원(99.4%), 이월 413백만원"


def test_dangling_reference_is_a_located_finding(resolver: Resolver) -> None:
    scope = Scope(where="II. 주요사업 추진실적")
    done = resolve("집행 {program:없는 사업.spent:백만원}", resolver, scope, path="report.md")
    assert done.text == "집행 {program:없는 사업.spent:백만원}"  # printed as written, nothing crashes
    (finding,) = done.findings
    assert finding.rule == "REF001" and finding.severity.value == "error"
    assert finding.location.path == "report.md" and finding.location.section == "II. 주요사업 추진실적"
    assert finding.message and finding.message_en and finding.stated == "{program:없는 사업.spent:백만원}"
    validate([finding])


def validate(findings: list) -> None:  # type: ignore[type-arg]
    report = FindingsReport.build("report.md", findings, rules_run=0).model_dump(mode="json")
    jsonschema.validate(report, json.loads(FINDINGS_SCHEMA.read_text(encoding="utf-8")))


def test_report_findings_have_the_one_shape(prepared: Prepared) -> None:
    assert prepared.findings
    validate(prepared.findings)


def test_templatize_the_sample(sample: Settlement) -> None:
    templated, findings = templatize(sample)
    assert templated.settlement.headline.text == (
        "'18년 결산 세출예산 현액 {total.budget_current:억원}, 이중 {total.spent:억원} 집행 (집행률 {total.rate}%)"
    )
    assert templated.next_year.headline.text == "'19년 예산 세출예산 {next.current:억백만원}"
    assert templated.organization.summary == "1관 {org.divisions}담당관, {org.teams}팀"
    assert "{이체.count}건, {이체.amount:천원}" in " ".join(h.text for h in templated.expenditure.narrative)
    assert "{revenue.budget_current:천원}" in templated.revenue.headline.text
    rules = sorted((f.rule, f.location.line, f.stated, f.expected) for f in findings)
    assert rules == [
        ("REF002", 174, "554억 38백만원", "544억 38백만원"),
        ("REF002", 953, "47,025,373천원", "47,025,374천원"),
        ("REF002", 981, "5건", "2건"),
    ]
    # the model's numbers are untouched; only text changed
    assert templated.settlement.lines == sample.settlement.lines


def test_templatize_is_idempotent(sample: Settlement) -> None:
    once, _ = templatize(sample)
    twice, findings = templatize(once)
    assert twice == once
    assert findings == []


def test_literal_braces_are_escaped_once() -> None:
    assert (
        escape_literals("{3.1절 캠페인} {total.spent:억원} {{x}}")
        == "{{3.1절 캠페인}} {total.spent:억원} {{x}}"
    )
    assert references("a {total.spent:억원} {{b}} {c d}") == [Ref("spent", "total", fmt="억원")]


def test_prepared_prose_has_no_references_left(prepared: Prepared) -> None:
    s = prepared.settlement
    texts = [s.settlement.headline.text, s.next_year.headline.text, s.revenue.headline.text]
    texts += [h.text for h in s.expenditure.narrative] + [
        b.text for c in s.cards for sec in c.sections for b in sec.blocks if b.type == "bullet"
    ]
    assert not any(references(t) for t in texts)
    assert "{3.1절 손글씨 릴레이 캠페인}" in texts  # literal braces of the sample survive


def test_headline_figures_are_the_computed_ones(prepared: Prepared) -> None:
    figures = {f.key: f for f in prepared.settlement.settlement.headline.figures}
    assert (
        figures["budget_current"].value == Decimal("48600000000")
        and figures["budget_current"].text == "486억원"
    )
    assert figures["rate"].value == Decimal("96.7")
