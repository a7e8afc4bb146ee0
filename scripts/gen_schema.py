"""Regenerate docs/schema/gyeolsan-1.schema.json from the model (a test fails when it is stale)."""

from __future__ import annotations

import json
from pathlib import Path

from gyeolsan.io.canonical import json_schema

OUT = Path(__file__).resolve().parent.parent / "docs" / "schema" / "gyeolsan-1.schema.json"


def render() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


if __name__ == "__main__":
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUT}")
