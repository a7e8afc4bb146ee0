"""Mutation test: change one number of the sample, re-import, re-check: a new finding must point at its line.

Table numbers (settlement, next-year, staffing, revenue, section IV tables) must be caught 100% for both
mutations (+7 in the last printed digit, and the first digit changed). Card settlement lines must be caught
100% too. Other numbers in prose are measured, not required; ``GYEOLSAN_RECORD=1`` writes the measured
rates into docs/benchmarks.md ("Mutation detection").
"""

from __future__ import annotations

import os
import platform
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from tests.paths import ROOT, SAMPLE
from tests.rules._helpers import check_text, lines_of, parse_text, read_text

from gyeolsan.model import Finding, Settlement
from gyeolsan.model.numbers import find_quantities
from gyeolsan.rules.text import dates_in, passages

BENCHMARKS_MD = ROOT / "docs" / "benchmarks.md"

# ----------------------------------------------------------------------------- mutations

_CELL = re.compile(
    r"^(?P<pre>(?:<[^>]+>|\s)*)(?P<sign>[△-]?)(?P<num>\d[\d,]*(?:\.\d+)?)(?P<post>%?(?:<[^>]+>|\s)*)$"
)


def _format(value: Decimal, decimals: int, commas: bool, negative_mark: str) -> str:
    body = f"{abs(value):,.{decimals}f}" if commas else f"{abs(value):.{decimals}f}"
    return (negative_mark or "△") + body if value < 0 else body


def plus7(number: str) -> str:
    """ "47,810,398" → "47,810,405"; "96.7" → "97.4"; "△3.45" → "△3.38"; "0" → "7"."""
    sign = number[0] if number[0] in "△-" else ""
    digits = number[len(sign) :]
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    value = Decimal(digits.replace(",", "")) * (-1 if sign else 1)
    new = value + 7 * Decimal(1).scaleb(-decimals)
    return _format(new, decimals, "," in digits or abs(new) >= 1000 and "," in number, sign)


def first_digit(number: str) -> str:
    """ "47,810,398" → "57,810,398"; "96.7" → "86.7" (9 → 8, others + 1)."""
    i = next(k for k, ch in enumerate(number) if ch.isdigit())
    d = number[i]
    return number[:i] + ("8" if d == "9" else str(int(d) + 1)) + number[i + 1 :]


MUTATIONS: dict[str, Callable[[str], str]] = {"+7": plus7, "digit": first_digit}


@dataclass(frozen=True)
class Site:
    """One number of the sample: its line, its span in the raw line, and what kind of number it is."""

    line: int
    start: int
    end: int
    text: str
    kind: str  # table name, "card", or "prose"


def table_lines(s: Settlement) -> dict[int, str]:
    out: dict[int, str] = {}
    groups = {
        "settlement": s.settlement.all_lines() if s.settlement else [],
        "next_year": s.next_year.all_lines() if s.next_year else [],
        "staffing": list(s.staffing.rows) if s.staffing else [],
        "revenue": s.revenue.all_lines() if s.revenue else [],
        "expenditure": s.expenditure.table.all_lines() if s.expenditure and s.expenditure.table else [],
    }
    for kind, rows in groups.items():
        for row in rows:
            if row.src.line:
                out[row.src.line] = kind
    return out


def table_sites(raw_lines: list[str], s: Settlement) -> Iterator[Site]:
    for line, kind in sorted(table_lines(s).items()):
        raw = raw_lines[line - 1]
        pos = 0
        for k, cell in enumerate(raw.split("\t")):
            m = _CELL.match(cell)
            if k > 0 and m:
                start = pos + m.start("sign")
                yield Site(line, start, pos + m.end("num"), m["sign"] + m["num"], kind)
            pos += len(cell) + 1


def _is_name_or_label(raw: str, start: int, end: int, unit: str) -> bool:
    """Digits that name something rather than count it: 제2시민청, 민원처리1팀, 120다산콜재단, 3·1절, 09~21시."""
    before, after = raw[:start], raw[end:]
    if before[-1:].isalpha() or before.endswith(("제", "+", "~", "∼")) or raw.lstrip().startswith("#"):
        return True
    return unit == "" and (after[:1].isalpha() or after[:1] in "·~∼+")


def prose_sites(raw_lines: list[str], s: Settlement) -> Iterator[Site]:
    """Quantities in prose (card settlement lines apart), as find_quantities sees them: dates, years and
    digits that are part of a name (제2시민청, 120다산콜재단, 민원처리1팀) left out."""
    tables = table_lines(s)
    card_lines = {c.settlement.src.line for c in s.cards if c.settlement and c.settlement.src.line}
    prose = {p.src.line for p in passages(s) if p.src and p.src.line} - set(tables)
    for line in sorted(prose | card_lines):
        raw = raw_lines[line - 1]
        dates = [(d.start, d.end) for d in dates_in(raw)]
        for start, _end, q in find_quantities(raw):
            m = re.match(r"[△-]?\d[\d,]*(?:\.\d+)?", raw[start:])
            if not m or any(a <= start < b for a, b in dates) or raw[:start].endswith(("'", "’", "‘")):
                continue
            if q.unit in ("년", "월") or (line in card_lines and q.unit not in ("원", "%")):
                continue
            if line not in card_lines and _is_name_or_label(raw, start, start + m.end(), q.unit):
                continue
            yield Site(line, start, start + m.end(), m.group(0), "card" if line in card_lines else "prose")


def mutate(raw_lines: list[str], site: Site, how: str) -> str:
    raw = raw_lines[site.line - 1]
    changed = raw[: site.start] + MUTATIONS[how](site.text) + raw[site.end :]
    assert changed != raw, site
    return "\n".join(raw_lines[: site.line - 1] + [changed] + raw_lines[site.line :]) + "\n"


# ----------------------------------------------------------------------------- detection


def _key(f: Finding) -> tuple[object, ...]:
    return (f.rule, f.location.line, f.stated, f.expected)


_BASE: dict[str, object] = {}


def _baseline() -> tuple[list[str], set[tuple[object, ...]], Settlement]:
    if not _BASE:
        text = read_text(SAMPLE)
        _BASE["lines"] = text.splitlines()
        _BASE["keys"] = {_key(f) for f in check_text(text, str(SAMPLE))}
        _BASE["settlement"] = parse_text(text, str(SAMPLE)).settlement
    return _BASE["lines"], _BASE["keys"], _BASE["settlement"]  # type: ignore[return-value]


def detected(site: Site, how: str) -> bool:
    lines, keys, _ = _baseline()
    new = [f for f in check_text(mutate(lines, site, how), str(SAMPLE)) if _key(f) not in keys]
    return any(site.line in lines_of(f) for f in new)


def _detect_job(job: tuple[Site, str]) -> tuple[Site, str, bool]:
    return job[0], job[1], detected(*job)


def run_all(jobs: list[tuple[Site, str]]) -> list[tuple[Site, str, bool]]:
    workers = min(4, os.cpu_count() or 1)
    if workers == 1 or len(jobs) < 20:
        return [_detect_job(j) for j in jobs]
    with ProcessPoolExecutor(workers) as pool:
        return list(pool.map(_detect_job, jobs, chunksize=8))


def _misses(results: list[tuple[Site, str, bool]]) -> str:
    return "\n".join(f"  line {s.line} ({s.kind}) {s.text} {how}" for s, how, ok in results if not ok)


# ----------------------------------------------------------------------------- tests


@pytest.fixture(scope="module")
def sample() -> tuple[list[str], Settlement]:
    if not SAMPLE.exists():
        pytest.skip("../shared/seeds sample not available")
    lines, _, s = _baseline()
    return lines, s


def test_mutations_keep_the_printed_style():
    assert plus7("47,810,398") == "47,810,405"
    assert plus7("96.7") == "97.4"
    assert plus7("△3.45") == "△3.38"
    assert plus7("0") == "7"
    assert plus7("100") == "107"
    assert first_digit("47,810,398") == "57,810,398"
    assert first_digit("96.7") == "86.7"


def test_sites_cover_every_table(sample):
    lines, s = sample
    kinds = {site.kind for site in table_sites(lines, s)}
    assert kinds == {"settlement", "next_year", "staffing", "revenue", "expenditure"}
    count = sum(1 for _ in table_sites(lines, s))
    assert count > 400
    cards = [site for site in prose_sites(lines, s) if site.kind == "card"]
    assert len(cards) == 3 * len(s.cards)


# A fast, fixed subset: one number from each table and each kind of row.
FAST = [
    (123, 1),
    (139, 4),
    (153, 2),
    (183, 2),
    (201, 3),
    (214, 2),
    (28, 1),
    (31, 3),
    (930, 3),
    (933, 4),
    (958, 4),
]


def test_table_mutations_fast_subset(sample):
    lines, s = sample
    by_line: dict[int, list[Site]] = {}
    for site in table_sites(lines, s):
        by_line.setdefault(site.line, []).append(site)
    jobs = [(by_line[line][col - 1], how) for line, col in FAST for how in MUTATIONS]
    results = [_detect_job(j) for j in jobs]
    assert all(ok for *_, ok in results), "table numbers not detected:\n" + _misses(results)


@pytest.fixture
def slow_requested(request: pytest.FixtureRequest) -> None:
    """The full runs take minutes: they run only when asked for with ``-m slow``."""
    if "slow" not in (request.config.getoption("markexpr") or "").replace("not slow", ""):
        pytest.skip("slow (minutes): run with `pytest -m slow`")


@pytest.mark.slow
@pytest.mark.usefixtures("slow_requested")
def test_every_table_number_is_detected(sample):
    lines, s = sample
    jobs = [(site, how) for site in table_sites(lines, s) for how in MUTATIONS]
    results = run_all(jobs)
    _record("table", results)
    missed = [r for r in results if not r[2]]
    assert not missed, f"{len(missed)} of {len(results)} table mutations not detected:\n" + _misses(results)


@pytest.mark.slow
@pytest.mark.usefixtures("slow_requested")
def test_prose_numbers_detection_is_measured(sample):
    lines, s = sample
    jobs = [(site, "+7") for site in prose_sites(lines, s)]
    results = run_all(jobs)
    _record("prose", results)
    cards = [r for r in results if r[0].kind == "card"]
    missed = [r for r in cards if not r[2]]
    assert not missed, "card settlement numbers not detected:\n" + _misses(cards)


# ----------------------------------------------------------------------------- docs/benchmarks.md

_RESULTS: dict[str, list[tuple[Site, str, bool]]] = {}


def _record(what: str, results: list[tuple[Site, str, bool]]) -> None:
    _RESULTS[what] = results
    table = _summary(results)
    print(f"\nMutation detection ({what}):\n{table}")
    if os.environ.get("GYEOLSAN_RECORD") == "1":
        _write_section()


def _summary(results: list[tuple[Site, str, bool]]) -> str:
    rows = ["| numbers | mutation | mutants | detected | rate |", "|---|---|---:|---:|---:|"]
    groups: dict[tuple[str, str], list[bool]] = {}
    for site, how, ok in results:
        groups.setdefault((site.kind, how), []).append(ok)
    for (kind, how), oks in sorted(groups.items()):
        rows.append(f"| {kind} | {how} | {len(oks)} | {sum(oks)} | {100 * sum(oks) / len(oks):.1f}% |")
    total = [ok for *_, ok in results]
    rows.append(
        f"| **total** | | {len(total)} | {sum(total)} | {100 * sum(total) / max(1, len(total)):.1f}% |"
    )
    return "\n".join(rows)


def _write_section() -> None:
    parts = [
        "## Mutation detection",
        "",
        f"Measured {date.today().isoformat()} on {platform.node() or 'this machine'} by "
        "`GYEOLSAN_RECORD=1 uv run --frozen pytest tests/rules/test_mutation.py -m slow -s`.",
        "Each number of the sample report is changed once (+7 in its last printed digit; for tables also the",
        "first digit), the text is re-imported and re-checked, and the mutant counts as detected when a new",
        "finding points at the changed line (or lists it in `related`).",
        "",
    ]
    for what in ("table", "prose"):
        if what in _RESULTS:
            parts += [
                f"### {'Table numbers' if what == 'table' else 'Numbers in prose and card settlement lines'}",
                "",
            ]
            parts += [_summary(_RESULTS[what]), ""]
            missed = [
                f"line {s.line} `{s.text}`" for s, _, ok in _RESULTS[what] if not ok and s.kind == "prose"
            ]
            if what == "prose" and missed:
                parts += [
                    "Undetected prose numbers: " + ", ".join(missed[:80]) + ("…" if len(missed) > 80 else ""),
                    "",
                ]
    replace_section(BENCHMARKS_MD, "## Mutation detection", "\n".join(parts))


def replace_section(path, heading: str, body: str) -> None:  # type: ignore[no-untyped-def]
    """Replace the ``heading`` section of a Markdown file (up to the next "## "), or append it."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: body.rstrip() + "\n\n", text)
    else:
        text = text.rstrip() + "\n\n" + body.rstrip() + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.rstrip() + "\n", encoding="utf-8")


def test_replace_section_keeps_the_other_sections(tmp_path):
    doc = tmp_path / "benchmarks.md"
    doc.write_text(
        "# Benchmarks\n\n## Import\n\nold import\n\n## Mutation detection\n\nold\n\n## Later\n\nkeep\n"
    )
    replace_section(doc, "## Mutation detection", "## Mutation detection\n\nnew")
    assert (
        doc.read_text()
        == "# Benchmarks\n\n## Import\n\nold import\n\n## Mutation detection\n\nnew\n\n## Later\n\nkeep\n"
    )
    replace_section(tmp_path / "new.md", "## Mutation detection", "## Mutation detection\n\nfirst")
    assert (tmp_path / "new.md").read_text() == "# Benchmarks\n\n## Mutation detection\n\nfirst\n"
