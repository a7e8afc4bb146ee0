"""Program cards in the editor: the text form of a card's sections, and the preview through the core.

Figures in card text are written as the core's references (``{spent:백만원}``, ``{rate}``,
``{program:시민청 운영 및 확산.spent:백만원}`` — see ``gyeolsan.report.placeholders``); they are stored as
typed and resolved by the same code that writes the reports. The card's closing line ("예산현액 X 중 Y
집행") is computed by ``gyeolsan.report.compute.card_settlement`` from the 단위사업 rows it covers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gyeolsan.model import CardSettlement, Finding, ProgramCard, Settlement

PLACEHOLDER_HELP = "{budget_current:백만원} {spent:백만원} {rate} · {program:사업명.spent:백만원} · {total.budget_current:억원}"


@dataclass
class Preview:
    """The card as a report would print it (references resolved) and what could not be resolved."""

    title: str
    goal: str | None
    sections: list[dict[str, Any]]
    stated: CardSettlement | None
    computed: CardSettlement | None
    findings: list[Finding] = field(default_factory=list)
    available: bool = True  # False while the report package is not installed


def computed_settlement(model: Settlement, card: ProgramCard) -> CardSettlement | None:
    """The closing line computed from the covered rows (None when the card is not linked to rows)."""
    try:
        from gyeolsan.report import compute
    except ImportError:
        return None
    return compute.card_settlement(card, model.settlement, model.adjustments)


def preview(model: Settlement, card: ProgramCard) -> Preview:
    computed = computed_settlement(model, card)
    try:
        from gyeolsan.report import compute
        from gyeolsan.report.placeholders import Resolver, Scope, resolve
    except ImportError:
        return Preview(card.title, card.goal, _plain(card), card.settlement, None, available=False)
    resolver = Resolver(compute.compute_numbers(model))
    scope = Scope(card=card, where=f"II. {card.title}", src=card.src)
    findings: list[Finding] = []
    path = model.meta.source_path or ""

    def r(text: str | None) -> str | None:
        if not text:
            return text
        done = resolve(text, resolver, scope, path)
        findings.extend(done.findings)
        return done.text

    sections = []
    for s in card.sections:
        blocks = []
        for b in s.blocks:
            if b.type == "table":
                blocks.append({"rows": [[r(c) or "" for c in row] for row in b.rows]})
            else:
                blocks.append({"text": r(b.text) or "", "level": b.level})
        sections.append({"heading": s.heading, "blocks": blocks})
    return Preview(card.title, r(card.goal), sections, card.settlement, computed, findings)


def _plain(card: ProgramCard) -> list[dict[str, Any]]:
    return [
        {
            "heading": s.heading,
            "blocks": [
                {"rows": b.rows} if b.type == "table" else {"text": b.text, "level": b.level}
                for b in s.blocks
            ],
        }
        for s in card.sections
    ]


# ----------------------------------------------------------------------------- the editor's text form


def sections_to_text(section: dict[str, Any]) -> str:
    """A card section as editable lines: "- text" bullets (two spaces per level), "| a | b |" table rows."""
    out = []
    for block in section.get("blocks") or []:
        if "rows" in block:
            out.extend("| " + " | ".join(row) + " |" for row in block["rows"])
        else:
            out.append("  " * int(block.get("level", 0)) + "- " + block.get("text", ""))
    return "\n".join(out)


def text_to_blocks(text: str) -> list[dict[str, Any]]:
    """Inverse of :func:`sections_to_text` (consecutive table lines form one table)."""
    blocks: list[dict[str, Any]] = []
    for raw in text.replace("\r\n", "\n").split("\n"):
        if not raw.strip():
            continue
        stripped = raw.strip()
        if stripped.startswith("|"):
            cells = [c.strip() for c in stripped.strip("|").split("|")]
            if blocks and "rows" in blocks[-1]:
                blocks[-1]["rows"].append(cells)
            else:
                blocks.append({"type": "table", "rows": [cells]})
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        text_ = stripped[2:] if stripped.startswith("- ") else stripped.lstrip("-").strip()
        block: dict[str, Any] = {"text": text_}
        if indent // 2:
            block["level"] = indent // 2
        blocks.append(block)
    return blocks
