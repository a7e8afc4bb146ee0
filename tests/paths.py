"""Where the sample, the fixtures and the shared schema are (importable from any test)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SAMPLE = SHARED / "seeds" / "000_1b1d515c849dd1d6.txt"
FIXTURES = ROOT / "tests" / "fixtures" / "reports"
FINDINGS_SCHEMA = SHARED / "schemas" / "findings.schema.json"
