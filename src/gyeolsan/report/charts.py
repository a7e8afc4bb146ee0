"""Charts of a prepared settlement (matplotlib, Agg, NanumGothic): PNG at 200 dpi and SVG.

- ``rate``        집행률 by division (with the office's rate as a line)
- ``composition`` 예산현액 by division split into 사업예산 / 기본경비 (stacked)
- ``change``      next year's 증감 by program (diverging bars, △ for decreases)
- ``revenue``     징수결정액 vs 수납액 by revenue line

Every value comes from the computed model (the same numbers as the tables).

Images are drawn only when a writer asks for them (a PDF needs the SVG, a DOCX the PNG) and kept in a
cache folder keyed by everything that decides the picture — the chart's data, title, size, font and the
versions of this module and of matplotlib — so a report re-made after a change of wording does not
draw its charts again. ``GYEOLSAN_CHART_CACHE`` names the folder (default
``$XDG_CACHE_HOME/gyeolsan/charts``, i.e. ``~/.cache/gyeolsan/charts``); ``GYEOLSAN_CHART_CACHE=off``
turns the cache off.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import warnings
from collections.abc import Callable, Sequence
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
    """One chart: its text, size and values, and the module-level function that paints those values
    on a matplotlib Figure. The picture is a function of these fields alone, which is what the cache
    key is made of."""

    id: str
    title: str
    alt: str
    paint: Callable[[Any, tuple[Any, ...]], None]  # paint(figure, data)
    height: float  # inches
    data: tuple[Any, ...] = ()  # every value paint() reads

    def draw(self, fig: Any) -> None:
        self.paint(fig, self.data)


_ready = False


def _setup(font: str) -> None:
    """Agg backend, NanumGothic registered once; no pyplot (its import alone costs ~0.3 s)."""
    global _ready
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib import font_manager

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


CACHE_LIMIT = 400  # files kept in the cache folder; the oldest go first


def cache_dir() -> Path | None:
    setting = os.environ.get("GYEOLSAN_CHART_CACHE", "")
    if setting.lower() in ("off", "0", "no", "false"):
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gyeolsan" / "charts"


@functools.cache
def _code_version() -> str:
    """What else decides a picture: gyeolsan's and matplotlib's versions and this module's code (read
    once per process: looking a version up costs ~6 ms)."""
    from importlib.metadata import version

    from gyeolsan import __version__

    code = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
    return f"gyeolsan-chart/1 {__version__} {version('matplotlib')} {code}"


def cache_key(chart: ChartData, font: str) -> str:
    parts = [
        _code_version(),
        font,
        str(DPI),
        chart.id,
        chart.title,
        chart.alt,
        repr(chart.height),
        repr(chart.data),
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def _cache_read(folder: Path | None, name: str) -> bytes | None:
    if folder is None:
        return None
    try:
        return (folder / name).read_bytes()
    except OSError:
        return None


def _cache_write(folder: Path | None, name: str, data: bytes) -> None:
    """Best effort: a cache that cannot be written (read-only home, full disk) only costs time."""
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{name}.{os.getpid()}.tmp"
        tmp.write_bytes(data)
        os.replace(tmp, folder / name)
        entries = [p for p in folder.iterdir() if not p.name.startswith(".")]
        if len(entries) > CACHE_LIMIT:
            entries.sort(key=lambda p: p.stat().st_mtime)
            for old in entries[: len(entries) - CACHE_LIMIT]:
                old.unlink(missing_ok=True)
    except OSError:
        pass


class ChartImages:
    """The images of one chart, made on demand: read from the cache, or drawn (once for both formats)
    and stored there. A :class:`Figure`'s renderer."""

    def __init__(self, chart: ChartData, font: str) -> None:
        self.chart, self.font = chart, font
        self.folder = cache_dir()
        self.key = cache_key(chart, font)
        self._fig: Any = None

    def cached(self, fmt: str) -> bool:
        return self.folder is not None and (self.folder / f"{self.key}.{fmt}").is_file()

    def __call__(self, fmt: str) -> bytes | str:
        name = f"{self.key}.{fmt}"
        data = _cache_read(self.folder, name)
        if data is None:
            if self._fig is None:
                self._fig = _draw(self.chart, self.font)
            data = _save(self._fig, fmt)
            _cache_write(self.folder, name, data)
        return data if fmt == "png" else data.decode("utf-8")


def render_chart(chart: ChartData, font: str = "NanumGothic") -> Figure:
    """The chart as a :class:`Figure` whose PNG (200 dpi) and SVG are made when first asked for:
    from the cache, or drawn with matplotlib (a missing glyph is an error, not a silent box)."""
    return Figure(id=chart.id, title=chart.title, alt=chart.alt, render=ChartImages(chart, font))


def prefetch(figures: Sequence[Figure], formats: Sequence[str]) -> None:
    """Draw the charts that are not cached yet on two cores: a forked process draws the largest chart
    (or charts) into the cache while this one draws the rest; the figures then read them from the
    cache. For the CLI only (a single-threaded process on Linux); elsewhere, or with the cache off,
    nothing happens here and each chart is drawn when first used."""
    from gyeolsan.report import can_fork

    todo = [
        f.renderer
        for f in figures
        if isinstance(f.renderer, ChartImages) and not all(f.renderer.cached(x) for x in formats)
    ]
    if len(todo) < 2 or todo[0].folder is None or not can_fork():
        return
    _setup(todo[0].font)
    import matplotlib.figure  # noqa: F401 - imported once, before the fork, for both processes

    todo.sort(key=lambda c: -_work(c.chart))
    theirs, mine = [todo[0]], todo[1:]
    while (
        len(mine) > 1
        and sum(map(_work, (c.chart for c in theirs))) < sum(map(_work, (c.chart for c in mine))) / 2
    ):
        theirs.append(mine.pop(0))
    from gyeolsan.report import forked

    def draw(share: list[ChartImages]) -> None:
        for images in share:
            for fmt in formats:
                images(fmt)

    forked(lambda: draw(theirs), lambda: draw(mine))


def _work(chart: ChartData) -> int:
    """How much there is to draw: the number of bars."""
    rows = chart.data[0] if chart.data else ()
    return len(rows) if isinstance(rows, tuple) else 1


def _draw(chart: ChartData, font: str) -> Any:
    """Draw and lay out once (tight layout, then fixed: saving in two formats does not lay out again)."""
    _setup(font)
    from matplotlib.figure import Figure as MplFigure

    fig = MplFigure(figsize=(7.0, chart.height))
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*[Gg]lyph.*missing.*")
        chart.draw(fig)
        fig.tight_layout(pad=0.4)  # measures every text: a missing glyph is raised here
    return fig


def _save(fig: Any, fmt: str) -> bytes:
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*[Gg]lyph.*missing.*")
        out = io.BytesIO()
        if fmt == "png":
            # fast zlib level: the picture is the same, the file ~30 % larger, the encoding 4× faster
            fig.savefig(out, format="png", dpi=DPI, pil_kwargs={"compress_level": 1})
        else:
            fig.savefig(out, format="svg", metadata={"Date": None})
        return out.getvalue()


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
    rows = tuple((d.name, d.rate) for d in table.divisions if d.rate is not None)
    if not rows:
        return None
    total = table.root("total")
    alt = ", ".join(f"{n} {format_rate(r)}%" for n, r in rows)
    return ChartData(
        "rate",
        "부서별 집행률",
        f"부서별 집행률: {alt}",
        paint_rate,
        0.6 + 0.45 * len(rows),
        (rows, total.rate if total is not None else None),
    )


def paint_rate(fig: Any, data: tuple[Any, ...]) -> None:
    rows, total_rate = data
    ax = fig.subplots()
    names = [n for n, _ in rows][::-1]
    values = [float(r) for _, r in rows][::-1]
    bars = ax.barh(names, values, color=COLORS["main"], height=0.6)
    for bar, (_, r) in zip(bars, rows[::-1], strict=True):
        y = bar.get_y() + bar.get_height() / 2
        ax.text(bar.get_width() - 1, y, format_rate(r), va="center", ha="right", color="white")
    if total_rate is not None:
        ax.axvline(float(total_rate), color=COLORS["accent"], linewidth=1, linestyle="--")
        label = f"전체 {format_rate(total_rate)}%"
        # left of the dashed line, so the line does not cross the label
        ax.text(
            float(total_rate) - 1, len(rows) - 0.45, label, color=COLORS["accent"], ha="right", va="bottom"
        )
    ax.set_xlim(0, 105)
    ax.set_ylim(-0.6, len(rows) - 0.1)
    ax.set_xlabel("집행률(%)")
    ax.grid(axis="x", color=COLORS["grid"], linewidth=0.6)
    ax.set_axisbelow(True)
    ax.set_title("부서별 집행률 (집행액 ÷ 예산현액)", loc="left")


def composition_chart(s: Settlement) -> ChartData | None:
    table = s.settlement
    if table is None or not table.divisions:
        return None
    rows = []
    for d in table.divisions:
        basic = sum(c.budget_current or 0 for c in d.children if c.kind == "basic")
        business = (d.budget_current or 0) - basic
        rows.append((d.name, business, basic))
    alt = ", ".join(
        f"{n} 사업예산 {format_number(b)} 기본경비 {format_number(k)}{table.unit}" for n, b, k in rows
    )
    return ChartData(
        "composition",
        "부서별 예산 구성",
        f"부서별 예산현액 구성: {alt}",
        paint_composition,
        0.8 + 0.45 * len(rows),
        (tuple(rows), table.unit),
    )


def paint_composition(fig: Any, data: tuple[Any, ...]) -> None:
    rows, unit = data
    ax = fig.subplots()
    names = [r[0] for r in rows][::-1]
    business = [r[1] for r in rows][::-1]
    basic = [r[2] for r in rows][::-1]
    ax.barh(names, business, color=COLORS["main"], height=0.6, label="사업예산")
    ax.barh(names, basic, left=business, color=COLORS["second"], height=0.6, label="기본경비")
    for i, (b, k) in enumerate(zip(business, basic, strict=True)):
        ax.text(b + k, i, " " + format_number(b + k), va="center")
    ax.set_xlim(0, max(b + k for _, b, k in rows) * 1.25 or 1)
    _amount_axis(ax, unit)
    ax.legend(loc="lower right", frameon=False)
    ax.set_title("부서별 예산현액 구성 (사업예산 / 기본경비)", loc="left")


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
    alt = ", ".join(f"{n} {format_number(v)}" for n, v in rows)
    return ChartData(
        "change",
        "사업별 예산 증감",
        f"사업별 예산 증감({nxt.unit}): {alt}",
        paint_change,
        1.0 + 0.22 * len(rows),
        (tuple(rows), nxt.unit, nxt.previous_year, nxt.year),
    )


def paint_change(fig: Any, data: tuple[Any, ...]) -> None:
    rows, unit, previous_year, year = data
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
    _amount_axis(ax, unit)
    ax.tick_params(axis="y", labelsize=7)
    ax.set_title(f"{previous_year}년 대비 {year}년 예산 증감 (사업별, △ 감소)", loc="left")


def revenue_chart(s: Settlement) -> ChartData | None:
    rev = s.revenue
    if rev is None or not rev.lines:
        return None
    rows = tuple(
        (("└ " if ln.kind == "item" else "") + ln.name, ln.levied or 0, ln.received or 0)
        for ln in rev.all_lines()
        if ln.kind != "total"
    )
    if not rows:
        return None
    alt = ", ".join(f"{n} 징수결정 {format_number(lv)} 수납 {format_number(rc)}" for n, lv, rc in rows)
    return ChartData(
        "revenue",
        "세입 징수결정·수납",
        f"세입({rev.unit}): {alt}",
        paint_revenue,
        0.9 + 0.5 * len(rows),
        (rows, rev.unit),
    )


def paint_revenue(fig: Any, data: tuple[Any, ...]) -> None:
    rows, unit = data
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
    _amount_axis(ax, unit)
    ax.legend(loc="lower right", frameon=False)
    ax.set_title("세입 징수결정액과 수납액", loc="left")


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
