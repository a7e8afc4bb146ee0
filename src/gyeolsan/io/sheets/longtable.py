"""Long tables (one record per row: 세출 집행 현황, 세입 징수 현황): prepare, then check.

Every check is a lazy polars query over the prepared frame, so a million-row CSV is checked in
streaming passes with bounded memory, and a small workbook goes through the very same code.
Findings point at the cell (sheet and "B17", or file line and column for CSV).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from gyeolsan.io.sheets import frame as fr
from gyeolsan.io.sheets.profiles import (
    CODE_SUFFIX,
    KEYS_BY_KIND,
    MONEY_BY_KIND,
    Profile,
)
from gyeolsan.io.sheets.text import cell_ref
from gyeolsan.model import Finding, Location, Severity
from gyeolsan.model.labels import FIELD_LABELS
from gyeolsan.model.numbers import UNIT_FACTOR, Unit, format_number

MAX_EXAMPLES = 20  # per kind of problem; the rest are counted in one more finding
ROUNDING_SLACK = 2  # a subtotal off by at most this much is a rounding note, not a warning

FIELD_KO = {
    **FIELD_LABELS,
    "spent": "지출액",
    "amount": "금액",
    "government": "자치단체",
    "account": "회계",
    "office": "실국",
    "department": "부서",
    "field": "분야",
    "sector": "부문",
    "policy": "정책사업",
    "unit": "단위사업",
    "detail": "세부사업",
    "item": "통계목",
    "chapter": "장",
    "section": "관",
    "subsection": "항",
}


@dataclass
class RawTable:
    """A table found in a sheet or CSV: raw cell texts plus where they came from."""

    profile: Profile
    path: str  # as shown to the user
    sheet: str | None  # None for CSV
    frame: pl.LazyFrame  # ``_row`` + one String column per mapped field
    columns: dict[str, int]  # field → 0-based column in the sheet
    col_units: dict[str, str] = field(default_factory=dict)  # field → unit printed in its header label
    unit: str | None = None
    unit_note: str | None = None  # where the unit came from, when not from a unit line
    title: str | None = None
    office: str | None = None  # printed above the header ("실국: …")
    year: int | None = None
    header_rows: tuple[int, int] = (1, 1)  # 1-based, inclusive
    source_kind: str = "xlsx"  # "xlsx" | "csv" | "json" (rows of a JSON response: record numbers)
    streaming: bool = False
    findings: list[Finding] = field(default_factory=list)

    @property
    def is_csv(self) -> bool:
        return self.source_kind == "csv"

    def location(self, row: int | None, fname: str | None = None, name: str | None = None) -> Location:
        col = self.columns.get(fname or "") if fname else None
        if col is None and fname and fname.endswith(CODE_SUFFIX):
            col = self.columns.get(fname.removesuffix(CODE_SUFFIX))
        json = self.source_kind == "json"
        cell = cell_ref(col, row) if (col is not None and row is not None and not json) else None
        if json and row is not None:
            name = f"레코드 {row - 1}" + (f" ({name})" if name else "")
        return Location(
            path=self.path,
            line=row if self.is_csv else None,
            column=(col + 1) if (self.is_csv and col is not None) else None,
            sheet=self.sheet,
            cell=cell,
            table=self.profile.title,
            row=name,
            field=FIELD_KO.get(fname or "", fname) if fname else None,
        )

    def collect(self, lf: pl.LazyFrame) -> pl.DataFrame:
        return lf.collect(engine="streaming") if self.streaming else lf.collect()


@dataclass
class Prepared:
    raw: RawTable
    lf: pl.LazyFrame
    keys: list[str]  # key columns in file order (codes included)
    money: list[str]
    unit: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def details(self) -> pl.LazyFrame:
        """Detail rows whose amounts could all be read (unreadable ones are errors already)."""
        return self.lf.filter(pl.col(fr.LEVEL).is_null() & ~pl.col(fr.BAD))

    @property
    def subtotals(self) -> pl.LazyFrame:
        return self.lf.filter(pl.col(fr.LEVEL).is_not_null())

    def has(self, name: str) -> bool:
        return name in self.money or name in self.keys

    def column(self, key: str) -> int:
        """Sheet column of a key (a code split from a "code name" cell sits in its name's column)."""
        cols = self.raw.columns
        return cols[key] if key in cols else cols.get(key.removesuffix(CODE_SUFFIX), 10**6)

    def field_at(self, col: int) -> str | None:
        return next((f for f, c in self.raw.columns.items() if c == col), None)


def _finding(
    rule: str, severity: Severity, ko: str, en: str, loc: Location, **extra: str | None | tuple[Location, ...]
) -> Finding:
    return Finding(rule=rule, severity=severity, message=ko, message_en=en, location=loc, **extra)  # type: ignore[arg-type]


def _more(
    rule: str, severity: Severity, count: int, shown: int, what_ko: str, what_en: str, loc: Location
) -> list[Finding]:
    if count <= shown:
        return []
    return [
        _finding(
            rule,
            severity,
            f"{what_ko}: 위 {shown}건 외에 {count - shown:,}건이 더 있습니다 (모두 {count:,}건)",
            f"{what_en}: {count - shown:,} more beyond the {shown} shown ({count:,} in all)",
            loc,
        )
    ]


# ------------------------------------------------------------------------------ prepare


PAD = "__pad_"  # a 분야/부문 code that had lost its leading zero (Excel stored it as a number)


def prepare(raw: RawTable) -> Prepared:
    """Label subtotal rows, fill blank keys, split "code name" cells, parse amounts, unify units.

    Purely lazy: nothing is read here. The caller materialises the result once (``materialise``).
    """
    profile = raw.profile
    kind = profile.kind
    base_keys = sorted((k for k in KEYS_BY_KIND[kind] if k in raw.columns), key=lambda k: raw.columns[k])
    code_cols = [k + CODE_SUFFIX for k in KEYS_BY_KIND[kind] if k + CODE_SUFFIX in raw.columns]
    keys = sorted(base_keys + code_cols, key=lambda k: raw.columns[k])
    money = [m for m in MONEY_BY_KIND[kind] if m in raw.columns]
    fill_down = {k for k in keys if _fills(profile, k)}
    # Which columns hold "code name" together: decided on the raw first rows (cheap, no full pass).
    head = raw.collect(raw.frame.head(2000)) if raw.columns else pl.DataFrame()
    split = fr.code_split_columns(head, base_keys, set(raw.columns))
    lf = raw.frame
    text_cols = [(k, raw.columns[k]) for k in raw.columns if k not in money]
    lf = fr.label_rows(lf, text_cols, profile)
    lf = fr.fill_keys(lf, [(k, raw.columns[k]) for k in keys], fill_down, profile.subtotal_position)
    if split:
        lf = lf.with_columns(fr.split_codes(split))
        keys = keys + [k + CODE_SUFFIX for k in split if k + CODE_SUFFIX not in keys]
    lf = fr.parse_money(lf, money)
    flags = [pl.col(prefix + m) for m in money for prefix in (fr.ERR, fr.FRAC)]
    lf = lf.with_columns((pl.any_horizontal(flags) if flags else pl.lit(False)).alias(fr.BAD))
    item_code = "item" + CODE_SUFFIX
    if item_code in keys:
        lf = lf.with_columns(pl.col(item_code).str.replace_all("-", "", literal=True))
    for code in ("field" + CODE_SUFFIX, "sector" + CODE_SUFFIX):
        if code in keys:
            short = pl.col(code).str.contains(r"^\d{1,2}$").fill_null(False)
            lf = lf.with_columns(short.alias(PAD + code)).with_columns(
                pl.when(pl.col(PAD + code))
                .then(pl.col(code).str.zfill(3))
                .otherwise(pl.col(code))
                .alias(code)
            )
    unit, unit_findings, lf = _unify_units(raw, money, lf)
    return Prepared(raw, lf, keys, money, unit, unit_findings)


def materialise(p: Prepared, spill: Path | None = None) -> None:
    """Run the preparation once: into memory, or (large files) into a Parquet file read back lazily."""
    if spill is None:
        p.lf = p.lf.collect().lazy()
        return
    p.lf.sink_parquet(spill)
    p.lf = pl.scan_parquet(spill)
    p.raw.streaming = False


def check_padding(p: Prepared) -> list[Finding]:
    """Codes that had lost their leading zero were padded (IMP144, info)."""
    out = []
    for code in ("field" + CODE_SUFFIX, "sector" + CODE_SUFFIX):
        if PAD + code not in p.lf.collect_schema().names():
            continue
        n, first = p.raw.collect(p.lf.filter(pl.col(PAD + code)).select(pl.len(), pl.col(fr.ROW).min())).row(
            0
        )
        if n:
            out.append(
                _finding(
                    "IMP144",
                    Severity.INFO,
                    f"{FIELD_KO[code.removesuffix(CODE_SUFFIX)]} 코드 {n:,}건의 앞자리 0이 빠져 있어 세 자리로 보정했습니다 (예: 10 → 010)",
                    f"{n:,} {code} values had lost their leading zero (Excel number); padded to three digits",
                    p.raw.location(first, code),
                    hint="코드 열을 텍스트 형식으로 저장하세요",
                )
            )
    return out


def table_years(p: Prepared) -> list[int]:
    """Fiscal years named in a 회계연도 column (empty when there is none)."""
    if "year" not in p.raw.columns:
        return []
    got = p.raw.collect(p.lf.select(pl.col("year").str.extract(r"((?:19|20)\d\d)").drop_nulls().unique()))
    return sorted(int(y) for y in got["year"].to_list())


def _fills(profile: Profile, key: str) -> bool:
    spec = profile.fields.get(key) or profile.fields.get(key.removesuffix(CODE_SUFFIX))
    if spec is not None and spec.fill_down:
        return True
    base = key.removesuffix(CODE_SUFFIX)
    own = profile.fields.get(base)
    return own is not None and own.fill_down


def _unify_units(
    raw: RawTable, money: list[str], lf: pl.LazyFrame
) -> tuple[str, list[Finding], pl.LazyFrame]:
    """One unit for the table; columns printed in another unit are converted down (exactly)."""
    units = {m: raw.col_units.get(m) or raw.unit for m in money}
    known = {u for u in units.values() if u}
    findings: list[Finding] = []
    if not known:
        return raw.unit or "원", findings, lf
    finest = min(known, key=lambda u: UNIT_FACTOR[Unit(u)])
    if finest == "만원":  # the model has no 만원 tables
        finest = "원"
    converted = [m for m, u in units.items() if u and u != finest]
    if converted:
        lf = lf.with_columns(
            [pl.col(m) * (UNIT_FACTOR[Unit(units[m])] // UNIT_FACTOR[Unit(finest)]) for m in converted]  # type: ignore[arg-type]
        )
        if len(known) > 1 or (raw.unit and raw.unit != finest and any(raw.col_units.values())):
            detail = ", ".join(f"{FIELD_KO.get(m, m)}({units[m]})" for m in converted)
            findings.append(
                _finding(
                    "IMP141",
                    Severity.WARNING,
                    f"열마다 단위가 다릅니다: {detail} → 모두 {finest} 단위로 환산했습니다",
                    f"Mixed units across columns ({detail}); all converted to {finest}",
                    raw.location(raw.header_rows[0], converted[0]),
                    hint="한 표에는 한 단위만 쓰세요",
                )
            )
    return finest, findings, lf


# ------------------------------------------------------------------------------ checks


def check_cells(p: Prepared) -> list[Finding]:
    """Text in amount cells (IMP110) and amounts that are not whole numbers (IMP111): errors."""
    raw = p.raw
    out: list[Finding] = []
    for prefix, rule, ko, en in (
        (fr.ERR, "IMP110", "금액 칸에 숫자가 아닌 값이 있습니다", "Text in an amount cell"),
        (fr.FRAC, "IMP111", "금액이 정수가 아닙니다 (소수점 이하가 있음)", "Amount is not a whole number"),
    ):
        flags = [pl.col(prefix + m) for m in p.money]
        if not flags:
            continue
        bad = p.lf.filter(pl.any_horizontal(flags))
        count = raw.collect(bad.select(pl.len())).item()
        if not count:
            continue
        cols = [fr.ROW, *[c for c in raw.columns if c in p.money], *[prefix + m for m in p.money]]
        # the original text is gone after parsing: read it again from the raw frame
        sample = raw.collect(bad.select(cols).head(MAX_EXAMPLES))
        rows = sample[fr.ROW].to_list()
        originals = raw.collect(raw.frame.filter(pl.col(fr.ROW).is_in(rows)))
        by_row = {r[fr.ROW]: r for r in originals.iter_rows(named=True)}
        shown = 0
        for rec in sample.iter_rows(named=True):
            for m in p.money:
                if rec[prefix + m]:
                    text = by_row.get(rec[fr.ROW], {}).get(m)
                    out.append(
                        _finding(
                            rule,
                            Severity.ERROR,
                            f"{ko}: {FIELD_KO.get(m, m)} '{text}'",
                            f"{en}: {m} {text!r}",
                            raw.location(rec[fr.ROW], m),
                            hint="숫자만 입력하세요 (쉼표·△·괄호 음수는 읽습니다)",
                            stated=text,
                        )
                    )
                    shown += 1
        out.extend(_more(rule, Severity.ERROR, count, len(sample), ko, en, raw.location(None)))
    return out


def check_keys(p: Prepared, required: list[str]) -> list[Finding]:
    """A detail row without the key that places it (no 부서, no 사업) cannot be counted: error."""
    raw = p.raw
    out: list[Finding] = []
    for name in required:
        if name not in p.keys:
            continue
        bad = p.details.filter(
            pl.col(name).is_null() & pl.any_horizontal([pl.col(m).is_not_null() for m in p.money])
        )
        count = raw.collect(bad.select(pl.len())).item()
        if not count:
            continue
        for row in raw.collect(bad.select(fr.ROW).head(MAX_EXAMPLES))[fr.ROW].to_list():
            out.append(
                _finding(
                    "IMP123",
                    Severity.ERROR,
                    f"{FIELD_KO.get(name, name)} 칸이 비어 있어 이 행을 어디에 더할지 알 수 없습니다",
                    f"The {name} cell is empty: the row cannot be placed in the hierarchy",
                    raw.location(row, name),
                )
            )
        out.extend(
            _more(
                "IMP123",
                Severity.ERROR,
                count,
                min(count, MAX_EXAMPLES),
                f"빈 {FIELD_KO.get(name, name)} 칸",
                f"empty {name}",
                raw.location(None),
            )
        )
    return out


def check_duplicates(p: Prepared) -> list[Finding]:
    """The same row twice (same keys, same amounts) would be counted twice: error (IMP121).

    Rows are compared by a hash of all their keys and amounts (one pass), then the few candidates
    are compared exactly.
    """
    raw = p.raw
    keys = list(p.keys)
    if not keys:
        return []
    cols = keys + p.money
    hashed = p.details.select(fr.ROW, pl.struct(cols).hash().alias("_h"))
    candidates = hashed.filter(pl.col("_h").is_duplicated())
    count_rows = raw.collect(candidates.select(pl.len())).item()
    if not count_rows:
        return []
    rows = raw.collect(candidates.select(fr.ROW))[fr.ROW]
    exact = (
        p.details.filter(pl.col(fr.ROW).is_in(rows.implode()))
        .group_by(cols)
        .agg(pl.len().alias("_n"), pl.col(fr.ROW).sort().alias("_rows"))
        .filter(pl.col("_n") > 1)
        .sort(pl.col("_rows").list.first())
    )
    found = raw.collect(exact)
    out = []
    for rec in found.head(MAX_EXAMPLES).iter_rows(named=True):
        rows_ = rec["_rows"]
        name = next((rec[k] for k in reversed(keys) if not k.endswith(CODE_SUFFIX) and rec.get(k)), None)
        out.append(
            _finding(
                "IMP121",
                Severity.ERROR,
                f"같은 행이 {rec['_n']}번 있습니다 ({', '.join(map(str, rows_[:5]))}행): 두 번 더해질 수 있습니다",
                f"Duplicated row ({rec['_n']} times, rows {', '.join(map(str, rows_[:5]))}): it would be counted twice",
                raw.location(rows_[1], keys[-1], name),
                hint="중복된 행을 지우세요",
                related=tuple(raw.location(r, keys[-1]) for r in rows_[:1]),
            )
        )
    out.extend(
        _more(
            "IMP121", Severity.ERROR, found.height, len(out), "중복 행", "duplicated rows", raw.location(None)
        )
    )
    return out


def check_identities(p: Prepared) -> list[Finding]:
    """Row identities: 예산현액 = 지출 + 이월 + 반납 + 집행잔액 (세출); 미수납 = 징수결정 − 수납 − 결손 (세입);
    집행률 over 100 % (지출 > 예산현액 warning; 지출 > 예산액 only, an info note)."""
    raw = p.raw
    out: list[Finding] = []
    z = {m: pl.col(m).fill_null(0) for m in p.money}
    if raw.profile.kind == "expenditure":
        if {"budget_current", "spent", "unused"} <= set(p.money):
            carried = (
                z["carried_over"]
                if "carried_over" in z
                else sum(
                    (z[m] for m in ("carried_explicit", "carried_accident", "carried_continuing") if m in z),
                    pl.lit(0),
                )
            )
            returned = z.get("subsidy_returned", pl.lit(0))
            expected = z["spent"] + carried + returned + z["unused"]
            out += _identity(
                p,
                "IMP112",
                Severity.WARNING,
                "budget_current",
                expected,
                "예산현액 ≠ 지출액 + 다음연도 이월액 + 보조금 반납 + 집행잔액",
                "budget_current != spent + carried over + subsidy returned + unused",
            )
        parts = [m for m in ("carried_explicit", "carried_accident", "carried_continuing") if m in z]
        if "carried_over" in z and parts:
            out += _identity(
                p,
                "IMP112",
                Severity.WARNING,
                "carried_over",
                sum((z[m] for m in parts), pl.lit(0)),
                "다음연도 이월액 ≠ 명시이월 + 사고이월 + 계속비이월",
                "carried over != explicit + accident + continuing",
            )
        if {"spent", "budget_current"} <= set(p.money):
            out += _over(p, "IMP113", Severity.WARNING, "budget_current", "예산현액")
        if {"spent", "budget"} <= set(p.money):
            cond = pl.col("spent") > pl.col("budget")
            if "budget_current" in p.money:
                cond = cond & (pl.col("spent") <= pl.col("budget_current"))
            out += _over(p, "IMP114", Severity.INFO, "budget", "예산액", cond)
    elif raw.profile.kind == "revenue" and {"levied", "received", "uncollected"} <= set(p.money):
        expected = z["levied"] - z["received"] - z.get("written_off", pl.lit(0))
        out += _identity(
            p,
            "IMP112",
            Severity.WARNING,
            "uncollected",
            expected,
            "미수납액 ≠ 징수결정액 − 수납액 − 불납결손액",
            "uncollected != levied - received - written off",
        )
    return out


def _identity(
    p: Prepared, rule: str, severity: Severity, target: str, expected: pl.Expr, ko: str, en: str
) -> list[Finding]:
    raw = p.raw
    bad = p.details.with_columns(expected.alias("_expected")).filter(
        pl.col(target).fill_null(0) != pl.col("_expected")
    )
    count = raw.collect(bad.select(pl.len())).item()
    if not count:
        return []
    name_col = _name_col(p)
    sample = raw.collect(
        bad.select(fr.ROW, target, "_expected", *([name_col] if name_col else [])).head(MAX_EXAMPLES)
    )
    out = []
    for rec in sample.iter_rows(named=True):
        stated, exp = rec[target] or 0, rec["_expected"]
        out.append(
            _finding(
                rule,
                severity,
                f"{ko}: {format_number(stated)} ≠ {format_number(exp)}",
                f"{en}: {stated:,} != {exp:,}",
                raw.location(rec[fr.ROW], target, rec.get(name_col) if name_col else None),
                stated=str(stated),
                expected=str(exp),
                difference=str(stated - exp),
            )
        )
    return out + _more(rule, severity, count, len(sample), ko, en, raw.location(None))


def _over(
    p: Prepared, rule: str, severity: Severity, base: str, base_ko: str, cond: pl.Expr | None = None
) -> list[Finding]:
    raw = p.raw
    cond = cond if cond is not None else pl.col("spent") > pl.col(base)
    bad = p.details.filter(cond.fill_null(False))
    count = raw.collect(bad.select(pl.len())).item()
    if not count:
        return []
    name_col = _name_col(p)
    sample = raw.collect(
        bad.select(fr.ROW, "spent", base, *([name_col] if name_col else [])).head(MAX_EXAMPLES)
    )
    out = []
    from gyeolsan.model.numbers import rate

    for rec in sample.iter_rows(named=True):
        pct = rate(rec["spent"], rec[base]) if rec[base] else None
        ko = (
            f"집행액이 {base_ko}보다 큽니다 (집행률 {pct}%, {base_ko} 기준)"
            if rule == "IMP113"
            else f"집행액이 예산액보다 큽니다 ({pct}%): 예산현액(이월·전용 반영) 안에서 집행되어 허용되지만 설명이 필요합니다"
        )
        out.append(
            _finding(
                rule,
                severity,
                ko,
                f"Spent exceeds {base} ({pct}% of {base})",
                raw.location(rec[fr.ROW], "spent", rec.get(name_col) if name_col else None),
                stated=str(rec["spent"]),
                expected=f"≤ {rec[base]}",
            )
        )
    return out + _more(
        rule, severity, count, len(sample), "집행률 100% 초과", "rate above 100 %", raw.location(None)
    )


def _name_col(p: Prepared) -> str | None:
    for k in ("item", "detail", "unit", "policy", "subsection", "section", "chapter", "department"):
        if k in p.keys:
            return k
    return None


def check_subtotals(p: Prepared) -> list[Finding]:
    """Subtotal rows (합계, 소계, 시도계 …) are not counted; each is compared with the sum of its details."""
    raw = p.raw
    subs = raw.collect(p.subtotals)
    if subs.is_empty():
        return []
    out: list[Finding] = []
    scopes: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for rec in subs.iter_rows(named=True):
        label = rec[fr.LABEL]
        scope = tuple(k for k in p.keys if p.column(k) < label and rec.get(k) is not None)
        scopes.setdefault(scope, []).append(rec)
    examples = 0
    total = 0
    for scope, recs in scopes.items():
        sums = [pl.col(m).sum().alias(m) for m in p.money] + [pl.len().alias("_n")]
        if scope:
            agg = raw.collect(p.details.group_by(list(scope)).agg(sums))
            index = {tuple(r[k] for k in scope): r for r in agg.iter_rows(named=True)}
        else:
            one = raw.collect(p.details.select(sums)).row(0, named=True)
            index = {(): one}
        for rec in recs:
            got = index.get(tuple(rec[k] for k in scope), {})
            label_text = rec.get(fr.LABEL_TEXT)
            where = " ".join(str(rec[k]) for k in scope if not k.endswith(CODE_SUFFIX))
            for m in p.money:
                stated = rec[m]
                if stated is None:
                    continue
                expected = got.get(m) or 0
                if stated == expected:
                    continue
                total += 1
                if examples >= MAX_EXAMPLES * 2:
                    continue
                examples += 1
                diff = stated - expected
                small = abs(diff) <= ROUNDING_SLACK
                out.append(
                    _finding(
                        "IMP120",
                        Severity.INFO if small else Severity.WARNING,
                        f"{where + ' ' if where else ''}{label_text or '소계'} 행의 {FIELD_KO.get(m, m)}이(가) 하위 행의 합과 다릅니다: "
                        f"{format_number(stated)} (하위 합 {format_number(expected)}, 차이 {format_number(diff)})"
                        + (" — 반올림 차이로 보입니다" if small else ""),
                        f"Subtotal row {label_text!r} {m} {stated:,} differs from the sum of its rows {expected:,} (difference {diff:,})",
                        raw.location(rec[fr.ROW], m, f"{where} {label_text or ''}".strip()),
                        hint="합계·소계 행은 더하지 않고 하위 행으로 다시 계산합니다. 원자료를 확인하세요",
                        stated=str(stated),
                        expected=str(expected),
                        difference=str(diff),
                    )
                )
    if total > examples:
        out += _more(
            "IMP120",
            Severity.WARNING,
            total,
            examples,
            "합계·소계 불일치",
            "subtotal mismatches",
            raw.location(None),
        )
    return out


def code_uses(p: Prepared, base: str) -> list[tuple[str, str | None, int, int]]:
    """Distinct (code, name, first row, count) of a key's codes among detail rows."""
    code = base + CODE_SUFFIX
    if code not in p.keys:
        return []
    name = base if base in p.keys else None
    cols = [code] + ([name] if name else [])
    agg = p.raw.collect(
        p.details.filter(pl.col(code).is_not_null())
        .group_by(cols)
        .agg(pl.col(fr.ROW).min().alias("_first"), pl.len().alias("_n"))
        .sort("_first")
    )
    return [(r[code], r.get(name) if name else None, r["_first"], r["_n"]) for r in agg.iter_rows(named=True)]


def distinct_values(p: Prepared, key: str, limit: int = 50) -> list[str]:
    if key not in p.keys:
        return []
    agg = p.raw.collect(
        p.details.filter(pl.col(key).is_not_null())
        .group_by(key)
        .agg(pl.col(fr.ROW).min().alias("_f"))
        .sort("_f")
        .head(limit)
    )
    return [str(v) for v in agg[key].to_list()]
