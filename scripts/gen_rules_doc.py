"""Regenerate docs/rules.md from the rule catalogue: `uv run --frozen python scripts/gen_rules_doc.py`."""

from __future__ import annotations

from pathlib import Path

from gyeolsan.cli.common import atomic_write
from gyeolsan.rules.docs import render_markdown

DOC = Path(__file__).resolve().parent.parent / "docs" / "rules.md"


def main() -> None:
    atomic_write(DOC, render_markdown())
    print(f"written: {DOC}")


if __name__ == "__main__":
    main()
