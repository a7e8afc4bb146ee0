"""The arithmetic, rounding and cross-section items of the manual audit (tests/data/sample_audit.toml).

Every such item is matched by a finding of the SUM/RATE/ROUND/XREF rules at the audit's line (or with
the line in ``related``), with the same expected value and severity; conversely every error or warning
of these rules on the sample is an audit item. The corrected copy gives none.
"""

from __future__ import annotations

import re
import tomllib
from decimal import Decimal, InvalidOperation

import pytest
from tests.rules.conftest import AUDIT, CATEGORIES, corrected_sample_text, findings_of, parse, serious, show

from gyeolsan.model import Finding

ITEMS = [
    i for i in tomllib.loads(AUDIT.read_text(encoding="utf-8"))["finding"] if i["category"] in CATEGORIES
]


def _first_value(text: str | None) -> str:
    """'63500 (결산표 167행, …)' → '63500'; '554억 38백만원' stays; '5,623,263' → '5623263'."""
    value = re.split(r"\s\(", (text or "").strip(), maxsplit=1)[0]
    return re.sub(r"(?<=\d),(?=\d{3})", "", value).replace("△", "-").removesuffix("%").strip()


def same(a: str | None, b: str | None) -> bool:
    x, y = _first_value(a), _first_value(b)
    if x == y:
        return True
    try:
        return Decimal(x) == Decimal(y)
    except InvalidOperation:
        return False


def lines_of(f: Finding) -> set[int]:
    return {loc.line for loc in (f.location, *f.related) if loc.line}


def test_the_audit_has_items_of_these_categories():  # type: ignore[no-untyped-def]
    assert len(ITEMS) == 34
    assert {i["category"] for i in ITEMS} == set(CATEGORIES)


@pytest.mark.parametrize("item", ITEMS, ids=[i["id"] for i in ITEMS])
def test_audit_item_is_found(item, sample_part1):  # type: ignore[no-untyped-def]
    at_line = [f for f in sample_part1 if item["line"] in lines_of(f)]
    assert at_line, f"nothing at line {item['line']}"
    matching = [f for f in at_line if same(f.expected, item["expected"])]
    assert matching, f"expected {item['expected']!r}; found:\n{show(at_line)}"
    assert any(f.severity.value == item["severity"] for f in matching), show(matching)
    own_line = [f for f in matching if f.location.line == item["line"]]
    assert own_line, "the finding is located at the line where the wrong value is printed"


def test_no_error_or_warning_beyond_the_audit(sample_part1):  # type: ignore[no-untyped-def]
    audited = {(i["line"], i["severity"]) for i in ITEMS}
    extra = [f for f in serious(sample_part1) if (f.location.line, f.severity.value) not in audited]
    assert not extra, "errors/warnings the audit does not list:\n" + show(extra)


def test_corrected_copy_has_no_error_or_warning(corrected):  # type: ignore[no-untyped-def]
    bad = serious(findings_of(corrected))
    assert not bad, show(bad)


def test_corrected_copy_without_help_from_the_test(sample_path):  # type: ignore[no-untyped-def]
    s = parse(corrected_sample_text(), str(sample_path)).settlement
    assert not serious(findings_of(s))
