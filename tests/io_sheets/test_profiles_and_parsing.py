"""Profiles (detection, forcing, custom files), header shapes, CSV encodings and exact number parsing."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gyeolsan.io.errors import InputError
from gyeolsan.io.sheets import frame as fr
from gyeolsan.io.sheets.profiles import builtin_profiles, load_profile_file, resolve
from gyeolsan.io.sheets.text import split_code_name
from tests.io_sheets.conftest import by_rule, fixture, imp, input_error


@pytest.mark.parametrize(
    ("name", "profiles"),
    [
        ("ehojo_sotong_2018.xlsx", {"ehojo_expenditure", "ehojo_revenue", "ehojo_adjustments"}),
        ("ehojo_sotong_2018_won_cp949.csv", {"ehojo_expenditure"}),
        ("lofin365_detail_2018.json", {"lofin365_detail"}),
        ("lofin365_detail_2018.csv", {"lofin365_detail"}),
        ("yearbook_items_2017.xlsx", {"yearbook_items"}),
        ("yearbook_functions_2017.xlsx", {"yearbook_functions"}),
        ("yearbook_revenue_2017.xlsx", {"yearbook_revenue"}),
        ("template_filled.xlsx", {"template_expenditure", "template_revenue", "template_adjustments"}),
        ("budget_sotong_2019.xlsx", {"ehojo_expenditure"}),
    ],
)
def test_auto_detection_says_which_profile(name: str, profiles: set[str]) -> None:
    notes = by_rule(imp(name).findings, "IMP132")
    chosen = {p.name for p in builtin_profiles() if any(f"({p.name}," in n.message for n in notes)}
    assert chosen == profiles
    assert all("자동 선택" in n.message and n.severity.value == "info" for n in notes)


def test_forced_profile() -> None:
    r = imp("ehojo_brand_2018_utf8.csv", profile="ehojo_expenditure")
    assert "(ehojo_expenditure, 지정)" in by_rule(r.findings, "IMP132")[0].message
    (f,) = input_error("ehojo_brand_2018_utf8.csv", profile="ehojo_revenue")
    assert f.rule == "IMP131"  # the revenue profile needs 징수결정액/수납액
    (g,) = input_error("ehojo_brand_2018_utf8.csv", profile="no_such_profile")
    assert g.rule == "IMP191" and "ehojo_expenditure" in g.message
    (h,) = input_error("ehojo_brand_2018_utf8.csv", depth="deep")
    assert h.rule == "IMP192" and "item" in h.message


def test_custom_profile_file(tmp_path: Path) -> None:
    profile = tmp_path / "my_office.toml"
    profile.write_text(
        """
name = "my_office"
title = "우리 과 집행 대장"
kind = "expenditure"
unit = "원"
require = ["department", "detail", "budget"]
[fields]
department = ["담당"]
detail = ["사업"]
budget = ["배정액"]
spent = ["쓴 돈"]
""",
        encoding="utf-8",
    )
    data = tmp_path / "ledger.csv"
    data.write_text(
        '담당,사업,배정액,쓴 돈\n가팀,가사업,"1,000",900\n가팀,나사업,500,500\n', encoding="utf-8"
    )
    r = imp(data, profile=str(profile))
    total = r.settlement.settlement.lines[0]
    assert (total.budget, total.spent) == (1500, 1400)
    assert by_rule(r.findings, "IMP142")  # the unit came from the profile, and it says so


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ('kind = "expenditure"\nname = "x"\n[fields]\nbudgett = ["예산"]\n', "알 수 없는 필드"),
        ('kind = "expenditure"\nname = "x"\n[rows]\nsubtotal = ["(?<!회)계$"]\n', "look-around"),
        ('kind = "nonsense"\nname = "x"\n', "kind"),
        ('kind = "expenditure"\nname = "x"\nunit = "달러"\n', "unit"),
        ("this is not toml", "TOML"),
    ],
)
def test_invalid_profiles_are_input_errors(tmp_path: Path, body: str, words: str) -> None:
    p = tmp_path / "bad.toml"
    p.write_text(body, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_profile_file(p)
    assert info.value.findings[0].rule == "IMP190" and words in info.value.findings[0].message


def test_every_builtin_profile_loads_and_has_a_source() -> None:
    profiles = resolve(None)
    assert {p.kind for p in profiles} == {"expenditure", "revenue", "adjustments", "wide"}
    assert all(p.title and p.source for p in profiles)


def test_utf8_with_and_without_bom_and_cp949_read_alike() -> None:
    a = imp("ehojo_brand_2018_utf8.csv").settlement.settlement
    b = imp("ehojo_brand_2018_utf8bom.csv").settlement.settlement

    def flat(t):  # type: ignore[no-untyped-def]
        return [
            (x.kind, x.name, x.code, x.budget, x.budget_current, x.spent, x.carried_over, x.unused)
            for x in t.all_lines()
        ]

    assert flat(a) == flat(b) and len(flat(a)) > 20
    won = imp("ehojo_sotong_2018_won_cp949.csv").settlement.settlement
    brand = next(d for d in won.divisions if d.name == "도시브랜드담당관")
    assert brand.budget == a.lines[0].budget * 1000


def test_numbers_written_every_way() -> None:
    r = imp("numbers_as_text.csv")
    lines = {x.name: x for x in r.settlement.settlement.all_lines()}
    first = lines[
        "가세부"
    ].children  # 20101: 1,000 / 1,000 / 1,200 / △200 ; 20103: " 2,000 " / 2000 / (500) / 2,500
    assert [(i.budget, i.budget_current, i.spent, i.unused) for i in first] == [
        (1000, 1000, 1200, -200),
        (2000, 2000, -500, 2500),
    ]
    sci = lines["나세부"].children[0]  # 3.1014729524E10, 31,014,729,524, 3.1E10
    assert (sci.budget, sci.budget_current, sci.spent) == (31_014_729_524, 31_014_729_524, 31_000_000_000)
    assert lines["다세부"].budget == 1500  # 1.5e3
    assert lines["나세부"].children[1].budget == 0  # "-"
    assert by_rule(r.findings, "IMP113")  # 집행률 over 100 % of 예산현액: a finding, not an error
    assert not r.fatal


def _parse(values: list[str | None]) -> pl.DataFrame:
    return fr.parse_money(pl.DataFrame({"v": values}, schema={"v": pl.String}).lazy(), ["v"]).collect()


def test_parse_money_rejects_what_is_not_a_whole_number() -> None:
    out = _parse(["12.5", "abc", "5OO", "1.2.3", ".5", "E5", "1e-2", "99999999999999999999"])
    assert out["__err_v"].to_list() == [False, True, True, True, True, True, False, True]
    assert out["__frac_v"].to_list() == [True, False, False, False, False, False, True, False]


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_parse_money_is_exact(n: int) -> None:
    sign = "△" if n < 0 else ""
    forms = [str(n), f"{n:,}", f"{sign}{abs(n):,}", f"({abs(n):,})" if n < 0 else f"{n:,}"]
    digits = str(abs(n)).rstrip("0") or "0"
    exp = len(str(abs(n))) - 1
    sci = (digits[0] + ("." + digits[1:] if len(digits) > 1 else "")) + f"E{exp}"
    forms.append(("-" if n < 0 else "") + sci if n else "0")
    out = _parse(forms)
    assert out["v"].to_list() == [n] * len(forms)
    assert not any(out["__err_v"].to_list()) and not any(out["__frac_v"].to_list())


@pytest.mark.parametrize(
    ("text", "code", "name"),
    [
        ("010 일반공공행정", "010", "일반공공행정"),
        ("10101 보수", "10101", "보수"),
        ("[08A] 기타", "08A", "기타"),
        ("201-01 사무관리비", "201-01", "사무관리비"),
        ("120다산콜재단 운영", None, "120다산콜재단 운영"),
        ("시민청 운영", None, "시민청 운영"),
    ],
)
def test_code_and_name_together(text: str, code: str | None, name: str) -> None:
    assert split_code_name(text) == (code, name)


def test_leading_zero_codes_are_kept_and_lost_ones_restored() -> None:
    r = imp("ehojo_sotong_2018_won_cp949.csv")
    from gyeolsan.io.sheets.duck import to_duckdb

    con = to_duckdb(fixture("ehojo_sotong_2018_won_cp949.csv"))
    assert {
        c
        for (c,) in con.execute(
            "SELECT DISTINCT field_code FROM expenditure_rows WHERE level IS NULL"
        ).fetchall()
    } == {"010", "060"}
    assert not by_rule(r.findings, "IMP144")
    lost = imp("codes_2012.xlsx")
    (f,) = by_rule(lost.findings, "IMP144")
    assert "010" in f.message and f.location.cell == "B4"


def test_read_only_mode_reads_merged_cells_too(monkeypatch: pytest.MonkeyPatch, sample_export) -> None:
    from gyeolsan.io.sheets import reader

    monkeypatch.setattr(reader, "READ_ONLY_ABOVE", 0)  # as if the workbook were big
    r = imp("ehojo_sotong_2018.xlsx")
    assert r.settlement.settlement == sample_export.settlement.settlement


def test_codes_with_letters_stay_strings(tmp_path: Path) -> None:
    data = tmp_path / "x.csv"
    data.write_text(
        "(단위: 천원)\n부서,분야코드,분야,부문코드,부문,단위사업,세부사업코드,세부사업,예산액\n"
        "가과,08A,기타,08A,기타,가사업,0012018000001A,가세부,100\n",
        encoding="utf-8",
    )
    r = imp(data)
    detail = r.settlement.settlement.divisions[0].children[0].children[0]
    assert detail.code == "0012018000001A"  # leading zeros and the trailing letter kept
    (unknown,) = {f.stated for f in by_rule(r.findings, "IMP151")}
    assert unknown == "08A"  # not in the 2017 list: a warning, never a crash or a number
