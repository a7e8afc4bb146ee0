"""What the workspace stores: settlements, their divisions and rows, workflow, notes, users' roles.

The rows mirror the core model (``gyeolsan.model.settlement``) field by field; ``gyeolsan.web.convert``
is the only place that translates between the two. Money is ``BigIntegerField`` in the table's unit;
printed rates are kept as text (``"96.7"``) so that what was printed survives exactly.
Every editable row has a ``version`` for optimistic locking and a history (django-simple-history).
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

# ----------------------------------------------------------------------------- organisation, roles


class Office(models.Model):
    """실국 of a 자치단체 — the unit whose settlement is reported, one per fiscal year."""

    government = models.CharField("자치단체", max_length=100, blank=True, default="")
    name = models.CharField("실국", max_length=100)

    class Meta:
        verbose_name = verbose_name_plural = "실국"
        constraints = [models.UniqueConstraint(fields=["government", "name"], name="office_unique")]
        ordering = ["government", "name"]

    def __str__(self) -> str:
        return f"{self.government} {self.name}".strip()


class Role(models.TextChoices):
    WRITER = "writer", "부서 작성자"
    APPROVER = "approver", "부서 승인자"
    COORDINATOR = "coordinator", "실국 총괄"
    VIEWER = "viewer", "열람자"
    ADMIN = "admin", "관리자"


def division_key(name: str | None) -> str:
    """Division names are compared without spaces ("뉴미디어 담당관" = "뉴미디어담당관")."""
    return re.sub(r"\s+", "", name or "")


class Membership(models.Model):
    """A user's role in an office (writers and approvers: for one division, by name).

    ``office`` empty = every office (council staff, examiners, administrators).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    office = models.ForeignKey(Office, null=True, blank=True, on_delete=models.CASCADE, verbose_name="실국")
    role = models.CharField("역할", max_length=20, choices=Role.choices)
    division_name = models.CharField("부서", max_length=100, blank=True, default="")

    class Meta:
        verbose_name = verbose_name_plural = "역할"

    def __str__(self) -> str:
        where = self.office or "전체"
        return f"{self.user} — {self.get_role_display()} ({where}{' ' + self.division_name if self.division_name else ''})"

    @property
    def division(self) -> str:
        return division_key(self.division_name)


class ApiToken(models.Model):
    """One API token per user (``Authorization: Bearer …``); only its SHA-256 is stored."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_token")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "API 토큰"


class LoginAttempt(models.Model):
    """Failed logins, for the rate limit (per user name and IP)."""

    username = models.CharField(max_length=150)
    ip = models.CharField(max_length=64)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["username", "ip", "at"])]


# ----------------------------------------------------------------------------- settlement


class State(models.TextChoices):
    DRAFT = "draft", "작성중"
    SUBMITTED = "submitted", "제출"
    APPROVED = "approved", "승인"
    FINAL = "final", "확정"


class Settlement(models.Model):
    """One office's 결산 for one fiscal year. ``document`` holds the parts not stored as rows."""

    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="settlements", verbose_name="실국"
    )
    fiscal_year = models.PositiveSmallIntegerField("회계연도")
    title = models.CharField("제목", max_length=300)
    document = models.JSONField(default=dict, blank=True)
    locked = models.BooleanField("확정(잠금)", default=False)
    locked_at = models.DateTimeField(null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    # cache: bumped on every data change; findings are recomputed when they are older
    revision = models.PositiveIntegerField(default=1)
    findings = models.JSONField(null=True, blank=True)
    findings_revision = models.PositiveIntegerField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["findings", "findings_revision", "revision"])

    class Meta:
        verbose_name = verbose_name_plural = "결산"
        constraints = [models.UniqueConstraint(fields=["office", "fiscal_year"], name="settlement_unique")]
        ordering = ["office__name", "-fiscal_year"]

    def __str__(self) -> str:
        return f"{self.office.name} {self.fiscal_year}년 결산"

    @property
    def source_path(self) -> str:
        return str(self.document.get("meta", {}).get("source_path") or f"web:{self.pk}")


class Division(models.Model):
    """A division (부서/담당관) of the settlement table: the unit of the workflow."""

    settlement = models.ForeignKey(Settlement, on_delete=models.CASCADE, related_name="divisions")
    name = models.CharField("부서", max_length=100)
    key = models.CharField(max_length=100)
    position = models.PositiveIntegerField(default=0)
    state = models.CharField("상태", max_length=12, choices=State.choices, default=State.DRAFT)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "부서"
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["settlement", "key"], name="division_unique")]

    def __str__(self) -> str:
        return self.name


class WorkflowEvent(models.Model):
    """Every workflow step (submit, approve, return, lock, reopen), with its reason."""

    settlement = models.ForeignKey(Settlement, on_delete=models.CASCADE, related_name="events")
    division = models.ForeignKey(
        Division, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(max_length=20)
    from_state = models.CharField(max_length=12, blank=True, default="")
    to_state = models.CharField(max_length=12, blank=True, default="")
    reason = models.TextField(blank=True, default="")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]


class Deadline(models.Model):
    """A date on the settlement calendar (shown on the dashboard)."""

    settlement = models.ForeignKey(Settlement, on_delete=models.CASCADE, related_name="deadlines")
    title = models.CharField("일정", max_length=200)
    due = models.DateField("기한")
    note = models.CharField("근거·비고", max_length=300, blank=True, default="")
    done = models.BooleanField("완료", default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due", "pk"]


# ----------------------------------------------------------------------------- rows

MONEY = models.BigIntegerField
MONEY_LIMIT = 10**15  # any amount of a settlement fits comfortably (천원 or 원)


class Row(models.Model):
    """What every stored row of a settlement has: order, owning division, source, version."""

    settlement = models.ForeignKey(Settlement, on_delete=models.CASCADE, related_name="%(class)ss")
    division = models.ForeignKey(
        Division,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="%(class)ss",
        verbose_name="부서",
    )
    position = models.PositiveIntegerField(default=0)
    src = models.JSONField(default=dict, blank=True)
    extra = models.JSONField(default=dict, blank=True)  # core fields without a column of their own
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
        ordering = ["position"]


def parse_rate_text(text: str) -> Decimal | None:
    return Decimal(text) if text else None


class BudgetLine(Row):
    """A row of the settlement table (I) or of the section IV 부서별 table."""

    PLACES = (("settlement", "I. 결산표"), ("expenditure", "IV. 부서별 세출결산"))
    place = models.CharField(max_length=12, choices=PLACES, default="settlement")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    kind = models.CharField(max_length=12)
    name = models.CharField("명칭", max_length=300)
    code = models.CharField("코드", max_length=40, null=True, blank=True)
    budget = MONEY("예산액", null=True, blank=True)
    budget_current = MONEY("예산현액", null=True, blank=True)
    spent = MONEY("집행액", null=True, blank=True)
    carried_over = MONEY("다음연도 이월액", null=True, blank=True)
    carried_explicit = MONEY("명시이월", null=True, blank=True)
    carried_accident = MONEY("사고이월", null=True, blank=True)
    carried_continuing = MONEY("계속비이월", null=True, blank=True)
    subsidy_returned = MONEY("보조금 반납", null=True, blank=True)
    unused = MONEY("집행잔액", null=True, blank=True)
    rate = models.CharField("집행률", max_length=24, blank=True, default="")
    abolished = models.BooleanField("폐지", default=False)

    class Meta(Row.Meta):
        verbose_name = verbose_name_plural = "세출 결산 행"

    def __str__(self) -> str:
        return self.name


class ChangeLine(Row):
    """A row of next year's budget table (전년, 당해, 증감, 증감률)."""

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    kind = models.CharField(max_length=12)
    name = models.CharField("명칭", max_length=300)
    code = models.CharField("코드", max_length=40, null=True, blank=True)
    previous = MONEY("전년 예산", null=True, blank=True)
    current = MONEY("당해 예산", null=True, blank=True)
    change = MONEY("증감", null=True, blank=True)
    change_rate = models.CharField("증감률", max_length=24, blank=True, default="")

    class Meta(Row.Meta):
        verbose_name = verbose_name_plural = "다음연도 예산 행"

    def __str__(self) -> str:
        return self.name


class RevenueLine(Row):
    """A row of the revenue table (세입결산)."""

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    kind = models.CharField(max_length=12, default="item")
    name = models.CharField("명칭", max_length=300)
    code = models.CharField("코드", max_length=40, null=True, blank=True)
    budget = MONEY("예산액", null=True, blank=True)
    budget_current = MONEY("예산현액", null=True, blank=True)
    levied = MONEY("징수결정액", null=True, blank=True)
    received = MONEY("수납액", null=True, blank=True)
    written_off = MONEY("불납결손액", null=True, blank=True)
    uncollected = MONEY("미수납액", null=True, blank=True)

    class Meta(Row.Meta):
        verbose_name = verbose_name_plural = "세입 결산 행"

    def __str__(self) -> str:
        return self.name


class StaffingRow(Row):
    """A row of the staffing table (정원/현원 by 직렬)."""

    name = models.CharField("구분", max_length=200)
    is_total = models.BooleanField(default=False)
    quota = models.IntegerField("정원", null=True, blank=True)
    current = models.IntegerField("현원", null=True, blank=True)
    by_series = models.JSONField(default=list, blank=True)  # [{"quota": 33, "current": 31}, …]

    class Meta(Row.Meta):
        verbose_name = verbose_name_plural = "인력 현황 행"

    def __str__(self) -> str:
        return self.name


class Adjustment(Row):
    """One 예산 변경 record (이용·전용·변경사용·이체·다음연도 이월)."""

    KINDS = [(k, k) for k in ("이용", "전용", "변경사용", "이체", "이월")]
    CARRY_KINDS = [(k, k) for k in ("명시이월", "사고이월", "계속비이월")]
    kind = models.CharField("구분", max_length=8, choices=KINDS)
    carry_kind = models.CharField("이월 구분", max_length=8, choices=CARRY_KINDS, null=True, blank=True)
    date = models.JSONField("결정일", null=True, blank=True)  # DateText
    from_division = models.CharField("부서(전)", max_length=200, null=True, blank=True)
    from_program = models.CharField("사업(전)", max_length=300, null=True, blank=True)
    to_division = models.CharField("부서(후)", max_length=200, null=True, blank=True)
    to_program = models.CharField("사업(후)", max_length=300, null=True, blank=True)
    from_item = models.CharField("과목(전)", max_length=200, null=True, blank=True)
    to_item = models.CharField("과목(후)", max_length=200, null=True, blank=True)
    amount = MONEY("금액", null=True, blank=True)
    unit = models.CharField("단위", max_length=8, default="천원")
    reason = models.TextField("사유", null=True, blank=True)
    approved_on = models.JSONField("의회 승인일", null=True, blank=True)
    reported_on = models.JSONField("상임위 보고일", null=True, blank=True)

    class Meta(Row.Meta):
        verbose_name = verbose_name_plural = "예산 변경"

    def __str__(self) -> str:
        return f"{self.kind} {self.from_program or ''} → {self.to_program or ''}".strip()


class ProgramCard(Row):
    """주요사업 추진실적 card; ``sections`` keeps the card's blocks as in the canonical format."""

    group = models.PositiveIntegerField("분야 번호")
    index = models.PositiveIntegerField("순번")
    title = models.CharField("사업명", max_length=300)
    goal = models.TextField("목적", null=True, blank=True)
    sections = models.JSONField(default=list, blank=True)
    unit_programs = models.JSONField(default=list, blank=True)
    has_settlement = models.BooleanField(default=False)
    card_budget_current = MONEY("예산현액(카드)", null=True, blank=True)
    card_spent = MONEY("집행액(카드)", null=True, blank=True)
    card_rate = models.CharField("집행률(카드)", max_length=24, blank=True, default="")
    card_unit = models.CharField(max_length=8, default="백만원")
    card_note = models.TextField("비고(카드)", null=True, blank=True)
    card_note_amount = MONEY(null=True, blank=True)
    card_src = models.JSONField(default=dict, blank=True)

    class Meta(Row.Meta):
        verbose_name = verbose_name_plural = "사업 카드"

    def __str__(self) -> str:
        return self.title


class AuditRecommendation(Row):
    """결산검사 시정·권고사항 and the printed action."""

    number = models.PositiveIntegerField("번호")
    title = models.CharField("제목", max_length=300)
    content = models.JSONField(default=list, blank=True)
    action = models.JSONField(default=list, blank=True)
    status = models.CharField("추진상황", max_length=40, null=True, blank=True)
    status_date = models.JSONField(null=True, blank=True)
    department = models.CharField("소관", max_length=200, null=True, blank=True)

    class Meta(Row.Meta):
        verbose_name = verbose_name_plural = "시정·권고사항"

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class AuditAction(models.Model):
    """What was done about a recommendation (web only: not part of the printed report)."""

    recommendation = models.ForeignKey(AuditRecommendation, on_delete=models.CASCADE, related_name="actions")
    taken_on = models.DateField("조치일")
    text = models.TextField("조치 내용")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["taken_on", "pk"]


class Evidence(models.Model):
    """A file that proves an action (공문, 회의록 …), stored in the data folder, served after a permission check."""

    recommendation = models.ForeignKey(AuditRecommendation, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="evidence/%Y/")
    filename = models.CharField("파일명", max_length=200)
    size = models.PositiveIntegerField(default=0)
    description = models.CharField("설명", max_length=300, blank=True, default="")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "pk"]


# ----------------------------------------------------------------------------- findings notes, imports, documents


class FindingNote(models.Model):
    """A comment on a finding, or the written explanation of a warning (kept with the settlement)."""

    COMMENT, EXPLANATION = "comment", "explanation"
    KINDS = ((COMMENT, "의견"), (EXPLANATION, "소명"))
    settlement = models.ForeignKey(Settlement, on_delete=models.CASCADE, related_name="notes")
    finding_key = models.CharField(max_length=64, db_index=True)
    rule = models.CharField(max_length=16)
    message = models.TextField(blank=True, default="")  # the finding's message when the note was written
    kind = models.CharField(max_length=12, choices=KINDS, default=COMMENT)
    text = models.TextField("내용")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]


class ImportBatch(models.Model):
    """An uploaded file waiting for confirmation: what it contains and what it would change."""

    PENDING, APPLIED, CANCELLED = "pending", "applied", "cancelled"
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=200)
    canonical = models.TextField()  # the imported settlement, gyeolsan/1 JSON
    findings = models.JSONField(default=list)  # import findings (IMP…)
    office = models.ForeignKey(Office, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    fiscal_year = models.PositiveSmallIntegerField(null=True)
    status = models.CharField(max_length=12, default=PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    settlement = models.ForeignKey(
        Settlement, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]


class GeneratedDocument(models.Model):
    """A report written by ``gyeolsan.report`` from the stored data (generated by the 총괄)."""

    settlement = models.ForeignKey(Settlement, on_delete=models.CASCADE, related_name="documents")
    format = models.CharField(max_length=8)
    file = models.FileField(upload_to="documents/%Y/")
    size = models.PositiveIntegerField(default=0)
    revision = models.PositiveIntegerField()
    locked = models.BooleanField(default=False)  # generated from the locked (확정) settlement
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
