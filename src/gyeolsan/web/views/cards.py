"""사업 카드: list, editor (references to the data, closing line computed from the table) and live preview."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from gyeolsan.model import ProgramCard as CardModel
from gyeolsan.web import permissions
from gyeolsan.web.cards import (
    PLACEHOLDER_HELP,
    computed_settlement,
    preview,
    sections_to_text,
    text_to_blocks,
)
from gyeolsan.web.convert import load_rows, tag_for, to_model
from gyeolsan.web.editing import parse_changes, update_row
from gyeolsan.web.permissions import Action
from gyeolsan.web.validation import findings_of
from gyeolsan.web.views.common import page, settlement_for
from gyeolsan.web.workspace.models import BudgetLine, ProgramCard, Settlement

SECTION_KINDS = (
    ("overview", "사업개요"),
    ("achievements", "추진실적"),
    ("plans", "추진계획"),
    ("other", "기타"),
)


def card_list(request: HttpRequest, pk: int) -> HttpResponse:
    record = settlement_for(request, pk)
    found = findings_of(record)
    rows = load_rows(record)
    model = to_model(record, rows=rows)
    out = []
    for obj, card in zip(rows[ProgramCard], model.cards, strict=True):
        out.append(
            {
                "card": obj,
                "model": card,
                "computed": computed_settlement(model, card),
                "findings": found.for_target(tag_for(obj)[1:]),
            }
        )
    return page(request, "gyeolsan/cards.html", record, "cards", rows=out)


def _card(record: Settlement, card_pk: int) -> ProgramCard:
    card = (
        ProgramCard.objects.filter(pk=card_pk, settlement=record)
        .select_related("division", "settlement")
        .first()
    )
    if card is None:
        raise Http404
    return card


def _model_card(
    record: Settlement, card: ProgramCard, overrides: dict[str, Any] | None = None
) -> tuple[Any, CardModel]:
    """(settlement model, this card's model) with unsaved editor values applied."""
    rows = load_rows(record)
    model = to_model(record, rows=rows, overrides={tag_for(card): overrides} if overrides else None)
    index = [o.pk for o in rows[ProgramCard]].index(card.pk)
    return model, model.cards[index]


def _posted(request: HttpRequest, card: ProgramCard) -> dict[str, Any]:
    """The editor's form → raw field values (a section keeps its blocks when its text is unchanged)."""
    sections = []
    for i, old in enumerate(card.sections):
        text = request.POST.get(f"section-{i}-text")
        if text is None:
            sections.append(old)
            continue
        heading = request.POST.get(f"section-{i}-heading", "").strip() or old.get("heading", "")
        kind = request.POST.get(f"section-{i}-kind", old.get("kind", "other"))
        if not text.strip() and request.POST.get(f"section-{i}-delete"):
            continue
        same = text.replace("\r\n", "\n").strip() == sections_to_text(old).strip()
        new = dict(old) if same else {"heading": heading, "kind": kind, "blocks": text_to_blocks(text)}
        new["heading"], new["kind"] = heading, kind
        if new.get("kind") == "other" and "kind" not in old:
            new.pop("kind")
        sections.append(new)
    extra = request.POST.get("section-new-text", "").strip()
    if extra:
        heading = request.POST.get("section-new-heading", "").strip() or "기타"
        kind = request.POST.get("section-new-kind", "other")
        sections.append({"heading": heading, "kind": kind, "blocks": text_to_blocks(extra)})
    return {
        "title": request.POST.get("title", card.title),
        "goal": request.POST.get("goal", card.goal or ""),
        "unit_programs": request.POST.getlist("unit_programs"),
        "sections": sections,
        "card_budget_current": request.POST.get("card_budget_current", ""),
        "card_spent": request.POST.get("card_spent", ""),
        "card_rate": request.POST.get("card_rate", ""),
        "card_note": request.POST.get("card_note", ""),
    }


def card_edit(request: HttpRequest, pk: int, card_pk: int) -> HttpResponse:
    record = settlement_for(request, pk)
    card = _card(record, card_pk)
    errors: dict[str, str] = {}
    conflict = None
    if request.method == "POST":
        raw = _posted(request, card)
        reason = "카드 편집"
        if request.POST.get("action") == "compute":
            values, errors = parse_changes(ProgramCard, raw)
            if not errors:
                model, card_model = _model_card(record, card, values)
                computed = computed_settlement(model, card_model)
                if computed is None:
                    errors["unit_programs"] = "대상 단위사업이 결산표에 없어 계산할 수 없습니다."
                else:
                    raw.update(
                        card_budget_current=str(computed.budget_current or ""),
                        card_spent=str(computed.spent or ""),
                        card_rate="" if computed.rate is None else str(computed.rate),
                    )
                    reason = "카드: 결산표에서 계산"
        if not errors:
            result = update_row(ProgramCard, card.pk, raw, _version(request), request.user, reason)
            if result.ok:
                messages.success(
                    request, "카드를 저장했습니다." if result.changed else "바뀐 내용이 없습니다."
                )
                return redirect("card", pk=record.pk, card_pk=card.pk)
            errors, conflict = result.errors, result.conflict
            if result.denied:
                messages.error(request, result.denied)
        card.refresh_from_db()
    model, card_model = _model_card(record, card)
    found = findings_of(record)
    return page(
        request,
        "gyeolsan/card_edit.html",
        record,
        "cards",
        card=card,
        can_edit=permissions.can(request.user, Action.EDIT, card),
        lines=BudgetLine.objects.filter(
            settlement=record, place="settlement", kind__in=("unit", "policy", "detail")
        ),
        sections=[{"i": i, "s": s, "text": sections_to_text(s)} for i, s in enumerate(card.sections)],
        section_kinds=SECTION_KINDS,
        preview=preview(model, card_model),
        findings=found.for_target(tag_for(card)[1:]),
        placeholder_help=PLACEHOLDER_HELP,
        errors=errors,
        conflict=conflict,
    )


@require_POST
def card_preview(request: HttpRequest, pk: int, card_pk: int) -> HttpResponse:
    """The preview of the editor's unsaved contents (htmx)."""
    record = settlement_for(request, pk)
    card = _card(record, card_pk)
    values, errors = parse_changes(ProgramCard, _posted(request, card))
    model, card_model = _model_card(record, card, values if not errors else None)
    return page(
        request,
        "gyeolsan/_card_preview.html",
        record,
        "cards",
        preview=preview(model, card_model),
        errors=errors,
    )


def _version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None
