"""The document model of a 결산 업무보고: format-neutral blocks that every writer renders.

A :class:`Document` is built from a :class:`~gyeolsan.model.Settlement` by :func:`build_document`;
every figure in it is computed from the data (totals from the leaves, rates recomputed, headlines and
card lines generated) — the stated values of the model are never printed. Writers
(``markdown``, ``html``, ``pdf``, ``docx``, ``xlsx``, ``hwpx``) only lay the blocks out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from collections.abc import Callable

    from gyeolsan.model import Finding, Settlement
    from gyeolsan.report.config import ReportConfig

_MD_ESCAPE = re.compile(r"\\([*_#\[\]\\`])")


def plain_text(text: str) -> str:
    """Text without the Markdown backslash escapes that converted report text keeps ("\\*" → "*"):
    what HTML, PDF and the office formats print."""
    return _MD_ESCAPE.sub(r"\1", text)


CellKind = Literal["text", "amount", "rate", "count"]
ParagraphStyle = Literal["normal", "bullet", "note", "headline", "lead"]


@dataclass(frozen=True)
class Cell:
    text: str  # as printed: "47,810,398", "△24,802", "-", "96.7"
    value: int | Decimal | None = None  # the number behind it (table unit / Decimal rate); None for text
    kind: CellKind = "text"
    formula: str | None = (
        None  # XLSX hint: "sum:children", "rate:spent/budget_current", "diff:current-previous", …
    )
    colspan: int = 1
    rowspan: int = 1


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    level: int = 0  # 0 total/split rows, 1 division, 2 policy, 3 unit, …
    bold: bool = False  # division and total rows
    key: str | None = (
        None  # stable id of the model row, e.g. "settlement/시민소통담당관/언론매체를 통한 시정정보제공"
    )
    children: tuple[int, ...] = ()  # indexes (within Table.rows) of the direct children


@dataclass(frozen=True)
class Table:
    id: str  # "settlement", "next_year", "staffing", "revenue", "expenditure", "audits", "card-3-1" …
    caption: str
    unit: str | None
    header: tuple[tuple[Cell, ...], ...]
    rows: tuple[Row, ...]
    columns: tuple[str, ...] = ()  # field name per column: "name", "budget", "budget_current", "spent", …
    widths: tuple[int, ...] = ()  # relative column widths


@dataclass(frozen=True)
class Heading:
    level: int  # 1 chapter, 2 section, 3 card title, 4 card sub-heading
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: ParagraphStyle = "normal"
    level: int = 0


class Figure:
    """A chart as PNG (≥ 200 dpi, for DOCX/HWPX) and SVG (vector, for HTML/PDF).

    Either both images are given, or a ``render(fmt)`` callable that draws one of them when a writer
    first asks for it (and keeps it): a PDF needs no PNG and a DOCX no SVG, and rendering an image
    nobody uses costs a quarter of a second per chart.
    """

    __slots__ = ("_png", "_render", "_svg", "alt", "id", "title")

    def __init__(
        self,
        id: str,
        title: str,
        png: bytes | None = None,
        svg: str | None = None,
        alt: str = "",
        render: Callable[[str], bytes | str] | None = None,
    ) -> None:
        if png is None and render is None:
            raise ValueError(f"figure {id!r}: give the PNG or a renderer")
        self.id, self.title, self.alt = id, title, alt
        self._png, self._svg, self._render = png, svg, render

    @property
    def png(self) -> bytes:
        if self._png is None:
            assert self._render is not None
            data = self._render("png")
            self._png = data if isinstance(data, bytes) else data.encode("utf-8")
        return self._png

    @property
    def svg(self) -> str | None:
        if self._svg is None and self._render is not None:
            data = self._render("svg")
            self._svg = data if isinstance(data, str) else data.decode("utf-8")
        return self._svg

    @property
    def renderer(self) -> Callable[[str], bytes | str] | None:
        return self._render

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Figure):
            return NotImplemented
        return (self.id, self.title, self.alt, self.png, self.svg) == (
            other.id,
            other.title,
            other.alt,
            other.png,
            other.svg,
        )

    def __hash__(self) -> int:
        return hash((self.id, self.title, self.alt))

    def __repr__(self) -> str:
        return f"Figure(id={self.id!r}, title={self.title!r})"


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Heading | Paragraph | Table | Figure | PageBreak


@dataclass(frozen=True)
class Document:
    title: str  # "2018 회계연도 세입 · 세출 결산 업무보고"
    office: str | None
    date: str | None  # "2019. 6. 17."
    blocks: tuple[Block, ...]
    meta: dict[str, str] = field(default_factory=dict)  # provenance: source, generated-at, version, findings

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def table(self, table_id: str) -> Table | None:
        return next((t for t in self.tables() if t.id == table_id), None)

    def figures(self) -> list[Figure]:
        return [b for b in self.blocks if isinstance(b, Figure)]


def build_document(
    settlement: Settlement,
    config: ReportConfig | None = None,
    *,
    findings: list[Finding] | None = None,
    charts: bool = True,
) -> Document:
    """The report of ``settlement``: sections I–IV (and a findings annex when ``findings`` is given)."""
    from gyeolsan.report.build import build

    return build(settlement, config, findings=findings, charts=charts).document
