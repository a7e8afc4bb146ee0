"""The shipped demo settlement: the sample report's figures (Seoul 시민소통기획관, 2018) with our own narrative."""

from __future__ import annotations

from importlib import resources

from gyeolsan.model import Settlement

DEMO_NAME = "seoul_2018.json"


def demo_text() -> str:
    return resources.files("gyeolsan.data.demo").joinpath(DEMO_NAME).read_text(encoding="utf-8")


def load_demo() -> Settlement:
    from gyeolsan.io.canonical import loads

    return loads(demo_text(), f"demo:{DEMO_NAME}")
