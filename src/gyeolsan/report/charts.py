"""Charts of a prepared settlement (matplotlib, Agg, NanumGothic): PNG at 200 dpi and SVG.

- ``rate``        집행률 by division (with the office's rate as a line)
- ``composition`` 예산현액 by division split into 사업예산 / 기본경비 (stacked)
- ``change``      next year's 증감 by program (diverging bars, △ for decreases)
- ``revenue``     징수결정액 vs 수납액 by revenue line

Every value comes from the computed model (the same numbers as the tables).
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gyeolsan.model import Settlement
from gyeolsan.model.numbers import format_number, format_rate
from gyeolsan.report.config import DEFAULT, ReportConfig
from gyeolsan.report.document import Figure

DPI = 200
FONT_FILES = (
    "/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
    "/usr/share/fonts/truetype/nanum/NanumGothicBold.ttf",
)
COLORS = {"main": "#1f4e79", "second": "#9dc3e6", "accent": "#c00000", "grid": "#d9d9d9", "up": "#1f4e79"}


@dataclass(frozen=True)
class ChartData:
    id: str
    title: str
    alt: str
    draw: Callable[[Any], None]  # draws on a matplotlib Figure
    height: float  # inches


_ready = False


def _setup(font: str) -> Any:
    global _ready
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib import font_manager, pyplot

    if not _ready:
        for path in FONT_FILES:
            if Path(path).exists():
                font_manager.fontManager.addfont(path)
        _ready = True
    matplotlib.rcParams.update(
        {
            "font.family": font,
            "axes.unicode_minus": False,
            "svg.fonttype": "none",
            "svg.hashsalt": "gyeolsan",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "font.size": 9,
        }
    )
    return pyplot


def render_chart(chart: ChartData, font: str = "NanumGothic") -> Figure:
    """PNG (200 dpi) and SVG of one chart; a missing glyph is an error, not a silent box."""
    _setup(font)
    from matplotlib.figure import Figure as MplFigure

    fig = MplFigure(figsize=(7.0, chart.height), layout="constrained")
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*[Gg]lyph.*missing.*")
        chart.draw(fig)
        png = io.BytesIO()
        fig.savefig(png, format="png", dpi=DPI)
        svg = io.StringIO()
        fig.savefig(svg, format="svg", metadata={"Date": None})
    return Figure(id=chart.id, title=chart.title, png=png.getvalue(), svg=svg.getvalue(), alt=chart.alt)


def _amount_axis(ax: Any, unit: str) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(nbins=5))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: format_number(int(v))))
    ax.set_xlabel(f"단위: {unit}")
    ax.grid(axis="x", color=COLORS["grid"], linewidth=0.6)
    ax.set_axisbelow(True)


# ----------------------------------------------------------------------------- the charts


def rate_chart(s: Settlement) -> ChartData | None:
    table = s.settlement
    if table is None or not table.divisions:
        return None
    rows = [(d.name, d.rate) for d in table.divisions if d.rate is not None]
    total = table.root("total")
    if not rows:
        return None

    def draw(fig: Any) -> None:
        ax = fig.subplots()
        names = [n for n, _ in rows][::-1]
        values = [float(r) for _, r in rows][::-1]
        bars = ax.barh(names, values, color=COLORS["main"], height=0.6)
        for bar, (_, r) in zip(bars, rows[::-1], strict=True):
            y = bar.get_y() + bar.get_height() / 2
            ax.text(bar.get_width() - 1, y, format_rate(r), va="center", ha="right", color="white")
        if total is not None and total.rate is not None:
            ax.axvline(float(total.rate), color=COLORS["accent"], linewidth=1, linestyle="--")
            label = f"전체 {format_rate(total.rate)}%"
            ax.text(
                float(total.rate), len(rows) - 0.45, label, color=COLORS["accent"], ha="center", va="bottom"
            )
        ax.set_xlim(0, 105)
        ax.set_ylim(-0.6, len(rows) - 0.1)
        ax.set_xlabel("집행률(%)")
        ax.grid(axis="x", color=COLORS["grid"], linewidth=0.6)
        ax.set_axisbelow(True)
        ax.set_title("부서별 집행률 (집행액 ÷ 예산현액)", loc="left")

    alt = ", ".join(f"{n} {format_rate(r)}%" for n, r in rows)
    return ChartData("rate", "부서별 집행률", f"부서별 집행률: {alt}", draw, 0.6 + 0.45 * len(rows))


def composition_chart(s: Settlement) -> ChartData | None:
    table = s.settlement
    if table is None or not table.divisions:
        return None
    rows = []
    for d in table.divisions:
        basic = sum(c.budget_current or 0 for c in d.children if c.kind == "basic")
        business = (d.budget_current or 0) - basic
        rows.append((d.name, business, basic))

    def draw(fig: Any) -> None:
        ax = fig.subplots()
        names = [r[0] for r in rows][::-1]
        business = [r[1] for r in rows][::-1]
        basic = [r[2] for r in rows][::-1]
        ax.barh(names, business, color=COLORS["main"], height=0.6, label="사업예산")
        ax.barh(names, basic, left=business, color=COLORS["second"], height=0.6, label="기본경비")
        for i, (b, k) in enumerate(zip(business, basic, strict=True)):
            ax.text(b + k, i, " " + format_number(b + k), va="center")
        ax.set_xlim(0, max(b + k for _, b, k in rows) * 1.25 or 1)
        _amount_axis(ax, table.unit)
        ax.legend(loc="lower right", frameon=False)
        ax.set_title("부서별 예산현액 구성 (사업예산 / 기본경비)", loc="left")

    alt = ", ".join(
        f"{n} 사업예산 {format_number(b)} 기본경비 {format_number(k)}{table.unit}" for n, b, k in rows
    )
    return ChartData(
        "composition", "부서별 예산 구성", f"부서별 예산현액 구성: {alt}", draw, 0.8 + 0.45 * len(rows)
    )


def change_chart(s: Settlement) -> ChartData | None:
    nxt = s.next_year
    if nxt is None:
        return None
    rows = [
        (ln.name, ln.change or 0)
        for ln in nxt.all_lines()
        if ln.kind in ("unit", "detail") or (ln.kind == "policy" and not ln.children)
    ]
    rows = [r for r in rows if r[1]]
    if not rows:
        return None
    rows.sort(key=lambda r: r[1])

    def draw(fig: Any) -> None:
        ax = fig.subplots()
        names = [r[0] for r in rows]
        values = [r[1] for r in rows]
        colors = [COLORS["up"] if v > 0 else COLORS["accent"] for v in values]
        ax.barh(names, values, color=colors, height=0.65)
        span = max(abs(v) for v in values)
        for i, v in enumerate(values):
            ax.text(
                v + (span * 0.01 if v > 0 else -span * 0.01),
                i,
                format_number(v),
                va="center",
                ha="left" if v > 0 else "right",
                fontsize=7,
            )
        ax.axvline(0, color="#404040", linewidth=0.8)
        ax.set_xlim(-span * 1.35, span * 1.35)
        _amount_axis(ax, nxt.unit)
        ax.tick_params(axis="y", labelsize=7)
        ax.set_title(f"{nxt.previous_year}년 대비 {nxt.year}년 예산 증감 (사업별, △ 감소)", loc="left")

    alt = ", ".join(f"{n} {format_number(v)}" for n, v in rows)
    return ChartData(
        "change", "사업별 예산 증감", f"사업별 예산 증감({nxt.unit}): {alt}", draw, 1.0 + 0.22 * len(rows)
    )


def revenue_chart(s: Settlement) -> ChartData | None:
    rev = s.revenue
    if rev is None or not rev.lines:
        return None
    rows = [
        (("└ " if ln.kind == "item" else "") + ln.name, ln.levied or 0, ln.received or 0)
        for ln in rev.all_lines()
        if ln.kind != "total"
    ]
    if not rows:
        return None

    def draw(fig: Any) -> None:
        ax = fig.subplots()
        names = [r[0] for r in rows][::-1]
        levied = [r[1] for r in rows][::-1]
        received = [r[2] for r in rows][::-1]
        ys = range(len(rows))
        ax.barh([y + 0.2 for y in ys], levied, height=0.38, color=COLORS["second"], label="징수결정액")
        ax.barh([y - 0.2 for y in ys], received, height=0.38, color=COLORS["main"], label="수납액")
        ax.set_yticks(list(ys), names)
        top = max(max(levied), max(received)) or 1
        for y, (lv, rc) in enumerate(zip(levied, received, strict=True)):
            ax.text(lv, y + 0.2, " " + format_number(lv), va="center", fontsize=7)
            ax.text(rc, y - 0.2, " " + format_number(rc), va="center", fontsize=7)
        ax.set_xlim(0, top * 1.3)
        _amount_axis(ax, rev.unit)
        ax.legend(loc="lower right", frameon=False)
        ax.set_title("세입 징수결정액과 수납액", loc="left")

    alt = ", ".join(f"{n} 징수결정 {format_number(lv)} 수납 {format_number(rc)}" for n, lv, rc in rows)
    return ChartData("revenue", "세입 징수결정·수납", f"세입({rev.unit}): {alt}", draw, 0.9 + 0.5 * len(rows))


CHARTS = {
    "rate": rate_chart,
    "composition": composition_chart,
    "change": change_chart,
    "revenue": revenue_chart,
}


def chart_data(s: Settlement) -> list[ChartData]:
    return [c for make in CHARTS.values() if (c := make(s)) is not None]


def render_all(s: Settlement, config: ReportConfig = DEFAULT) -> list[Figure]:
    """Every chart of a *prepared* settlement."""
    return [render_chart(c, config.font) for c in chart_data(s)]


def _figures(s: Settlement, cfg: ReportConfig, ids: tuple[str, ...]) -> list[Figure]:
    out = []
    for chart_id in ids:
        data = CHARTS[chart_id](s)
        if data is not None:
            out.append(render_chart(data, cfg.font))
    return out


def settlement_figures(s: Settlement, cfg: ReportConfig) -> list[Figure]:
    return _figures(s, cfg, ("rate", "composition"))


def change_figures(s: Settlement, cfg: ReportConfig) -> list[Figure]:
    return _figures(s, cfg, ("change",))


def revenue_figures(s: Settlement, cfg: ReportConfig) -> list[Figure]:
    return _figures(s, cfg, ("revenue",))


def write_charts(
    s: Settlement, folder: Path, config: ReportConfig = DEFAULT, figures: list[Figure] | None = None
) -> list[Path]:
    """``chart-<id>.png`` and ``chart-<id>.svg`` for every chart of the (prepared) settlement."""
    from gyeolsan.io.atomic import atomic_write

    paths = []
    for figure in figures if figures is not None else render_all(s, config):
        for suffix, data in ((".png", figure.png), (".svg", figure.svg or "")):
            path = folder / f"chart-{figure.id}{suffix}"
            atomic_write(path, data)
            paths.append(path)
    return paths
