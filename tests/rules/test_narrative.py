"""NARR rules: totals and parts, daily averages, print runs, % change, visitors, event dates, cumulative periods."""

from __future__ import annotations

from decimal import Decimal

import pytest
from tests.paths import FIXTURES
from tests.rules._helpers import audit, bullet, card, parse_text, read_text, rule_findings, settlement, src

from gyeolsan.io.load import load_any
from gyeolsan.model import RevenueItem, RevenueSection
from gyeolsan.rules.narrative import counts, final_totals, same_line_totals


def _one(rule_id: str, *bullets, **kw):  # type: ignore[no-untyped-def]
    return rule_findings(settlement(cards=(card(*bullets, **kw),)), rule_id)


# ----------------------------------------------------------------------------- counts


def test_counts_skip_dates_years_ordinals_ranges_and_names():
    text = "’18년 방문객 209만명, 제3회 포럼, 일 평균 7~10건, 서울로7017, '15.7월~'18.2월 : 487회"
    assert [(c.text, c.unit) for c in counts(text)] == [("209만명", "명"), ("487회", "회")]
    rounded = counts("방문객 209만명")[0]
    assert (rounded.lo, rounded.hi) == (Decimal(2_085_000), Decimal(2_095_000))


def test_counts_mark_rates_cumulatives_and_parenthesised_numbers():
    per, issues = counts("발행부수 : 월 5만부 / 연12회 발행")
    assert per.per == "월" and issues.per is None
    assert counts("방문객 204만명(누계 1,135만명)")[1].cumulative
    assert [c.in_paren for c in counts("배우(9), 市 지원시설(청소년수련관 등 76)")] == [True, True]


# ----------------------------------------------------------------------------- NARR001


@pytest.mark.parametrize(
    "text",
    [
        "공식 참가작 48편 : 국내 초청작 31편, 해외 초청작 7편, 시민 참여작 10편",
        "10개 외국어 SNS 운영 : 영어권 4개, 중국어권 3개, 일어권 3개 채널",
        "상담실적 : 총 5,345건 (응답소 민원 4,242건 / 서울을가지세요 1,103건)",
        "신규 자전거 도입 : 6,500대 (일반형 5,200대, 어린이·청소년용(소형) 1,300대)",
        "「서울시보」 연 59회 발행(정기 56호·수시 3호) 및 홈페이지 게시",
    ],
)
def test_same_line_total_and_parts_found(text):
    [tp] = list(same_line_totals(text))
    assert tp.parts.exhaustive and tp.parts.value == tp.total.value


@pytest.mark.parametrize(
    "text",
    [
        "토론 395회, 행사참여 185회, 현장점검·심사 52회, 강연 등 총 716회 참여",
        "50+캠퍼스(3), 노인복지관(3), 청소년수련관(3) 등 36개소",
    ],
)
def test_lists_with_deung_are_not_exhaustive(text):
    [tp] = list(same_line_totals(text))
    assert not tp.parts.exhaustive and tp.parts.value < tp.total.value


@pytest.mark.parametrize(
    "text",
    [
        "총 상담실적 : 159회 25,617건 ('17년 10,326건 대비 148% 증가)",
        "누적 운영대수 25,000대, 대여소 1,540개소(신설 328개소)",
        "「청책토론회」 10회(2,280명 참석) 운영, 「시민발언대」 1,947명 참여",
        "※ 6개 언어 : 영어('96.7), 중국어 간체('01.2)·번체('05.2), 일어('01.2)",
        "발행부수 : 월 5만부 / 연12회 발행 ※ 점자책 1,000부, 녹음CD 1,000개 별도",
    ],
)
def test_no_total_and_parts_where_there_are_none(text):
    assert list(same_line_totals(text)) == []


def test_final_totals():
    assert [c.text for c in final_totals("「서울시 홍보대사」 운영 : 37명")] == ["37명"]
    assert [c.text for c in final_totals("민원응대 서비스 향상교육 실시 : 39회 2,947명")] == [
        "39회",
        "2,947명",
    ]
    assert [c.text for c in final_totals("생활문화 동호회 활동 지원 : 총 1,063개 동호회")] == ["1,063개"]
    assert final_totals("PM제도 운영으로 건축 임의규제 40건 발굴·개선") == []


def test_parts_in_the_bullet_below_that_do_not_add_up():
    [f] = _one(
        "NARR001",
        bullet(389, "「서울시 홍보대사」 운영 : 37명"),
        bullet(390, "배우(9), 가수·음악인(4), 방송인(9), 전문가(16)로 구성", 1),
        bullet(391, "행사·캠페인 적극 참여 : 총 54회", 1),
    )
    assert (f.location.line, f.stated, f.expected, f.difference) == (389, "37", "38", "-1")
    assert [r.line for r in f.related] == [390]


def test_parts_in_the_bullet_below_that_add_up_are_silent():
    assert (
        _one(
            "NARR001",
            bullet(305, "민간 및 市 유관기관과 협력, 시정 홍보물 비치·영상표출 : 830개소"),
            bullet(306, "버스정류장(394), 市 지원시설(청소년수련관 등 76), 우리은행 지점(360)", 1),
        )
        == []
    )


def test_parts_spread_over_child_bullets():
    found = _one(
        "NARR001",
        bullet(418, "시정 주요사업 및 현안 관련 여론조사 실시 : 35건"),
        bullet(419, "외주(18건) : 서울로7017 외국인 방문객 대상 조사 등", 1),
        bullet(420, "자체(16건) : 공공기관 생리대 비치 정책에 대한 여론조사 등", 1),
    )
    assert [(f.location.line, f.expected) for f in found] == [(418, "34")]
    assert [r.line for r in found[0].related] == [419, 420]


def test_same_line_parts_that_do_not_add_up():
    [f] = _one("NARR001", bullet(713, "10개 외국어 SNS 운영 : 영어권 4개, 중국어권 3개, 일어권 4개 채널"))
    assert (f.stated, f.expected) == ("10", "11")


def test_non_exhaustive_parts_are_reported_only_when_they_exceed_the_total():
    assert (
        _one("NARR001", bullet(395, "토론 395회, 행사참여 185회, 현장점검·심사 52회, 강연 등 총 716회 참여"))
        == []
    )
    [f] = _one(
        "NARR001", bullet(395, "토론 395회, 행사참여 185회, 현장점검·심사 152회, 강연 등 총 716회 참여")
    )
    assert f.expected is None and f.difference == "-16"


def test_unrelated_children_are_silent():
    assert (
        _one(
            "NARR001",
            bullet(893, "PM제도 운영으로 건축 임의규제 40건 발굴·개선"),
            bullet(894, "행정단계별 쟁점조정 및 협의 촉진(23건)", 1),
            bullet(895, "건축종합 상담실 운영(251건 상담)", 1),
            bullet(274, "신문·잡지 활용 정보제공 : 총 268회"),
            bullet(275, "주요 개장 시설(잘 생겼다! 20), 시민을 위한 정책(내일연구소 서울) 묶음 안내", 1),
        )
        == []
    )


# ----------------------------------------------------------------------------- NARR002


def test_daily_average_against_a_rounded_yearly_total():
    [f] = _one("NARR002", bullet(338, "’18년 방문객 209만명 (누적 1,139만명, 일평균 5,706명)"))
    assert (f.location.line, f.stated, f.expected, f.difference) == (338, "5,706", "5,726", "-20")


@pytest.mark.parametrize(
    "text",
    [
        "'18년 민원처리 : 총 1,863,979건 / 일평균 5,107건",
        "’18년 방문객 209만명 (누적 1,139만명, 일평균 5,740명)",  # inside the range of 209만
        "카드뉴스 등 정리해 제공(일 평균 7~10건, 총 2,070건 생산)",  # a range is no average
        "운영일 기준 관람객 30만명, 일평균 1,000명",  # over opening days, not the year
        "市 공식 블로그 서울나들이 : 일평균 방문자수 1만 4천여명",
    ],
)
def test_daily_average_silent(text):
    assert _one("NARR002", bullet(10, text)) == []


def test_daily_average_uses_366_days_in_leap_years():
    text = "총 366,000건 / 일평균 1,000건"
    assert rule_findings(settlement(2020, cards=(card(bullet(9, text)),)), "NARR002") == []
    assert len(rule_findings(settlement(2019, cards=(card(bullet(9, text)),)), "NARR002")) == 1


# ----------------------------------------------------------------------------- NARR003


def test_print_run_under_its_total():
    [f] = _one(
        "NARR003",
        bullet(597, "시정종합월간지 「서울사랑」 발간 : 67만부 배부"),
        bullet(598, "발행부수 : 월 5만부 / 연12회 발행 ※ 점자책 1,000부, 녹음CD 1,000개 별도", 1),
    )
    assert (f.location.line, f.stated, f.expected) == (597, "670,000", "600,000")
    assert [r.line for r in f.related] == [598]


def test_print_run_on_one_line():
    [f] = _one("NARR003", bullet(610, "서울사랑 72만부(월6만부×12회), 내친구서울 289만부(월32만부×9회) 발행"))
    assert (f.stated, f.expected) == ("2,890,000", "2,880,000")


def test_print_runs_that_agree_are_silent():
    assert (
        _one(
            "NARR003",
            bullet(602, "어린이신문 「내친구서울」 발간 : 297만부 배부"),
            bullet(603, "발행부수 : 회당 33만부 / 연9회 발행(방학기간 통합 발행)", 1),
            bullet(610, "서울사랑 72만부(월6만부×12회), 내친구서울 288만부(월32만부×9회) 발행"),
        )
        == []
    )


# ----------------------------------------------------------------------------- NARR004


def test_percent_increase_against_its_figures():
    [f] = _one("NARR004", bullet(865, "총 상담실적 : 159회 25,617건 ('17년 10,326건 대비 158% 증가)"))
    assert (f.stated, f.expected) == ("158", "148")


@pytest.mark.parametrize(
    "text",
    [
        "총 상담실적 : 159회 25,617건 ('17년 10,326건 대비 148% 증가)",
        "전년('17년) 대비 민원량 34% 증가, 평균 민원처리일 : 3.88일",  # no base figure
        "관람객 : 1,284천명(사전예약제 운영, 전년 대비 31% 증가)",
        "이용건수 900건 (전년 1,000건 대비 10% 감소)",
    ],
)
def test_percent_change_silent(text):
    assert _one("NARR004", bullet(10, text)) == []


# ----------------------------------------------------------------------------- NARR005


def _civic_hall(total: str, first: str) -> list:  # type: ignore[type-arg]
    section = card(
        bullet(338, f"’18년 방문객 {total} (누적 1,139만명, 일평균 5,706명)"),
        bullet(340, "[시청 시민청] 시민의 직접참여 활성화로 대표 시민소통공간 자리매김"),
        bullet(341, f"방문객 {first}(누계 1,135만명) / 프로그램 운영 1,043회", 1),
        bullet(342, "제2시민청인 「삼각산시민청」 개관·운영(’18.4.28)"),
        bullet(344, "방문객 45,326명 / 프로그램 운영 405회", 1),
    )
    # the first line is the section heading's own text, as the importer reads " 추진실적 : …"
    sec = section.sections[0].model_copy(update={"src": src(338, " 추진실적 : …")})
    return rule_findings(settlement(cards=(section.model_copy(update={"sections": (sec,)}),)), "NARR005")


def test_visitors_add_up_within_rounding():
    assert _civic_hall("209만명", "204만명") == []


def test_visitors_that_do_not_add_up():
    [f] = _civic_hall("219만명", "204만명")
    assert f.location.line == 338 and f.expected == "2,085,326"
    assert [r.line for r in f.related] == [341, 344]


# ----------------------------------------------------------------------------- NARR006


def test_report_dated_differently_in_one_recommendation():
    content = [
        "※ 시민소통기획관 소관 사항 : 「시민청 운영 및 확산 예산 전용」 1건, '18. 10월 보고 (전용일 '18. 2월)"
    ]
    action = ["▶ 추진완료 ('18. 11월 상임 위원회 보고 )", "관련규정 숙지 미흡으로 '18. 11월에 보고함"]
    [f] = rule_findings(
        settlement(audits=(audit(910, "예산 전용 의회 보고 미이행", content, action),)), "NARR006"
    )
    assert (f.location.line, f.stated, f.expected, f.severity.value) == (
        910,
        "'18. 10월",
        "'18. 11월",
        "error",
    )


def test_report_dates_that_agree_are_silent():
    content = ["「시민청 운영 및 확산 예산 전용」 1건, '18. 11월 보고 (전용일 '18. 2월)"]
    action = ["▶ 추진완료 ('18. 11월 상임 위원회 보고 )"]
    assert rule_findings(settlement(audits=(audit(910, "전용 보고", content, action),)), "NARR006") == []


def test_a_tie_is_a_warning_that_trusts_the_department():
    content = ["'18. 10월 보고"]
    action = ["'18. 11월 상임위원회 보고"]
    [f] = rule_findings(settlement(audits=(audit(910, "전용 보고", content, action),)), "NARR006")
    assert f.severity.value == "warning" and f.expected == "'18. 11월"


# ----------------------------------------------------------------------------- NARR007


def _visits(period: str) -> list:  # type: ignore[type-arg]
    return _one(
        "NARR007",
        bullet(864, "방문횟수 증대(주3회 → 주4회) 등 대시민 현장 행정서비스 확대"),
        bullet(865, "총 상담실적 : 159회 25,617건 ('17년 10,326건 대비 148% 증가)", 1),
        bullet(866, f"※ 누적 상담실적({period}) : 487회 44,653건", 1),
    )


def test_cumulative_period_ending_mid_year():
    [f] = _visits("'15.7월~'18.2월")
    assert (f.location.line, f.stated, f.expected) == (866, "'18.2월", "'18.12월")


@pytest.mark.parametrize("period", ["'15.7월~'18.12월", "'15.7월~'17.12월", "'15.7월~'19.2월"])
def test_cumulative_period_silent(period):
    assert _visits(period) == []


# ----------------------------------------------------------------------------- NARR008


def _revenue(*amounts: int, last_line_text: str = "") -> list:  # type: ignore[type-arg]
    items = [
        RevenueItem(
            name="임시적세외수입", amount=6_675_430, src=src(944, "임시적세외수입은 6,675,430천원 입니다.")
        )
    ]
    for k, amount in enumerate(amounts):
        text = last_line_text if k == len(amounts) - 1 and last_line_text else f"▶ 수입 {amount:,}천원"
        items.append(
            RevenueItem(category="임시적세외수입", name=f"수입{k}", amount=amount, src=src(945 + k, text))
        )
    return rule_findings(settlement(revenue=RevenueSection(items=tuple(items))), "NARR008")


def test_revenue_items_add_up():
    assert _revenue(6_658_456, 16_974) == []


def test_revenue_items_that_do_not_add_up():
    [f] = _revenue(6_658_456, 16_981)
    assert (f.location.line, f.stated, f.expected) == (944, "6,675,430", "6,675,437")


def test_revenue_items_ending_in_deung_may_be_fewer():
    assert _revenue(6_658_456, 10_000, last_line_text="▶ 그 외수입 10,000천원 등") == []


# ----------------------------------------------------------------------------- on real reports

NARR = [f"NARR{i:03d}" for i in range(1, 13)]


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("clean_*.txt")))
def test_clean_fixtures_give_no_narrative_finding(name):
    s = load_any(FIXTURES / name).settlement
    found = [f for rid in NARR for f in rule_findings(s, rid)]
    assert found == []


def test_sample_narrative_findings(sample_path):
    s = load_any(sample_path).settlement
    found = {(f.rule, f.location.line, f.expected) for rid in NARR for f in rule_findings(s, rid)}
    assert found == {("NARR002", 338, "5,726"), ("NARR006", 910, "'18. 11월"), ("NARR007", 866, "'18.12월")}


# ----------------------------------------------------------------------------- NARR009 – NARR012 (on the sample text)


def _sample_with(sample_path, line: int, old: str, new: str):  # type: ignore[no-untyped-def]
    lines = read_text(sample_path).splitlines()
    assert lines[line - 1].count(old) == 1
    lines[line - 1] = lines[line - 1].replace(old, new)
    return parse_text("\n".join(lines) + "\n").settlement


@pytest.mark.parametrize(
    ("rule_id", "line", "old", "new", "expected"),
    [
        ("NARR009", 940, "223,830천원", "223,837천원", "223,830"),
        ("NARR009", 947, "989,470천원으로", "989,407천원으로", "989,470"),
        ("NARR009", 935, "미수납액 92천원", "미수납액 99천원", "92"),
        ("NARR010", 981, "총 5건", "총 7건", "5"),
        ("NARR010", 972, "53,660천원으로", "53,606천원으로", "53,660"),
        ("NARR011", 953, "2018 회계연도", "2017 회계연도", "2018"),
        ("NARR011", 289, "'18년 결산", "'17년 결산", "2018"),
        ("NARR012", 910, "전용(53,660천원)", "전용(53,606천원)", "53,660"),
    ],
)
def test_section_iv_and_iii_prose_against_the_records(sample_path, rule_id, line, old, new, expected):
    assert rule_findings(_sample_with(sample_path, line, old, old), rule_id) == []
    [f] = rule_findings(_sample_with(sample_path, line, old, new), rule_id)
    assert (f.location.line, f.expected) == (line, expected)


def test_plans_heading_is_next_year(sample_path):
    s = _sample_with(sample_path, 283, "'19년 추진계획", "'18년 추진계획")
    [f] = rule_findings(s, "NARR011")
    assert (f.location.line, f.stated, f.expected) == (283, "2018", "2019")
