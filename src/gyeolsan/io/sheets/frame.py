"""From a sheet grid and its header to a polars frame of raw cell texts, and the vectorised parsing of it.

Both paths meet here: a workbook or small CSV becomes a frame from Python lists; a large CSV is
scanned lazily by polars (``bigcsv``). After that, the same expressions parse amounts, split
"code name" cells, fill blank key cells down, and label subtotal rows — so both paths behave alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import polars as pl

from gyeolsan.io.sheets.header import Header
from gyeolsan.io.sheets.profiles import ATTRIBUTE_KEYS, CODE_SUFFIX, Profile
from gyeolsan.io.sheets.reader import Sheet
from gyeolsan.io.sheets.text import CODE_NAME

ROW = "_row"  # sheet row / file line of each record
LABEL = "_label"  # index (in ``keys``) of the key column that holds a subtotal label, else null
LEVEL = "_level"  # 0 total, 1 subtotal, 2 second-level subtotal; null = detail row
LABEL_TEXT = "_label_text"  # the label as printed ("합계", "소계", "서울특별시 계")
BAD = "_bad"  # the row has an amount that could not be read
ERR = "__err_"  # prefix: amount cell that could not be read
FRAC = "__frac_"  # prefix: amount that is not a whole number
NOTE_ROW = re.compile(r"^\s*(※|주\s*[)）:]|\*|자료\s*[:：]|출처\s*[:：])")


@dataclass
class FrameSpec:
    """What the frame holds: key fields in hierarchy order, amount fields, other text fields."""

    keys: list[str]
    money: list[str]
    texts: list[str]
    fill_down: set[str] = field(default_factory=set)


def data_rows(sheet: Sheet, header: Header) -> list[tuple[int, list[str | None]]]:
    """Rows below the header that hold data: empty rows and footnotes (※ …) are skipped."""
    out = []
    for i in range(header.end + 1, len(sheet.rows)):
        row = sheet.rows[i]
        cells = [c for c in row if c]
        if not cells:
            continue
        if len(cells) == 1 and NOTE_ROW.match(cells[0]):
            continue
        out.append((sheet.row_number(i), row))
    return out


def frame_from_rows(
    rows: list[tuple[int, list[str | None]]], header: Header, names: list[str]
) -> pl.DataFrame:
    data: dict[str, list[object]] = {ROW: [n for n, _ in rows]}
    for name in names:
        col = header.columns[name]
        data[name] = [r[col] if col < len(r) else None for _, r in rows]
    schema = {ROW: pl.Int64, **{n: pl.String for n in names}}
    return pl.DataFrame(data, schema=schema)


# ------------------------------------------------------------------------------ amounts


def parse_money(lf: pl.LazyFrame, names: list[str]) -> pl.LazyFrame:
    """Parse amount columns exactly (no floats): "1,234", "△1,234", "(1,234)", "3.1014729524E10", "-".

    Each column becomes Int64, with ``__err_name`` (text that is not a number) and ``__frac_name``
    (not a whole number). Cheap string operations in stages — one big nested expression would be
    re-evaluated for every use of each part, which costs seconds on a million rows.
    """
    if not names:
        return lf
    t = {n: f"__m_{n}_" for n in names}
    stage1 = []
    for n in names:
        clean = (
            pl.col(n)
            .str.replace_all(",", "", literal=True)
            .str.replace_all(" ", "", literal=True)
            .str.strip_chars()
        )
        stage1.append(clean.alias(t[n] + "s"))
    lf = lf.with_columns(stage1)
    stage2 = []
    for n in names:
        s = pl.col(t[n] + "s")
        neg = (
            s.str.starts_with("△") | s.str.starts_with("▽") | s.str.starts_with("▼") | s.str.starts_with("-")
        )
        paren = s.str.starts_with("(") & s.str.ends_with(")")
        body = s.str.strip_chars("()").str.strip_chars_start("△▽▼▲+-").str.to_uppercase()
        stage2 += [
            (neg | paren).alias(t[n] + "neg"),
            (pl.col(n).is_null() | s.is_in(["", "-", "–", "—", "―", "‐", "△"])).alias(t[n] + "blank"),
            body.alias(t[n] + "b"),
        ]
    lf = lf.with_columns(stage2)
    stage3 = []
    for n in names:
        b = pl.col(t[n] + "b")
        me = b.str.split_exact("E", 1)
        stage3 += [
            me.struct.field("field_0").alias(t[n] + "mant"),
            me.struct.field("field_1").alias(t[n] + "exp"),
            (
                (b.str.count_matches(".", literal=True) <= 1) & (b.str.count_matches("E", literal=True) <= 1)
            ).alias(t[n] + "shape"),
        ]
    lf = lf.with_columns(stage3)
    stage4 = []
    for n in names:
        ipf = pl.col(t[n] + "mant").str.split_exact(".", 1)
        stage4 += [
            ipf.struct.field("field_0").alias(t[n] + "ip"),
            ipf.struct.field("field_1").fill_null("").alias(t[n] + "fp"),
            pl.col(t[n] + "exp")
            .fill_null("0")
            .str.strip_chars_start("+")
            .cast(pl.Int64, strict=False)
            .alias(t[n] + "ex"),
        ]
    lf = lf.with_columns(stage4)
    stage5 = []
    for n in names:
        ip, fp = pl.col(t[n] + "ip"), pl.col(t[n] + "fp")
        joined = ip + fp
        good = pl.col(t[n] + "shape") & (ip.str.len_bytes() > 0) & joined.str.len_bytes().is_between(1, 18)
        stage5 += [
            pl.when(good).then(joined.cast(pl.UInt64, strict=False).cast(pl.Int64)).alias(t[n] + "digits"),
            (fp.str.len_bytes().cast(pl.Int64) - pl.col(t[n] + "ex")).clip(-18, 18).alias(t[n] + "scale"),
        ]
    lf = lf.with_columns(stage5)
    ten = pl.lit(10, dtype=pl.Int64)
    stage6 = []
    for n in names:
        digits, scale = pl.col(t[n] + "digits"), pl.col(t[n] + "scale")
        stage6 += [
            ten.pow(scale.abs()).alias(t[n] + "pow"),
        ]
    lf = lf.with_columns(stage6)
    stage7 = []
    for n in names:
        digits, scale, power = pl.col(t[n] + "digits"), pl.col(t[n] + "scale"), pl.col(t[n] + "pow")
        magnitude = pl.when(scale <= 0).then(digits * power).otherwise(digits // power)
        fraction = (scale > 0) & (digits % power != 0)
        ok = digits.is_not_null() & pl.col(t[n] + "ex").is_not_null()
        blank, neg = pl.col(t[n] + "blank"), pl.col(t[n] + "neg")
        value = pl.when(blank).then(pl.lit(0, pl.Int64)).when(neg).then(-magnitude).otherwise(magnitude)
        stage7 += [
            pl.when(pl.col(n).is_null()).then(None).otherwise(value).alias(n),
            (~blank & ~ok).fill_null(True).alias(ERR + n),
            (~blank & ok & fraction).fill_null(False).alias(FRAC + n),
        ]
    lf = lf.with_columns(stage7)
    temps = [
        t[n] + x
        for n in names
        for x in (
            "s",
            "neg",
            "blank",
            "b",
            "mant",
            "exp",
            "shape",
            "ip",
            "fp",
            "ex",
            "digits",
            "scale",
            "pow",
        )
    ]
    return lf.drop(temps)


# ------------------------------------------------------------------------------ codes and names


def code_split_columns(frame: pl.DataFrame, keys: list[str], present: set[str]) -> list[str]:
    """Key columns whose cells mostly hold "code name" together (and have no separate code column)."""
    out = []
    sample = frame.head(2000)
    for k in keys:
        if k + CODE_SUFFIX in present or k not in sample.columns:
            continue
        col = sample[k].drop_nulls()
        if col.is_empty():
            continue
        share = col.str.contains(CODE_NAME).mean()
        if share is not None and share >= 0.6:  # type: ignore[operator]
            out.append(k)
    return out


def split_codes(split: list[str]) -> list[pl.Expr]:
    exprs: list[pl.Expr] = []
    for k in split:
        parts = pl.col(k).str.extract_groups(CODE_NAME)
        code = parts.struct.field("1")
        name = parts.struct.field("2").str.strip_chars()
        exprs.append(code.alias(k + CODE_SUFFIX))
        exprs.append(pl.when(code.is_not_null()).then(name).otherwise(pl.col(k)).alias(k))
    return exprs


# ------------------------------------------------------------------------------ subtotal rows


def label_rows(lf: pl.LazyFrame, cols: list[tuple[str, int]], profile: Profile) -> pl.LazyFrame:
    """Add ``_label`` (sheet column of the cell that says 합계/소계), ``_level`` and ``_label_text``.

    ``cols`` are the text columns that may hold such a label, with their sheet column.
    """
    pats = [
        (0, "|".join(f"(?:{p})" for p in profile.total_labels)),
        (2, "|".join(f"(?:{p})" for p in profile.group2_labels)),
        (1, "|".join(f"(?:{p})" for p in profile.subtotal_labels)),
    ]
    pats = [(v, p) for v, p in pats if p]
    if not cols or not pats:
        return lf.with_columns(
            pl.lit(None, pl.Int64).alias(LABEL),
            pl.lit(None, pl.Int64).alias(LEVEL),
            pl.lit(None, pl.String).alias(LABEL_TEXT),
        )
    ordered = sorted(cols, key=lambda x: x[1])
    stage = []
    for i, (name, _col) in enumerate(ordered):
        cell = pl.col(name).str.replace_all(r"\s", "")
        level: pl.Expr = pl.lit(None, pl.Int64)
        for value, pat in reversed(pats):  # total wins over subtotal2 over subtotal
            level = (
                pl.when(cell.str.contains(pat).fill_null(False))
                .then(pl.lit(value, pl.Int64))
                .otherwise(level)
            )
        stage.append(level.alias(f"__lab_{i}"))
    lf = lf.with_columns(stage)
    levels = [pl.col(f"__lab_{i}") for i in range(len(ordered))]
    label = pl.coalesce(
        [
            pl.when(lv.is_not_null()).then(pl.lit(col, pl.Int64))
            for lv, (_, col) in zip(levels, ordered, strict=True)
        ]
    )
    text = pl.coalesce(
        [pl.when(lv.is_not_null()).then(pl.col(name)) for lv, (name, _) in zip(levels, ordered, strict=True)]
    )
    lf = lf.with_columns(label.alias(LABEL), pl.coalesce(levels).alias(LEVEL), text.alias(LABEL_TEXT))
    return lf.drop([f"__lab_{i}" for i in range(len(ordered))])


def fill_keys(
    lf: pl.LazyFrame, keys: list[tuple[str, int]], fill_down: set[str], position: str
) -> pl.LazyFrame:
    """Blank key cells: a detail row takes the value above (merged cells, "same as above" blanks);
    a subtotal row takes, for the hierarchy columns left of its label, the detail row before it
    ("after" layout) or after it ("before" layout). Attribute columns (회계, 분야, 부문) of a subtotal
    row count only when printed: a 부서 소계 covers every 분야 of the 부서. ``keys``: (name, column)."""
    if not keys:
        return lf
    is_detail = pl.col(LABEL).is_null()
    stage = []
    for k, _col in keys:
        detail_value = pl.when(is_detail).then(pl.col(k))
        stage.append(
            (detail_value.forward_fill() if position == "after" or k in fill_down else detail_value).alias(
                f"__ff_{k}"
            )
        )
        if position != "after":
            stage.append(detail_value.backward_fill().alias(f"__bf_{k}"))
    lf = lf.with_columns(stage)
    out = []
    for k, col in keys:
        ff = pl.col(f"__ff_{k}")
        detail = pl.col(k).fill_null(ff) if k in fill_down else pl.col(k)
        if k.removesuffix(CODE_SUFFIX) in ATTRIBUTE_KEYS:
            scoped = pl.col(k)
        else:
            scoped = pl.col(k).fill_null(ff if position == "after" else pl.col(f"__bf_{k}"))
        scope = pl.when(pl.col(LABEL) > col).then(scoped)
        out.append(pl.when(is_detail).then(detail).otherwise(scope).alias(k))
    lf = lf.with_columns(out)
    temps = [f"__ff_{k}" for k, _ in keys] + ([f"__bf_{k}" for k, _ in keys] if position != "after" else [])
    return lf.drop(temps)
