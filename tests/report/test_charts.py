"""Charts: PNG (≥ 200 dpi) and SVG, Korean text with NanumGothic (no missing glyphs), values from the data."""

from __future__ import annotations

import struct
import warnings
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest

from gyeolsan.model import Settlement
from gyeolsan.report import charts
from gyeolsan.report.document import Document, Figure
from gyeolsan.report.prepare import Prepared


def png_info(data: bytes) -> tuple[int, int, float]:
    """(width, height, dpi) from the IHDR and pHYs chunks."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    dpi = 0.0
    pos = 8
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        if kind == b"pHYs":
            ppm = struct.unpack(">I", data[pos + 8 : pos + 12])[0]
            dpi = ppm * 0.0254
        pos += 12 + length
    return width, height, dpi


@pytest.fixture(scope="module")
def figures(prepared: Prepared) -> list[Figure]:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a "Glyph … missing from font" warning fails the test
        return charts.render_all(prepared.settlement)


def test_all_four_charts(figures: list[Figure]) -> None:
    assert [f.id for f in figures] == ["rate", "composition", "change", "revenue"]
    for f in figures:
        width, height, dpi = png_info(f.png)
        assert dpi >= 199.9 and width >= 1200 and height >= 300, f.id
        assert f.svg and ET.fromstring(f.svg).tag.endswith("svg")
        assert f.title and f.alt


def test_korean_text_uses_nanumgothic(figures: list[Figure]) -> None:
    for f in figures:
        assert "NanumGothic" in (f.svg or ""), f.id  # text kept as text, in the named font
    assert "부서별 집행률" in (figures[0].svg or "") and "△" in (figures[2].svg or "")


def test_no_missing_glyph_warning(prepared: Prepared, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GYEOLSAN_CHART_CACHE", "off")  # draw for real
    data = charts.rate_chart(prepared.settlement)
    assert data is not None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figure = charts.render_chart(data)
        assert figure.svg and figure.png
    assert not [w for w in caught if "missing" in str(w.message).lower()]


def test_missing_glyph_would_be_caught(prepared: Prepared, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check above is not vacuous: a font without Hangul fails when the chart is drawn."""
    monkeypatch.setenv("GYEOLSAN_CHART_CACHE", "off")
    data = charts.rate_chart(prepared.settlement)
    assert data is not None
    figure = charts.render_chart(data, font="DejaVu Sans")
    with pytest.raises(UserWarning, match="[Gg]lyph"):
        figure.svg  # noqa: B018 - drawing happens on first use


def test_images_are_drawn_only_when_asked_for(prepared: Prepared, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GYEOLSAN_CHART_CACHE", "off")
    data = charts.rate_chart(prepared.settlement)
    assert data is not None
    calls: list[str] = []
    real = charts._save
    monkeypatch.setattr(charts, "_save", lambda fig, fmt: calls.append(fmt) or real(fig, fmt))
    figure = charts.render_chart(data)
    assert calls == []
    assert figure.svg and figure.svg == figure.svg
    assert calls == ["svg"]  # made once, then kept
    assert figure.png
    assert calls == ["svg", "png"]


def test_cache_reuses_images_of_the_same_data(
    prepared: Prepared, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("GYEOLSAN_CHART_CACHE", str(tmp_path / "cache"))
    data = charts.rate_chart(prepared.settlement)
    assert data is not None
    first = charts.render_chart(data)
    svg, png = first.svg, first.png
    assert len(list((tmp_path / "cache").iterdir())) == 2

    def no_drawing(*_: object) -> None:
        raise AssertionError("drawn although cached")

    monkeypatch.setattr(charts, "_draw", no_drawing)
    again = charts.render_chart(data)
    assert again.svg == svg and again.png == png
    # other data, another picture: the cache is keyed by what the chart shows
    changed = replace(data, data=(data.data[0][:-1], data.data[1]))
    with pytest.raises(AssertionError, match="drawn although cached"):
        charts.render_chart(changed).svg  # noqa: B018
    assert charts.cache_key(data, "NanumGothic") != charts.cache_key(data, "Noto Sans CJK KR")


def test_unwritable_cache_only_costs_time(
    prepared: Prepared, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("GYEOLSAN_CHART_CACHE", str(blocked / "charts"))
    data = charts.rate_chart(prepared.settlement)
    assert data is not None
    assert charts.render_chart(data).svg


def test_values_come_from_the_computed_data(figures: list[Figure]) -> None:
    rate, composition, change, revenue = figures
    assert "뉴미디어담당관 96.2%" in rate.alt  # computed (the sample states 96.3)
    assert "시민봉사담당관 사업예산 25,857,005 기본경비 110,434천원" in composition.alt
    assert "120 다산콜재단 운영 △3,578,162" in change.alt
    assert "국고보조금 징수결정 989,470 수납 989,470" in revenue.alt


def test_document_embeds_the_charts(charted: Document) -> None:
    assert [f.id for f in charted.figures()] == ["rate", "composition", "change", "revenue"]


def test_write_charts(prepared: Prepared, figures: list[Figure], tmp_path: Path) -> None:
    paths = charts.write_charts(prepared.settlement, tmp_path / "out", figures=figures)
    assert sorted(p.name for p in paths) == sorted(
        f"chart-{i}.{ext}" for i in ("rate", "composition", "change", "revenue") for ext in ("png", "svg")
    )
    assert all(p.stat().st_size > 5000 for p in paths)


def test_no_chart_without_data() -> None:
    from gyeolsan.model import Meta

    empty = Settlement(meta=Meta(title="t", fiscal_year=2020))
    assert charts.chart_data(empty) == []
