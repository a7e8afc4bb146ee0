"""The 결산 domain: organisation, staffing, budget tables, adjustments, revenue, cards, audits.

Money is ``int`` in the table's ``unit`` (천원 in the sample); rates are ``Decimal``.
Every row keeps its ``src`` so rules can compare what was *stated* with what is *computed*.
Stated values are kept as printed (even when wrong); totals are recomputed by rules and reports.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Discriminator, Tag

from gyeolsan.model.base import NO_SOURCE, DateText, Model, Source

FORMAT: Literal["gyeolsan/1"] = "gyeolsan/1"

Unit = Literal["원", "천원", "백만원", "억원"]

# ----------------------------------------------------------------------------- organisation


class Team(Model):
    name: str  # 팀
    functions: tuple[str, ...] = ()  # 주요기능
    src: Source = NO_SOURCE


class OrgDivision(Model):
    """A division (담당관/과) of the office with its teams."""

    name: str
    teams: tuple[Team, ...] = ()
    src: Source = NO_SOURCE


class Organization(Model):
    office: str  # 실국, e.g. 시민소통기획관
    summary: str | None = None  # "1관 4담당관, 19팀" as printed
    stated_divisions: int | None = None  # 4 (담당관) from the summary
    stated_teams: int | None = None  # 19 (팀) from the summary
    divisions: tuple[OrgDivision, ...] = ()
    affiliates: tuple[str, ...] = ()  # 출연기관
    src: Source = NO_SOURCE


class Headcount(Model):
    quota: int | None = None  # 정원
    current: int | None = None  # 현원


class StaffingRow(Model):
    name: str
    is_total: bool = False
    total: Headcount  # 총계
    by_series: tuple[Headcount, ...] = ()  # aligned with StaffingTable.series
    src: Source = NO_SOURCE


class StaffingTable(Model):
    as_of: DateText | None = None  # 기준일
    series: tuple[str, ...] = ()  # 직렬: 행정·기술직, 임기제일반직, 전문경력관, 관리운영직
    rows: tuple[StaffingRow, ...] = ()
    stated_quota: int | None = None  # "130명/124명 (정원/현원)"
    stated_current: int | None = None
    src: Source = NO_SOURCE


# ----------------------------------------------------------------------------- budget tables

LineKind = Literal[
    "total",  # 합계 / 총계
    "business",  # 사업예산 (top-level split)
    "basic_total",  # 기본경비(행정운영경비) (top-level split)
    "division",  # 부서 (담당관)
    "policy",  # 정책사업
    "unit",  # 단위사업
    "detail",  # 세부사업
    "item",  # 편성목/통계목
    "basic",  # 부서의 기본경비(행정운영경비)
]


class BudgetLine(Model):
    """One row of a settlement table (세출결산), with its children."""

    kind: LineKind
    name: str
    code: str | None = None
    budget: int | None = None  # 예산액 (본예산+추경)
    budget_current: int | None = None  # 예산현액
    spent: int | None = None  # 집행액 (지출액)
    carried_over: int | None = None  # 다음연도 이월액 계
    carried_explicit: int | None = None  # 명시이월
    carried_accident: int | None = None  # 사고이월
    carried_continuing: int | None = None  # 계속비이월
    subsidy_returned: int | None = None  # 보조금 반납
    unused: int | None = None  # 집행잔액 (불용액)
    rate: Decimal | None = None  # 집행률 (%) as printed
    abolished: bool = False  # 조직개편으로 폐지
    children: tuple[BudgetLine, ...] = ()
    src: Source = NO_SOURCE

    def walk(self) -> list[BudgetLine]:
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out


class Figure(Model):
    """A number stated in prose (headline, sentence), kept with its unit and text."""

    key: str  # semantic key: budget_current, spent, rate, unused, total, share, count ...
    value: Decimal  # in base units of ``unit`` (원 for money)
    unit: str  # "원" for money, "%" for rates, counters otherwise
    scale: Decimal = Decimal(1)  # magnitude of the last printed digit (1_000_000 for 백만원)
    text: str = ""


class Headline(Model):
    """A sentence that states figures ('18년 결산 세출예산 현액 486억원, 이중 470억원 집행 …)."""

    text: str
    figures: tuple[Figure, ...] = ()
    src: Source = NO_SOURCE

    def figure(self, key: str) -> Figure | None:
        return next((f for f in self.figures if f.key == key), None)


class BudgetTable(Model):
    """세출결산 table: 부서 → 정책사업 → 단위사업 (or the section IV 부서별 summary)."""

    key: Literal["settlement", "expenditure_summary", "detail"]
    title: str
    section: str | None = None
    unit: Unit = "천원"
    columns: tuple[str, ...] = ()  # field names in print order
    headline: Headline | None = None
    lines: tuple[BudgetLine, ...] = ()  # roots: total, business, basic_total, divisions
    notes: tuple[str, ...] = ()
    src: Source = NO_SOURCE

    def root(self, kind: LineKind) -> BudgetLine | None:
        return next((ln for ln in self.lines if ln.kind == kind), None)

    @property
    def divisions(self) -> tuple[BudgetLine, ...]:
        return tuple(ln for ln in self.lines if ln.kind == "division")

    def all_lines(self) -> list[BudgetLine]:
        return [x for ln in self.lines for x in ln.walk()]


class ChangeLine(Model):
    """A row of next year's budget table: 전년 예산, 당해 예산, 증감, 증감률."""

    kind: LineKind
    name: str
    code: str | None = None
    previous: int | None = None  # 전년 예산 ("-" = None)
    current: int | None = None  # 당해 예산
    change: int | None = None  # 증감 as printed ("-" = None)
    change_rate: Decimal | None = None  # 증감률 (%) as printed
    children: tuple[ChangeLine, ...] = ()
    src: Source = NO_SOURCE

    def walk(self) -> list[ChangeLine]:
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out


class ChangeTable(Model):
    """다음연도 예산 table (after any reorganisation)."""

    title: str
    year: int  # 당해 (e.g. 2019)
    previous_year: int  # 전년 (e.g. 2018)
    unit: Unit = "천원"
    headline: Headline | None = None  # "'19년 예산 세출예산 554억 38백만원"
    lines: tuple[ChangeLine, ...] = ()
    notes: tuple[str, ...] = ()
    src: Source = NO_SOURCE

    def root(self, kind: LineKind) -> ChangeLine | None:
        return next((ln for ln in self.lines if ln.kind == kind), None)

    @property
    def divisions(self) -> tuple[ChangeLine, ...]:
        return tuple(ln for ln in self.lines if ln.kind == "division")

    def all_lines(self) -> list[ChangeLine]:
        return [x for ln in self.lines for x in ln.walk()]


# ----------------------------------------------------------------------------- adjustments

AdjustmentKind = Literal["이용", "전용", "변경사용", "이체", "이월"]
CarryKind = Literal["명시이월", "사고이월", "계속비이월"]


class Adjustment(Model):
    """One 예산 변경 record: 이용·전용·변경사용·이체·다음연도 이월."""

    kind: AdjustmentKind
    carry_kind: CarryKind | None = None
    previous_year: bool = False  # 전년도 이월액 (carried *into* this year), not 다음연도 이월
    date: DateText | None = None  # 결정일 / 이체일
    from_division: str | None = None
    from_program: str | None = None
    to_division: str | None = None
    to_program: str | None = None
    from_item: str | None = None  # 편성목/통계목, e.g. 사무관리비
    to_item: str | None = None  # e.g. 시설비
    amount: int | None = None
    unit: Unit = "천원"
    reason: str | None = None
    approved_on: DateText | None = None  # 의회 승인 (이용, 명시이월)
    reported_on: DateText | None = None  # 상임위원회 보고 (전용)
    src: Source = NO_SOURCE


class AdjustmentSummary(Model):
    """The stated total per kind in section IV: '【예산 이체】 ..... 5건 1,281,089천원'."""

    kind: AdjustmentKind | Literal["집행잔액"]
    none: bool = False  # 해당사항 없음
    count: int | None = None
    amount: int | None = None
    unit: Unit = "천원"
    src: Source = NO_SOURCE


class UnusedItem(Model):
    text: str
    amount: int | None = None
    src: Source = NO_SOURCE


class UnusedReason(Model):
    """집행잔액 by reason (계획변경 등 집행사유 미발생, 낙찰차액 …)."""

    reason: str
    amount: int | None = None
    items: tuple[UnusedItem, ...] = ()
    src: Source = NO_SOURCE


class Reorganization(Model):
    """직제 개편: what moved from where to where, and when."""

    date: DateText | None = None
    kind: Literal["abolished", "created", "transfer", "other"] = "other"
    division: str | None = None  # the division abolished/created
    from_division: str | None = None
    to_division: str | None = None
    programs: tuple[str, ...] = ()
    description: str = ""
    src: Source = NO_SOURCE


# ----------------------------------------------------------------------------- revenue


class RevenueLine(Model):
    """세입결산 row: 예산액, 예산현액, 징수결정액, 수납액, 불납결손액, 미수납액."""

    kind: Literal["total", "category", "item"] = "item"
    name: str
    code: str | None = None
    budget: int | None = None
    budget_current: int | None = None
    levied: int | None = None  # 징수결정액
    received: int | None = None  # 수납액
    written_off: int | None = None  # 불납결손액
    uncollected: int | None = None  # 미수납액
    children: tuple[RevenueLine, ...] = ()
    src: Source = NO_SOURCE

    def walk(self) -> list[RevenueLine]:
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out


class RevenueItem(Model):
    """A collection narrative item: '▶ 서울사랑 광고수입 19,101천원'."""

    category: str | None = None  # the revenue line it belongs to
    name: str
    amount: int | None = None
    src: Source = NO_SOURCE


class RevenueSection(Model):
    title: str = "세입결산"
    unit: Unit = "천원"
    headline: Headline | None = None
    columns: tuple[str, ...] = ()
    lines: tuple[RevenueLine, ...] = ()  # roots
    items: tuple[RevenueItem, ...] = ()
    statements: tuple[Headline, ...] = ()  # other sentences that state figures
    notes: tuple[str, ...] = ()
    src: Source = NO_SOURCE

    def all_lines(self) -> list[RevenueLine]:
        return [x for ln in self.lines for x in ln.walk()]


class ExpenditureSection(Model):
    """Section IV 세출결산: summary sentence, 부서별 table, adjustments, 집행잔액."""

    headline: Headline | None = None
    table: BudgetTable | None = None
    summaries: tuple[AdjustmentSummary, ...] = ()
    adjustments: tuple[Adjustment, ...] = ()
    unused_headline: Headline | None = None  # "예산현액인 X천원의 2.4%인 Y천원"
    unused_reasons: tuple[UnusedReason, ...] = ()
    narrative: tuple[Headline, ...] = ()  # other prose lines under each 【】 heading


# ----------------------------------------------------------------------------- cards, audits


class Bullet(Model):
    type: Literal["bullet"] = "bullet"
    text: str
    level: int = 0
    src: Source = NO_SOURCE


class TableBlock(Model):
    type: Literal["table"] = "table"
    rows: tuple[tuple[str, ...], ...]
    src: Source = NO_SOURCE


def _block_kind(value: object) -> str:
    if isinstance(value, dict):
        return str(value.get("type") or ("table" if "rows" in value else "bullet"))
    return str(getattr(value, "type", "bullet"))


Block = Annotated[
    Annotated[Bullet, Tag("bullet")] | Annotated[TableBlock, Tag("table")], Discriminator(_block_kind)
]

SectionKind = Literal["overview", "achievements", "plans", "other"]


class CardSection(Model):
    heading: str  # 사업개요 / '18년 추진실적 / '19년 추진계획
    kind: SectionKind = "other"
    blocks: tuple[Block, ...] = ()
    src: Source = NO_SOURCE


class CardSettlement(Model):
    """The card's closing line: '18년 결산 : 예산현액 X백만원 중 Y백만원 집행(집행률 Z%)."""

    budget_current: int | None = None
    spent: int | None = None
    rate: Decimal | None = None
    unit: Unit = "백만원"
    note: str | None = None  # "※ 사고이월액 413백만원 포함"
    note_amount: int | None = None
    src: Source = NO_SOURCE


class CardGroup(Model):
    """A group of cards in section II ('1. 시민과 함께하는 참여와 공감시정 구현') and its list of titles."""

    number: int
    title: str
    card_titles: tuple[str, ...] = ()
    title_srcs: tuple[Source, ...] = ()  # where each of card_titles is printed (the ①② list), aligned
    src: Source = NO_SOURCE


class ProgramCard(Model):
    """주요사업 추진실적 card."""

    group: int
    index: int  # 1-based within the group (①, ②, …)
    title: str
    goal: str | None = None  # 목적 (the card's opening sentence)
    sections: tuple[CardSection, ...] = ()
    settlement: CardSettlement | None = None
    unit_programs: tuple[str, ...] = ()  # names of the 단위사업 rows it covers (resolved on import)
    src: Source = NO_SOURCE


class AuditRecommendation(Model):
    """결산검사 시정·권고사항 and the department's action."""

    number: int
    title: str
    content: tuple[str, ...] = ()
    action: tuple[str, ...] = ()
    status: str | None = None  # 추진완료 / 추진중
    status_date: DateText | None = None
    department: str | None = None  # 소관실국 (부서명)
    src: Source = NO_SOURCE


# ----------------------------------------------------------------------------- the document


class Meta(Model):
    title: str
    government: str | None = None  # 자치단체, e.g. 서울특별시
    office: str | None = None  # 실국
    fiscal_year: int
    report_date: DateText | None = None
    source_path: str | None = None
    src: Source = NO_SOURCE


class Settlement(Model):
    """One office's 결산 for one fiscal year: the canonical document (format ``gyeolsan/1``)."""

    format: Literal["gyeolsan/1"] = FORMAT
    meta: Meta
    organization: Organization | None = None
    staffing: StaffingTable | None = None
    settlement: BudgetTable | None = None  # I. '18년 결산
    next_year: ChangeTable | None = None  # I. '19년 예산
    card_groups: tuple[CardGroup, ...] = ()
    cards: tuple[ProgramCard, ...] = ()
    audits: tuple[AuditRecommendation, ...] = ()
    audit_title: str | None = None
    revenue: RevenueSection | None = None
    expenditure: ExpenditureSection | None = None
    reorganizations: tuple[Reorganization, ...] = ()

    @property
    def adjustments(self) -> tuple[Adjustment, ...]:
        return self.expenditure.adjustments if self.expenditure else ()
