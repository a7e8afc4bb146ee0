"""Helpers for the narrative/compliance/text rule tests, the sample audit and the mutation test.

Small hand-built settlements (a card with bullets, an audit, adjustments), report text parsed from
memory, every rule run with the import findings, the audit file and the corrected copy of the sample.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path

from tests.paths import ROOT, SAMPLE

from gyeolsan.io.errors import ImportResult
from gyeolsan.io.report_text import parse_lines
from gyeolsan.io.report_text.reader import Line, decode
from gyeolsan.model import (
    Adjustment,
    AuditRecommendation,
    Bullet,
    CardSection,
    DateText,
    Finding,
    Meta,
    ProgramCard,
    Settlement,
    Source,
)
from gyeolsan.rules import run
from gyeolsan.rules.catalogue import REGISTRY, all_rules
from gyeolsan.rules.config import DEFAULT, RuleConfig
from gyeolsan.rules.engine import run as run_rules

PATH = "t.txt"
AUDIT = ROOT / "tests" / "data" / "sample_audit.toml"
CORRECTIONS = ROOT / "tests" / "data" / "sample_corrections.toml"

# ----------------------------------------------------------------------------- building models


def src(line: int, text: str = "") -> Source:
    return Source(path=PATH, line=line, text=text)


def bullet(line: int, text: str, level: int = 0) -> Bullet:
    return Bullet(text=text, level=level, src=src(line, ("  " * level) + "- " + text))


def card(
    *bullets: Bullet,
    title: str = "시험 사업",
    line: int = 1,
    heading: str | None = None,
    kind: str = "achievements",
    group: int = 1,
    index: int = 1,
    goal: str | None = None,
) -> ProgramCard:
    """A card with one section of ``bullets`` (section heading on ``line + 1``)."""
    section = CardSection(
        heading="'18년 추진실적", kind=kind, blocks=tuple(bullets), src=src(line + 1, "## 추진실적")
    )  # type: ignore[arg-type]
    return ProgramCard(
        group=group,
        index=index,
        title=title,
        goal=goal,
        sections=(section,),
        src=src(line, heading if heading is not None else f"## {title}"),
    )


def settlement(fiscal_year: int = 2018, **parts: object) -> Settlement:
    meta = Meta(title="시험", fiscal_year=fiscal_year, source_path=PATH, src=src(1))
    return Settlement(meta=meta, **parts)  # type: ignore[arg-type]


def date(text: str) -> DateText:
    """ "'18. 2월" → DateText(2018, 2); "'21. 7. 6." → DateText(2021, 7, 6)."""
    m = re.match(r"['’](\d{2})\.\s*(\d{1,2})(?:\.\s*(\d{1,2}))?", text)
    assert m, text
    day = int(m.group(3)) if m.group(3) else None
    return DateText(text=text, year=2000 + int(m.group(1)), month=int(m.group(2)), day=day)


def transfer(
    line: int, decided: str | None, reported: str | None, text: str = "", **kw: object
) -> Adjustment:
    return Adjustment(
        kind="전용",
        date=date(decided) if decided else None,
        reported_on=date(reported) if reported else None,
        from_program=kw.pop("program", "시민청 운영 및 확산"),  # type: ignore[arg-type]
        to_program=kw.pop("program_to", "시민청 운영 및 확산"),  # type: ignore[arg-type]
        from_item="사무관리비",
        to_item="시설비",
        amount=kw.pop("amount", 53660),  # type: ignore[arg-type]
        reason=text or None,
        src=src(line, text),
        **kw,  # type: ignore[arg-type]
    )


def audit(
    line: int, title: str, content: Sequence[str], action: Sequence[str], status: str = "추진완료", **kw
):  # type: ignore[no-untyped-def]
    return AuditRecommendation(
        number=kw.pop("number", 1),
        title=title,
        content=tuple(content),
        action=tuple(action),
        status=status,
        src=src(line, title),
        **kw,
    )


# ----------------------------------------------------------------------------- running rules


def rule_findings(s: Settlement, rule_id: str, config: RuleConfig = DEFAULT) -> list[Finding]:
    """Findings of one rule only."""
    all_rules()
    return run_rules(s, config, rules=[REGISTRY[rule_id]]).findings


def parse_text(text: str, path: str = "sample.txt") -> ImportResult:
    """Import report text held in memory (no temporary file)."""
    lines = [Line(no=i, raw=raw, path=path) for i, raw in enumerate(text.splitlines(), start=1)]
    return parse_lines(lines, path)


def read_text(path: Path) -> str:
    return decode(path.read_bytes(), str(path))[0]


def check(result: ImportResult, config: RuleConfig = DEFAULT) -> list[Finding]:
    """What ``gyeolsan check`` reports: import findings plus every rule's findings."""
    return list(result.findings) + run(result.settlement, config).findings


def check_text(text: str, path: str = "sample.txt") -> list[Finding]:
    return check(parse_text(text, path))


def lines_of(f: Finding) -> set[int]:
    """The line of a finding and its related lines."""
    return {loc.line for loc in (f.location, *f.related) if loc.line is not None}


def serious(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity.value in ("error", "warning")]


def show(findings: Iterable[Finding]) -> str:
    return "\n".join(
        f"  {f.location.line}: {f.severity.value} {f.rule} stated={f.stated!r} expected={f.expected!r} {f.message}"
        for f in findings
    )


# ----------------------------------------------------------------------------- the sample, corrected


def corrected_sample() -> str:
    """The sample with ``sample_corrections.toml`` applied (each ``old`` occurs exactly once on its line)."""
    lines = read_text(SAMPLE).splitlines()
    fixes = tomllib.loads(CORRECTIONS.read_text(encoding="utf-8"))["fix"]
    for fix in fixes:
        i = fix["line"] - 1
        assert lines[i].count(fix["old"]) == 1, fix
        lines[i] = lines[i].replace(fix["old"], fix["new"])
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------- the audit


def audit_items() -> list[dict]:  # type: ignore[type-arg]
    return tomllib.loads(AUDIT.read_text(encoding="utf-8"))["finding"]


_QUOTE_ENDS = "'\"‘’“”「」"


def normalize(value: str | None) -> str:
    """Compare printed values: the leading value only (before " ("), no thousands separators or quotes."""
    text = (value or "").strip()
    text = re.split(r"\s\(", text, maxsplit=1)[0].strip()
    text = text.strip(_QUOTE_ENDS).strip()
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text).replace("△", "-").removesuffix("%")
    return re.sub(r"\s+", " ", text)


def same_value(stated: str | None, wanted: str | None) -> bool:
    a, b = normalize(stated), normalize(wanted)
    if a == b:
        return True
    try:
        return Decimal(a) == Decimal(b)
    except InvalidOperation:
        return False


def category_of(f: Finding) -> str:
    r = REGISTRY.get(f.rule)
    return r.category if r else "import"


def match_problem(item: dict, findings: Sequence[Finding]) -> str | None:  # type: ignore[type-arg]
    """None when a finding reports the audit item; otherwise why none does."""
    at_line = [f for f in findings if item["line"] in lines_of(f)]
    if not at_line:
        return "no finding at the line (or with it in related)"
    valued = [f for f in at_line if not item.get("expected") or same_value(f.expected, item["expected"])]
    if not valued:
        got = sorted({f"{f.rule}:{f.expected!r}" for f in at_line})
        return f"no finding with expected {item['expected']!r} (found {', '.join(got)})"
    if item["category"] == "rounding" and not any(category_of(f) == "rounding" for f in valued):
        return f"not classified as rounding ({', '.join(sorted({f.rule for f in valued}))})"
    if item["severity"] == "info" and all(f.severity.value == "error" for f in valued):
        return "an info-level rounding/explained item is reported as an error"
    return None
