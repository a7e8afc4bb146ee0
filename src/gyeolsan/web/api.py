"""REST API (django-ninja): every stored object readable, writable by permission; findings, documents.

Authentication: the browser session (with CSRF), or ``Authorization: Bearer <token>`` for scripts
(one token per user, created on the "API 토큰" page; only its hash is stored). OpenAPI at
``/api/openapi.json``, Swagger UI at ``/api/docs`` (served offline). Permissions, parsing and
optimistic locking are those of the screens (``permissions``, ``editing``, ``workflow``).
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from ninja import File, NinjaAPI, Router, Schema, Status
from ninja.errors import ValidationError as NinjaValidationError
from ninja.files import UploadedFile
from ninja.security import APIKeyCookie, HttpBearer
from pydantic import Field, field_validator

from gyeolsan.io.canonical import dumps
from gyeolsan.web import convert, documents, editing, history, permissions, workflow
from gyeolsan.web.editing import update_row
from gyeolsan.web.permissions import Action
from gyeolsan.web.validation import findings_of
from gyeolsan.web.workspace.models import (
    Adjustment,
    ApiToken,
    AuditRecommendation,
    BudgetLine,
    ChangeLine,
    Division,
    GeneratedDocument,
    ProgramCard,
    RevenueLine,
    Row,
    Settlement,
    StaffingRow,
)

# ----------------------------------------------------------------------------- authentication


def token_user(key: str) -> Any | None:
    digest = hashlib.sha256(key.encode()).hexdigest()
    token = ApiToken.objects.select_related("user").filter(key_hash=digest).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>``."""

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = token_user(token)
        if user is not None:
            request.user = user
        return user


class Session(APIKeyCookie):
    """The logged-in browser session (CSRF checked for unsafe methods)."""

    param_name = "sessionid"

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any | None:
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated else None


def _docs_login(view):  # type: ignore[no-untyped-def]
    """The schema and the docs need a session or a token too (login required everywhere)."""

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        header = request.headers.get("Authorization", "")
        ok = request.user.is_authenticated
        if not ok and header.lower().startswith("bearer "):
            user = token_user(header[7:].strip())
            ok = user is not None
        if not ok:
            if request.path.endswith("openapi.json"):
                return JsonResponse({"detail": "Unauthorized"}, status=401)
            return redirect(f"/login/?next={request.path}")
        return view(request, *args, **kwargs)

    return wrapped


api = NinjaAPI(
    title="gyeolsan 결산 작업공간 API",
    version="1",
    description="결산 데이터·지적사항·결재·문서. 인증: 세션 또는 `Authorization: Bearer <토큰>`.",
    auth=[BearerToken(), Session()],
    urls_namespace="api",
    docs_decorator=_docs_login,
)


class Error(Schema):
    detail: str
    detail_en: str | None = None


class ConflictOut(Schema):
    detail: str
    detail_en: str
    version: int
    fields: list[dict[str, str]]


def _error(status: int, detail: str, detail_en: str | None = None) -> HttpResponse:
    return JsonResponse({"detail": detail, "detail_en": detail_en}, status=status)


@api.exception_handler(PermissionDenied)
def _denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(403, str(exc) or "권한이 없습니다.", "Forbidden")


@api.exception_handler(Http404)
def _missing(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(404, "찾을 수 없습니다.", "Not found")


@api.exception_handler(workflow.WorkflowError)
def _workflow(request: HttpRequest, exc: workflow.WorkflowError) -> HttpResponse:
    return JsonResponse(
        {
            "detail": exc.message,
            "detail_en": exc.message_en,
            "findings": [a.finding.to_json() | {"key": a.key} for a in exc.findings],
        },
        status=409,
    )


@api.exception_handler(NinjaValidationError)
def _invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return JsonResponse(
        {"detail": "요청 형식이 올바르지 않습니다.", "detail_en": "Invalid request", "errors": exc.errors},
        status=422,
    )


ERRORS: dict[int, Any] = {401: Error, 403: Error, 404: Error, 422: Error}

# ----------------------------------------------------------------------------- helpers


def _settlement(request: HttpRequest, pk: int, action: Action = Action.VIEW) -> Settlement:
    record = Settlement.objects.select_related("office").filter(pk=pk).first()
    if record is None or not permissions.can(request.user, Action.VIEW, record):
        raise Http404
    if action is not Action.VIEW:
        permissions.check(request.user, action, record)
    return record


def _row(request: HttpRequest, model: type[Row], pk: int) -> Row:
    obj = model.objects.select_related("settlement", "settlement__office", "division").filter(pk=pk).first()
    if obj is None or not permissions.can(request.user, Action.VIEW, obj.settlement):
        raise Http404
    return obj


# ----------------------------------------------------------------------------- schemas

MONEY = Field(default=None, ge=-(10**15), le=10**15)


class Me(Schema):
    username: str
    name: str
    offices: list[dict[str, Any]]


class DivisionOut(Schema):
    id: int
    name: str
    state: str
    state_label: str
    version: int
    errors: int = 0
    warnings: int = 0


class SettlementOut(Schema):
    id: int
    government: str
    office: str
    fiscal_year: int
    title: str
    locked: bool
    revision: int
    version: int
    divisions: list[DivisionOut]
    findings: dict[str, int]


def _settlement_out(record: Settlement, with_findings: bool = True) -> dict[str, Any]:
    found = findings_of(record) if with_findings else None
    return {
        "id": record.pk,
        "government": record.office.government,
        "office": record.office.name,
        "fiscal_year": record.fiscal_year,
        "title": record.title,
        "locked": record.locked,
        "revision": record.revision,
        "version": record.version,
        "divisions": [
            {
                "id": d.pk,
                "name": d.name,
                "state": d.state,
                "state_label": d.get_state_display(),
                "version": d.version,
                **(
                    {"errors": found.counts(d.pk)["error"], "warnings": found.counts(d.pk)["warning"]}
                    if found
                    else {}
                ),
            }
            for d in record.divisions.all()
        ],
        "findings": found.counts() if found else {},
    }


class RowOut(Schema):
    """Any stored row: its id, settlement, division, version and stored fields."""

    id: int
    type: str
    settlement: int
    division: int | None
    division_name: str | None
    version: int
    parent: int | None = None
    values: dict[str, Any]
    editable: bool


def _row_out(request: HttpRequest, obj: Row) -> dict[str, Any]:
    return {
        "id": obj.pk,
        "type": obj._meta.model_name,
        "settlement": obj.settlement_id,  # type: ignore[attr-defined]
        "division": obj.division_id,  # type: ignore[attr-defined]
        "division_name": obj.division.name if obj.division_id else None,  # type: ignore[attr-defined]
        "version": obj.version,
        "parent": getattr(obj, "parent_id", None),
        "values": convert.row_values(obj),
        "editable": permissions.can(request.user, Action.EDIT, obj),
    }


Scalar = int | str | None


class RowPatch(Schema):
    """Fields to change (as an officer would type them: "1,234", "△12", "96.7", "-") and the version read."""

    version: int = Field(ge=1, le=2**31)
    values: dict[str, Scalar | list[str]]

    @field_validator("values")
    @classmethod
    def _clean(cls, values: dict[str, Any]) -> dict[str, Any]:
        for v in values.values():
            if isinstance(v, int) and abs(v) >= 10**15:
                raise ValueError("value out of range")
            if isinstance(v, str) and "\x00" in v:
                raise ValueError("NUL character")
            if isinstance(v, list) and any("\x00" in x for x in v):
                raise ValueError("NUL character")
        return values


class StepIn(Schema):
    reason: str = Field(default="", max_length=5000)
    explanations: dict[str, str] = Field(default_factory=dict)


class NoteIn(Schema):
    kind: Literal["comment", "explanation"] = "comment"
    text: str = Field(min_length=1, max_length=5000)


class NoteOut(Schema):
    id: int
    finding_key: str
    kind: str
    text: str


class DocumentIn(Schema):
    format: Literal["pdf", "hwpx", "docx", "xlsx", "html", "md"]


class DocumentOut(Schema):
    id: int
    format: str
    size: int
    revision: int
    locked: bool
    created_at: str
    download: str


def _doc_out(doc: GeneratedDocument) -> dict[str, Any]:
    return {
        "id": doc.pk,
        "format": doc.format,
        "size": doc.size,
        "revision": doc.revision,
        "locked": doc.locked,
        "created_at": doc.created_at.isoformat(),
        "download": f"/api/documents/{doc.pk}/download",
    }


class HistoryOut(Schema):
    when: str
    user: str
    type: str
    object_id: int
    label: str
    kind: str
    reason: str
    changes: list[list[str]]


class ImportOut(Schema):
    applied: bool
    settlement: int | None
    office: str
    fiscal_year: int
    counts: dict[str, int]
    changes: list[dict[str, Any]]
    import_findings: list[dict[str, Any]]
    findings: dict[str, Any]


# ----------------------------------------------------------------------------- settlements


@api.get("/me", response={200: Me, **ERRORS}, summary="현재 사용자와 역할")
def me(request: HttpRequest) -> dict[str, Any]:
    offices = []
    for s in permissions.visible_settlements(request.user):
        offices.append(
            {
                "settlement": s.pk,
                "office": s.office.name,
                "fiscal_year": s.fiscal_year,
                "roles": permissions.roles(request.user, s.office_id).labels(),
            }
        )
    return {"username": request.user.get_username(), "name": request.user.get_full_name(), "offices": offices}


@api.get("/settlements", response={200: list[SettlementOut], **ERRORS}, summary="볼 수 있는 결산 목록")
def settlements(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        _settlement_out(s, with_findings=False)
        for s in permissions.visible_settlements(request.user).prefetch_related("divisions")
    ]


@api.get(
    "/settlements/{pk}", response={200: SettlementOut, **ERRORS}, summary="결산 (부서·결재 상태·지적사항 수)"
)
def settlement(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _settlement_out(_settlement(request, pk))


@api.get(
    "/settlements/{pk}/canonical", response={200: dict[str, Any], **ERRORS}, summary="표준 JSON (gyeolsan/1)"
)
def canonical(request: HttpRequest, pk: int) -> HttpResponse:
    record = _settlement(request, pk, Action.DOWNLOAD)
    return HttpResponse(dumps(convert.to_model(record)), content_type="application/json; charset=utf-8")


@api.get(
    "/settlements/{pk}/findings",
    response={200: dict[str, Any], **ERRORS},
    summary="지적사항 (gyeolsan check --format json 과 같은 형식)",
)
def findings(
    request: HttpRequest,
    pk: int,
    severity: Literal["error", "warning", "info"] | None = None,
    division: int | None = None,
) -> dict[str, Any]:
    record = _settlement(request, pk, Action.DOWNLOAD)
    found = findings_of(record)
    items = found.items
    if severity:
        items = [a for a in items if a.severity.value == severity]
    if division is not None:
        items = [a for a in items if a.division_id == division]
    ordered = sorted(items, key=lambda a: a.finding.sort_key())  # the order of FindingsReport.build
    report = found.report(ordered).model_dump(mode="json")
    report["keys"] = [{"key": a.key, "division": a.division_id, "target": a.target} for a in ordered]
    return report


@api.post(
    "/settlements/{pk}/findings/{key}/notes",
    response={201: NoteOut, 409: Error, **ERRORS},
    summary="지적사항에 의견 또는 소명 달기",
)
def add_note(request: HttpRequest, pk: int, key: str, payload: NoteIn) -> Any:
    record = _settlement(request, pk)
    if payload.kind == "explanation":
        note = workflow.explain(record, key, payload.text, request.user)
    else:
        note = workflow.comment(record, key, payload.text, request.user)
    return Status(201, {"id": note.pk, "finding_key": note.finding_key, "kind": note.kind, "text": note.text})


@api.get("/settlements/{pk}/history", response={200: list[HistoryOut], **ERRORS}, summary="변경 이력")
def settlement_history(request: HttpRequest, pk: int, limit: int = 100) -> list[dict[str, Any]]:
    record = _settlement(request, pk)
    limit = max(1, min(limit, 1000))
    return [
        {
            "when": e.when.isoformat(),
            "user": e.user,
            "type": e.model_name,
            "object_id": e.object_id,
            "label": e.label,
            "kind": e.kind,
            "reason": e.reason,
            "changes": [list(c) for c in e.changes],
        }
        for e in history.settlement_history(record, limit=limit)
    ]


# ----------------------------------------------------------------------------- rows (generic)


class AdjustmentIn(Schema):
    values: dict[str, Scalar]

    @field_validator("values")
    @classmethod
    def _clean(cls, values: dict[str, Any]) -> dict[str, Any]:
        return RowPatch._clean(values)  # type: ignore[operator]


def create_adjustment(request: HttpRequest, pk: int, payload: AdjustmentIn) -> Any:
    result = editing.create_adjustment(
        _settlement(request, pk), payload.values, request.user, "API: 예산 변경 추가"
    )
    if result.errors:
        return Status(422, {"detail": "; ".join(result.errors.values()), "detail_en": "Invalid value"})
    if result.denied:
        return Status(403, {"detail": result.denied, "detail_en": "Forbidden"})
    return Status(201, _row_out(request, result.obj))  # type: ignore[arg-type]


def delete_adjustment(request: HttpRequest, pk: int) -> Any:
    why = editing.delete_row(_row(request, Adjustment, pk), request.user, "API: 예산 변경 삭제")
    if why is not None:
        return Status(403, {"detail": why, "detail_en": "Forbidden"})
    return Status(204, None)


RESOURCES: dict[str, type[Row]] = {
    "lines": BudgetLine,
    "change-lines": ChangeLine,
    "revenue-lines": RevenueLine,
    "staffing": StaffingRow,
    "adjustments": Adjustment,
    "cards": ProgramCard,
    "audits": AuditRecommendation,
}


def _register(resource: str, model: type[Row]) -> None:
    label = str(model._meta.verbose_name)
    router = Router(tags=[label])

    @router.get(
        f"/settlements/{{pk}}/{resource}", response={200: list[RowOut], **ERRORS}, summary=f"{label} 목록"
    )
    def list_rows(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
        record = _settlement(request, pk)
        objs = (
            model.objects.filter(settlement=record)
            .select_related("settlement", "division")
            .order_by("position")
        )
        return [_row_out(request, o) for o in objs]

    @router.get(f"/{resource}/{{pk}}", response={200: RowOut, **ERRORS}, summary=f"{label} 하나")
    def get_row(request: HttpRequest, pk: int) -> dict[str, Any]:
        return _row_out(request, _row(request, model, pk))

    @router.patch(
        f"/{resource}/{{pk}}",
        response={200: RowOut, 409: ConflictOut, **ERRORS},
        summary=f"{label} 고치기 (version 으로 동시 수정 충돌 검사)",
    )
    def patch_row(request: HttpRequest, pk: int, payload: RowPatch) -> Any:
        obj = _row(request, model, pk)
        result = update_row(model, obj.pk, payload.values, payload.version, request.user, "API 편집")
        if result.denied:
            return Status(403, {"detail": result.denied, "detail_en": "Forbidden"})
        if result.errors:
            return Status(422, {"detail": "; ".join(result.errors.values()), "detail_en": "Invalid value"})
        if result.conflict:
            c = result.conflict
            return Status(
                409,
                {"detail": c.message, "detail_en": c.message_en, "version": c.version, "fields": c.fields},
            )
        return Status(200, _row_out(request, result.obj))  # type: ignore[arg-type]

    if model is Adjustment:  # the ledger: records can be added and removed
        router.post(
            f"/settlements/{{pk}}/{resource}", response={201: RowOut, **ERRORS}, summary="예산 변경 추가"
        )(create_adjustment)
        router.delete(f"/{resource}/{{pk}}", response={204: None, **ERRORS}, summary="예산 변경 삭제")(
            delete_adjustment
        )

    list_rows.__name__ = f"list_{model._meta.model_name}"
    get_row.__name__ = f"get_{model._meta.model_name}"
    patch_row.__name__ = f"patch_{model._meta.model_name}"
    api.add_router("", router)


for _resource, _model in RESOURCES.items():
    _register(_resource, _model)


# ----------------------------------------------------------------------------- workflow


def _division(request: HttpRequest, pk: int) -> Division:
    division = Division.objects.select_related("settlement", "settlement__office").filter(pk=pk).first()
    if division is None or not permissions.can(request.user, Action.VIEW, division.settlement):
        raise Http404
    return division


def _division_out(division: Division) -> dict[str, Any]:
    return {
        "id": division.pk,
        "name": division.name,
        "state": division.state,
        "state_label": division.get_state_display(),
        "version": division.version,
    }


@api.post(
    "/divisions/{pk}/submit",
    response={200: DivisionOut, 409: dict[str, Any], **ERRORS},
    tags=["결재"],
    summary="제출",
)
def submit(request: HttpRequest, pk: int, payload: StepIn) -> dict[str, Any]:
    return _division_out(workflow.submit(_division(request, pk), request.user, payload.explanations))


@api.post(
    "/divisions/{pk}/approve",
    response={200: DivisionOut, 409: dict[str, Any], **ERRORS},
    tags=["결재"],
    summary="승인",
)
def approve(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _division_out(workflow.approve(_division(request, pk), request.user))


@api.post(
    "/divisions/{pk}/return",
    response={200: DivisionOut, 409: dict[str, Any], **ERRORS},
    tags=["결재"],
    summary="반려",
)
def return_division(request: HttpRequest, pk: int, payload: StepIn) -> dict[str, Any]:
    return _division_out(workflow.return_(_division(request, pk), request.user, payload.reason))


@api.post(
    "/settlements/{pk}/lock",
    response={200: SettlementOut, 409: dict[str, Any], **ERRORS},
    tags=["결재"],
    summary="확정(잠금)",
)
def lock(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _settlement_out(workflow.lock(_settlement(request, pk), request.user))


@api.post(
    "/settlements/{pk}/reopen",
    response={200: SettlementOut, 409: dict[str, Any], **ERRORS},
    tags=["결재"],
    summary="확정 해제 (사유 필수)",
)
def reopen(request: HttpRequest, pk: int, payload: StepIn) -> dict[str, Any]:
    return _settlement_out(workflow.reopen(_settlement(request, pk), request.user, payload.reason))


# ----------------------------------------------------------------------------- documents


@api.get(
    "/settlements/{pk}/documents",
    response={200: list[DocumentOut], **ERRORS},
    tags=["문서"],
    summary="생성된 문서 목록",
)
def document_list(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    record = _settlement(request, pk, Action.DOWNLOAD)
    return [_doc_out(d) for d in GeneratedDocument.objects.filter(settlement=record)[:100]]


@api.post(
    "/settlements/{pk}/documents",
    response={201: DocumentOut, 503: Error, **ERRORS},
    tags=["문서"],
    summary="문서 생성 (총괄)",
)
def document_generate(request: HttpRequest, pk: int, payload: DocumentIn) -> Any:
    record = _settlement(request, pk, Action.GENERATE)
    try:
        doc = documents.generate(record, payload.format, request.user)
    except documents.DocumentError as exc:
        return Status(503, {"detail": exc.message, "detail_en": exc.message_en})
    return Status(201, _doc_out(doc))


@api.get("/documents/{pk}/download", response={200: None, **ERRORS}, tags=["문서"], summary="문서 내려받기")
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    doc = GeneratedDocument.objects.select_related("settlement", "settlement__office").filter(pk=pk).first()
    if doc is None or not permissions.can(request.user, Action.DOWNLOAD, doc.settlement):
        raise Http404
    return FileResponse(doc.file.open("rb"), as_attachment=True, filename=documents.filename(doc))


# ----------------------------------------------------------------------------- import


@api.post(
    "/imports",
    response={200: ImportOut, 201: ImportOut, **ERRORS},
    tags=["가져오기"],
    summary="가져오기 (미리보기, confirm=true 면 반영)",
)
def import_file(request: HttpRequest, file: File[UploadedFile], confirm: bool = False) -> Any:  # noqa: B008
    from gyeolsan import rules
    from gyeolsan.io import InputError
    from gyeolsan.web.security import IMPORT_SUFFIXES, UploadError, read_upload
    from gyeolsan.web.views.imports import parse_upload

    try:
        suffix, data = read_upload(file, IMPORT_SUFFIXES)
        model, found = parse_upload(file.name or "", suffix, data)
    except UploadError as exc:
        return Status(422, {"detail": exc.message, "detail_en": exc.message_en})
    except InputError as exc:
        return Status(
            422,
            {
                "detail": "; ".join(f.message for f in exc.findings),
                "detail_en": "; ".join(f.message_en for f in exc.findings),
            },
        )
    p = convert.plan(model)  # type: ignore[arg-type]
    government, office = p.office
    if p.record is not None:
        permissions.check(request.user, Action.IMPORT, p.record)
    elif not permissions.can_import_new(request.user, government, office):
        raise PermissionDenied(f"{office}의 결산을 만들 권한이 없습니다.")
    result = rules.run(model, None, file.name or "")
    record = p.record
    if confirm:
        record = convert.apply(p, reason=f"API 가져오기: {file.name}", user=request.user)
    out = {
        "applied": confirm,
        "settlement": record.pk if record else None,
        "office": office,
        "fiscal_year": p.fiscal_year,
        "counts": p.counts,
        "changes": [
            {
                "type": ch.model._meta.model_name,
                "name": ch.name,
                "action": ch.action,
                "fields": [[f, str(b), str(a)] for f, b, a in ch.fields],
            }
            for ch in p.changes[:500]
        ],
        "import_findings": [f.to_json() for f in found],
        "findings": {
            "summary": {
                s: sum(1 for f in result.findings if f.severity.value == s)
                for s in ("error", "warning", "info")
            },
            "rules_run": result.rules_run,
        },
    }
    return Status(201 if confirm else 200, out)
