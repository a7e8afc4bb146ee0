"""Numbers as printed in 결산 reports: parsing, rounding, formatting and their round trips."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gyeolsan.model.numbers import (
    UNIT_FACTOR,
    NumberParseError,
    Quantity,
    Unit,
    change_rate,
    convert,
    div_half_up,
    find_quantities,
    format_eok,
    format_eok_baekman,
    format_money,
    format_number,
    format_rate,
    normalize_text,
    parse_amount,
    parse_quantity,
    parse_rate,
    rate,
    round_half_up,
)

D = Decimal

# --- normalize_text ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<b>12,038,667</b>", "12,038,667"),
        ("１２，０３８．５％", "12,038.5%"),
        ("－２４＋", "-24+"),
        ("\u00a0 1,234\u3000", "1,234"),
        ("1\u2009234", "1 234"),
        ("△24,802", "△24,802"),
        ("▲3", "▲3"),
        ("a<br/>b", "a b"),
        ("&nbsp;7&amp;", "7&"),
        ("1,\u200b234", "1,234"),
    ],
)
def test_normalize_text(text: str, expected: str) -> None:
    assert normalize_text(text) == expected


# --- parse_amount --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("47,810,398", 47810398),
        ("<b>12,038,667</b>", 12038667),
        ("△24,802", -24802),
        ("▽24,802", -24802),
        ("△ 24,802", -24802),
        ("-24,802", -24802),
        ("－２４，８０２", -24802),
        ("(24,802)", -24802),
        ("▲24,802", 24802),
        ("+24,802", 24802),
        ("-", None),
        ("–", None),
        ("—", None),
        ("", None),
        ("  ", None),
        ("０", 0),
        ("△0", 0),
        ("3.1014729524E10", 31014729524),
        ("1,234.0", 1234),
        ("\u00a01,234 ", 1234),
        ("１，２３４", 1234),
    ],
)
def test_parse_amount(text: str, expected: int | None) -> None:
    assert parse_amount(text) == expected


@pytest.mark.parametrize(
    "text", ["12a", "1,234.5", "3.1E-1", "1,2345", "12,34", "△(5)", "1 234", "a", "△", "1.2.3", "96.7%"]
)
def test_parse_amount_errors(text: str) -> None:
    with pytest.raises(NumberParseError) as info:
        parse_amount(text)
    assert repr(text) in str(info.value)
    assert "cannot parse" in str(info.value)
    assert "읽을 수 없습니다" in str(info.value)
    assert info.value.text == text


def test_number_parse_error_is_value_error() -> None:
    with pytest.raises(ValueError):
        parse_amount("12a")


# --- parse_rate ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("96.7", "96.7"),
        ("100", "100"),
        ("100.0", "100.0"),
        ("△3.45", "-3.45"),
        ("-3.45", "-3.45"),
        ("(3.45)", "-3.45"),
        ("▲3.45", "3.45"),
        ("96.7%", "96.7"),
        ("96.7 %", "96.7"),
        ("3.2%p", "3.2"),
        ("１００．０％", "100.0"),
        ("<b>99.9</b>", "99.9"),
        ("1,234.5", "1234.5"),
        ("0.0", "0.0"),
        ("△0.0", "0.0"),
    ],
)
def test_parse_rate(text: str, expected: str) -> None:
    value = parse_rate(text)
    assert value == D(expected)
    assert value is not None and str(value) == expected  # printed precision is kept


@pytest.mark.parametrize("text", ["-", "", "—"])
def test_parse_rate_absent(text: str) -> None:
    assert parse_rate(text) is None


@pytest.mark.parametrize("text", ["9x", "1.2.3", "%", "1e5", "△"])
def test_parse_rate_errors(text: str) -> None:
    with pytest.raises(NumberParseError, match="rate"):
        parse_rate(text)


# --- parse_quantity ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit", "scale", "approx"),
    [
        ("554억 38백만원", 55_438_000_000, "원", 1_000_000, False),
        ("486억원", 48_600_000_000, "원", 100_000_000, False),
        ("4,082백만원", 4_082_000_000, "원", 1_000_000, False),
        ("24,215백만원", 24_215_000_000, "원", 1_000_000, False),
        ("53,660천원", 53_660_000, "원", 1000, False),
        ("53,660 천원", 53_660_000, "원", 1000, False),
        ("2억원", 200_000_000, "원", 100_000_000, False),
        ("23억원", 2_300_000_000, "원", 100_000_000, False),
        ("2,000만원", 20_000_000, "원", 10_000, False),
        ("1.5억원", 150_000_000, "원", 10_000_000, False),
        ("1억 2,345만", 123_450_000, "", 10_000, False),
        ("1억 2,345만 6,789원", 123_456_789, "원", 1, False),
        ("2천3백만원", 23_000_000, "원", 1_000_000, False),
        ("5억천만원", 510_000_000, "원", 10_000_000, False),
        ("1만 4천여명", 14_000, "명", 1000, True),
        ("209만명", 2_090_000, "명", 10_000, False),
        ("1,139만명", 11_390_000, "명", 10_000, False),
        ("2,213건", 2213, "건", 1, False),
        ("93만", 930_000, "", 10_000, False),
        ("7만명", 70_000, "명", 10_000, False),
        ("20천명", 20_000, "명", 1000, False),
        ("45,326명", 45_326, "명", 1, False),
        ("3.88일", D("3.88"), "일", D("0.01"), False),
        ("34%", 34, "%", 1, False),
        ("96.7%", D("96.7"), "%", D("0.1"), False),
        ("60만부", 600_000, "부", 10_000, False),
        ("1,192만회", 11_920_000, "회", 10_000, False),
        ("12개소", 12, "개소", 1, False),
        ("약 3천명", 3000, "명", 1000, True),
        ("100명 이상", 100, "명", 1, True),
        ("△554억 38백만원", -55_438_000_000, "원", 1_000_000, False),
        ("(1,234천원)", -1_234_000, "원", 1000, False),
        ("<b>１，２３４건</b>", 1234, "건", 1, False),
        ("1,234", 1234, "", 1, False),
    ],
)
def test_parse_quantity(
    text: str, value: int | Decimal, unit: str, scale: int | Decimal, approx: bool
) -> None:
    q = parse_quantity(text)
    assert (q.value, q.unit, q.scale, q.approx, q.text) == (value, unit, scale, approx, text)
    assert q.is_money == (unit == "원")


@pytest.mark.parametrize(
    "text", ["", "-", "억원", "명", "12 34건", "1,2,3", "3억 5억원", "1만 2만명", "3건 4건"]
)
def test_parse_quantity_errors(text: str) -> None:
    with pytest.raises(NumberParseError, match="quantity"):
        parse_quantity(text)


# --- find_quantities -----------------------------------------------------------------------------


def _found(text: str) -> list[tuple[str, Decimal, str]]:
    return [(text[start:end], q.value, q.unit) for start, end, q in find_quantities(text)]


def test_find_quantities_counts() -> None:
    assert _found("총 1,863,979건 / 일평균 5,107건") == [
        ("1,863,979건", 1863979, "건"),
        ("5,107건", 5107, "건"),
    ]


def test_find_quantities_budget_sentence() -> None:
    assert _found("예산현액 4,082백만원 중 4,079백만원 집행(집행률 99.9%)") == [
        ("4,082백만원", 4_082_000_000, "원"),
        ("4,079백만원", 4_079_000_000, "원"),
        ("99.9%", D("99.9"), "%"),
    ]


def test_find_quantities_keeps_korean_numerals_together() -> None:
    (hit,) = find_quantities("방문객 1만 4천여명이 다녀갔다")
    start, end, q = hit
    assert (start, end) == (4, 11)
    assert q == Quantity(D(14000), "명", D(1000), True, "1만 4천여명")


def test_find_quantities_prose_details() -> None:
    assert _found("554억 38백만원을 집행하고 2,213건을 처리") == [
        ("554억 38백만원", 55_438_000_000, "원"),
        ("2,213건", 2213, "건"),
    ]
    assert _found("3억 5억") == [("3억", 300_000_000, ""), ("5억", 500_000_000, "")]
    assert _found("증감 △3.45%, -3.2%p, ▲12") == [
        ("△3.45%", D("-3.45"), "%"),
        ("-3.2%p", D("-3.2"), "%p"),
        ("▲12", 12, ""),
    ]
    assert _found("지방자치법 제150조에 따라") == [("150", 150, "")]  # an article, not 150조
    assert _found("COVID-19") == [("19", 19, "")]
    assert _found("절약 3억원, 약 3천명, 100명 이상") == [
        ("3억원", 300_000_000, "원"),
        ("약 3천명", 3000, "명"),
        ("100명 이상", 100, "명"),
    ]


def test_find_quantities_full_width_spans_index_original() -> None:
    text = "합계　１，２３４건"
    ((start, end, q),) = find_quantities(text)
    assert text[start:end] == "１，２３４건" == q.text
    assert q.value == 1234


def test_find_quantities_plain_number_and_nothing() -> None:
    assert _found("2024년 부서 12개 중 3") == [("2024년", 2024, "년"), ("12개", 12, "개"), ("3", 3, "")]
    assert find_quantities("숫자가 없는 문장") == []


# --- rounding ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        ("2.5", 0, "3"),
        ("3.5", 0, "4"),
        ("-2.5", 0, "-3"),
        ("0.125", 2, "0.13"),
        ("-0.125", 2, "-0.13"),
        ("96.65", 1, "96.7"),
        ("2.4999", 0, "2"),
        ("1234.5", -1, "1.23E+3"),
    ],
)
def test_round_half_up_is_not_bankers(value: str, places: int, expected: str) -> None:
    assert round_half_up(D(value), places) == D(expected)


@pytest.mark.parametrize(
    ("value", "places", "half_up", "bankers"),
    [("2.5", 0, "3", "2"), ("0.125", 2, "0.13", "0.12"), ("-2.5", 0, "-3", "-2")],
)
def test_round_half_up_differs_from_bankers(value: str, places: int, half_up: str, bankers: str) -> None:
    assert round_half_up(D(value), places) == D(half_up)
    assert round(D(value), places) == D(bankers)  # Python's default: ROUND_HALF_EVEN


@pytest.mark.parametrize(
    ("n", "d", "expected"),
    [
        (5, 2, 3),
        (-5, 2, -3),
        (5, -2, -3),
        (-5, -2, 3),
        (7, 2, 4),
        (4, 3, 1),
        (-4, 3, -1),
        (0, 7, 0),
        (1, 3, 0),
    ],
)
def test_div_half_up(n: int, d: int, expected: int) -> None:
    assert div_half_up(n, d) == expected


def test_div_half_up_zero() -> None:
    with pytest.raises(ZeroDivisionError):
        div_half_up(1, 0)


def test_convert() -> None:
    assert convert(4_078_930, Unit.CHEONWON, Unit.BAEKMAN) == 4079
    assert convert(4_078_499, Unit.CHEONWON, Unit.BAEKMAN) == 4078
    assert convert(4_078_500, Unit.CHEONWON, Unit.BAEKMAN) == 4079
    assert convert(-4_078_500, Unit.CHEONWON, Unit.BAEKMAN) == -4079
    assert convert(4079, Unit.BAEKMAN, Unit.CHEONWON) == 4_079_000
    assert convert(53_660, Unit.CHEONWON, Unit.WON) == 53_660_000
    assert convert(48_622_861, Unit.CHEONWON, Unit.EOK) == 486
    assert convert(25, Unit.MAN, Unit.CHEONWON) == 250
    assert Unit("만원") is Unit.MAN and UNIT_FACTOR[Unit.MAN] == 10_000


def test_rate() -> None:
    assert rate(4079, 4082) == D("99.9")
    assert rate(1, 3) == D("33.3")
    assert rate(2, 3) == D("66.7")
    assert rate(1, 8, 2) == D("12.50")
    assert rate(1, 2000) == D("0.1")  # 0.05 -> 0.1, not banker's 0.0
    assert rate(-1, 2000) == D("-0.1")
    assert str(rate(10, 10)) == "100.0"
    assert str(rate(10, 10, 0)) == "100"
    assert rate(5, 0) is None
    assert rate(0, 0) is None


def test_change_rate() -> None:
    assert change_rate(100, 103) == D("3.00")
    assert change_rate(3, 2) == D("-33.33")
    assert change_rate(8, 9, 1) == D("12.5")
    assert change_rate(0, 5) is None
    assert change_rate(None, 5) is None
    assert change_rate(5, None) == D("-100.00")


# --- formatting ----------------------------------------------------------------------------------


def test_format_number() -> None:
    assert format_number(47810398) == "47,810,398"
    assert format_number(-24802) == "△24,802"
    assert format_number(7) == "7"
    assert format_number(0) == "-"
    assert format_number(None) == "-"


def test_format_rate() -> None:
    assert format_rate(D("96.7")) == "96.7"
    assert format_rate(D("96.65")) == "96.7"
    assert format_rate(D("100")) == "100.0"
    assert format_rate(D("-3.449"), 2) == "△3.45"
    assert format_rate(D("-3.445"), 2) == "△3.45"
    assert format_rate(D("1234.5")) == "1,234.5"
    assert format_rate(None) == "-"
    assert format_rate(D(0)) == "-"
    assert format_rate(D("0.04")) == "-"
    assert format_rate(D("-0.04")) == "-"
    assert format_rate(D(0), zero="0.0") == "0.0"


def test_format_money() -> None:
    assert format_money(4_078_930, Unit.CHEONWON, Unit.BAEKMAN) == "4,079백만원"
    assert format_money(4_078_930, Unit.CHEONWON, Unit.BAEKMAN, suffix=False) == "4,079"
    assert format_money(-24_802, Unit.CHEONWON, Unit.CHEONWON) == "△24,802천원"
    assert format_money(499_999, Unit.CHEONWON, Unit.BAEKMAN) == "500백만원"
    assert format_money(499, Unit.CHEONWON, Unit.BAEKMAN) == "-"
    assert format_money(0, Unit.CHEONWON, Unit.WON) == "-"


def test_format_eok() -> None:
    assert format_eok(48_622_861, Unit.CHEONWON) == "486억원"
    assert format_eok(48_650_000, Unit.CHEONWON) == "487억원"
    assert format_eok(-48_650_000, Unit.CHEONWON) == "△487억원"
    assert format_eok(1_234_500_000, Unit.CHEONWON) == "12,345억원"
    assert format_eok(0, Unit.CHEONWON) == "-"


def test_format_eok_baekman() -> None:
    assert format_eok_baekman(55_438_155, Unit.CHEONWON) == "554억 38백만원"
    assert format_eok_baekman(55_400_000, Unit.CHEONWON) == "554억원"
    assert format_eok_baekman(38_155, Unit.CHEONWON) == "38백만원"
    assert format_eok_baekman(5_438_155, Unit.CHEONWON) == "54억 38백만원"
    assert format_eok_baekman(-55_438_155, Unit.CHEONWON) == "△554억 38백만원"
    assert format_eok_baekman(499, Unit.CHEONWON) == "-"
    assert format_eok_baekman(55_438, Unit.BAEKMAN) == "554억 38백만원"


# --- round trips ---------------------------------------------------------------------------------

amounts = st.integers(min_value=-(10**15), max_value=10**15)
rates = st.decimals(min_value=-100_000, max_value=100_000, places=4, allow_nan=False, allow_infinity=False)


@given(amounts)
def test_parse_amount_inverts_format_number(n: int) -> None:
    assert parse_amount(format_number(n)) == (n or None)


@given(rates, st.integers(min_value=0, max_value=3))
def test_parse_rate_inverts_format_rate(d: Decimal, places: int) -> None:
    rounded = round_half_up(d, places)
    parsed = parse_rate(format_rate(d, places))
    if rounded:
        assert parsed == rounded
        assert parsed is not None and parsed.as_tuple().exponent == -places
    else:
        assert parsed is None


@given(amounts)
def test_parse_quantity_inverts_format_money(n: int) -> None:
    text = format_money(n, Unit.CHEONWON, Unit.BAEKMAN)
    expected = convert(n, Unit.CHEONWON, Unit.BAEKMAN)
    if not expected:
        assert text == "-"
        return
    q = parse_quantity(text)
    assert q.value == expected * 1_000_000
    assert (q.unit, q.scale, q.approx) == ("원", 1_000_000, False)


@given(amounts)
def test_parse_quantity_inverts_format_eok_baekman(n: int) -> None:
    text = format_eok_baekman(n, Unit.CHEONWON)
    expected = convert(n, Unit.CHEONWON, Unit.BAEKMAN) * 1_000_000
    if not expected:
        assert text == "-"
        return
    q = parse_quantity(text)
    assert q.value == expected
    assert q.is_money
    assert abs(q.value - n * 1000) <= q.scale // 2


@given(st.lists(amounts.filter(bool), min_size=1, max_size=5))
def test_find_quantities_finds_every_formatted_amount(values: list[int]) -> None:
    texts = [format_eok_baekman(v, Unit.CHEONWON) for v in values]
    texts = [t for t in texts if t != "-"]
    prose = ", 그리고 ".join(texts)
    assert [prose[s:e] for s, e, _ in find_quantities(prose)] == texts


@given(amounts, st.integers(min_value=1, max_value=10**12))
def test_div_half_up_matches_exact_fraction(n: int, d: int) -> None:
    exact = Fraction(n, d)
    expected = int(abs(exact) + Fraction(1, 2))
    assert div_half_up(n, d) == (expected if exact >= 0 else -expected)


@given(amounts, amounts.filter(bool), st.integers(min_value=0, max_value=3))
def test_rate_matches_decimal_reference(n: int, d: int, places: int) -> None:
    assert rate(n, d, places) == round_half_up(D(n) * 100 / D(d), places)


@given(amounts, st.sampled_from(list(Unit)), st.sampled_from(list(Unit)))
def test_convert_down_then_up_is_identity(n: int, a: Unit, b: Unit) -> None:
    small, big = sorted((a, b), key=UNIT_FACTOR.__getitem__)
    assert convert(convert(n, big, small), small, big) == n
