"""Build the shipped demo dataset from the sample report: its figures (facts), our own short narrative.

    uv run --frozen python scripts/make_demo.py ../shared/seeds/000_1b1d515c849dd1d6.txt

The figures — tables, card settlement lines, adjustments, revenue — are kept exactly as stated in the
sample (including its mistakes, so the demo shows real findings). The prose of the sample is *not*
copied: goals, bullets, audit texts and reasons are replaced by the short summaries below, written by
the gyeolsan team. Source lines are dropped (they point into a file the project does not ship).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from gyeolsan.io.canonical import dumps
from gyeolsan.io.report_text import import_report_text
from gyeolsan.model import Bullet, CardSection, Headline, Settlement, Source

OUT = Path(__file__).resolve().parent.parent / "src/gyeolsan/data/demo/seoul_2018.json"
DEMO_PATH = "demo:seoul-2018"

# (group, index) → (goal, [achievements], [plans]) — our own words; the numbers are the sample's facts.
CARDS: dict[tuple[int, int], tuple[str, list[str], list[str]]] = {
    (1, 1): (
        "신문·방송을 통해 시정 정보를 제때 알린다",
        ["신문·잡지 정보 제공 268회", "TV·라디오 대상별 맞춤 정보 제공"],
        ["핵심 정책 집중 홍보"],
    ),
    (1, 2): (
        "시 보유 매체로 생활 정보를 알리고 새 매체를 넓힌다",
        [
            "시립시설 영상모니터 36개소 설치",
            "협력 매체 830개소 : 버스정류장(394), 지원시설(76), 은행 지점(360)",
        ],
        ["영상모니터 100개소로 확대"],
    ),
    (1, 3): (
        "시민청을 대표 소통공간으로 운영한다",
        ["방문객 209만명 (일평균 5,706명)", "삼각산 시민청 개관·운영"],
        ["공동운영체계 확대"],
    ),
    (1, 4): (
        "시정 정보를 영상으로 만들어 공유한다",
        ["홍보 동영상 15편 제작", "시청방송 242회 제작"],
        ["분야별 핵심사업 영상 기획"],
    ),
    (1, 5): (
        "현장 의견을 듣고 시정에 반영한다",
        ["홍보대사 37명 : 배우(9), 가수·음악인(4), 방송인(9), 전문가(15)", "명예시장 17명 운영"],
        ["홍보대사 재능 나눔 강화"],
    ),
    (1, 6): (
        "여론조사로 시민 의견을 정책에 반영한다",
        ["여론조사 34건 : 외주(18건), 자체(16건)", "시민모니터 366명 운영"],
        ["여론조사 40건으로 확대"],
    ),
    (2, 1): (
        "SNS로 시민과 소통하고 정보를 빠르게 전한다",
        ["SNS 친구 78만 → 93만", "콘텐츠 2,213건 제작"],
        ["모바일 맞춤 콘텐츠 강화"],
    ),
    (2, 2): (
        "온라인 방송과 뉴스 채널을 운영한다",
        ["온라인방송 240편", "시민기자 3,242명 참여"],
        ["유튜브 채널 활성화"],
    ),
    (2, 3): (
        "민간포털과 협력해 시정 정보를 알린다",
        ["포털 캠페인 4회", "브랜드검색 홍보 12회"],
        ["포털 캠페인 6회로 확대"],
    ),
    (2, 4): (
        "시민 창작자와 함께 시정 콘텐츠를 만든다",
        ["미디어메이트 60명, 콘텐츠 686건", "영상크리에이터 10팀, 49편"],
        ["크리에이터 30팀으로 확대"],
    ),
    (2, 5): (
        "시 소식지로 생활 정보를 전한다",
        ["월간지 60만부 배부 (월 5만부 × 12회)", "어린이신문 297만부 배부 (회당 33만부 × 9회)"],
        ["서울사랑 72만부, 내친구서울 288만부 발행"],
    ),
    (3, 1): (
        "시민과 함께 서울브랜드를 알린다",
        ["상징물 10개소 설치", "도시브랜드 포럼 479명 참여"],
        ["상징물 5개소 추가 설치"],
    ),
    (3, 2): (
        "국내외 도시마케팅으로 서울의 가치를 높인다",
        ["홍보 영상 33편 제작", "국제행사 연계 프로모션"],
        ["맞춤형 브랜드 프로모션"],
    ),
    (3, 3): (
        "외국어 매체로 서울을 세계에 알린다",
        ["외국어 홈페이지 방문 166만명", "외국어 SNS 팔로워 186만명"],
        ["방문자 250만명 목표"],
    ),
    (4, 1): (
        "민원 서비스 품질을 관리해 만족도를 높인다",
        ["친절교육 39회 2,947명", "우수기관 19곳 포상"],
        ["품질점검 연중 실시"],
    ),
    (4, 2): (
        "응답소 시스템을 개선해 민원 불편을 줄인다",
        ["민원 1,863,979건 처리 (일평균 5,107건)", "일괄처리 기능 추가"],
        ["빅데이터 민원분석 구축"],
    ),
    (4, 3): ("120다산콜재단의 상담 품질을 지원한다", ["상담 550만건", "챗봇 개발 협업"], ["챗봇 시범 운영"]),
    (5, 1): (
        "찾아가는 현장 상담으로 불편을 해결한다",
        ["상담 159회 25,617건", "생활도우미 상담 5,345건"],
        ["방문 170회로 확대"],
    ),
    (5, 2): ("건축 임의규제를 찾아 고친다", ["임의규제 40건 개선", "상담실 251건 상담"], ["우수사례 공유"]),
}
AUDITS = {
    1: (
        ["전용한 예산은 분기마다 상임위원회에 보고해야 하나 늦게 보고되었다는 지적"],
        ["추진완료 ('18. 11월 상임 위원회 보고)", "앞으로 회기마다 전용 내역을 함께 보고"],
    ),
    2: (
        ["제2시민청 예산을 계획에 맞게 편성하고 방문객을 늘리라는 권고"],
        ["추진완료", "지역 맞춤 프로그램과 홍보를 강화"],
    ),
}


def _bullets(texts: list[str]) -> tuple[Bullet, ...]:
    return tuple(Bullet(text=t) for t in texts)


def _headline(h: Headline | None, text: str) -> Headline | None:
    return None if h is None else h.model_copy(update={"text": text, "src": Source()})


def strip_sources(value: Any) -> Any:
    """Drop every ``src`` (it points into the sample file, which the project does not ship)."""
    if isinstance(value, dict):
        return {k: strip_sources(v) for k, v in value.items() if k != "src"}
    if isinstance(value, list):
        return [strip_sources(v) for v in value]
    return value


def build(sample: Path) -> Settlement:
    s = import_report_text(sample).settlement
    cards = []
    for card in s.cards:
        goal, done, plans = CARDS[(card.group, card.index)]
        sections = (
            CardSection(heading="사업개요", kind="overview", blocks=_bullets([goal])),
            CardSection(
                heading=f"'{s.meta.fiscal_year % 100}년 추진실적", kind="achievements", blocks=_bullets(done)
            ),
            CardSection(
                heading=f"'{s.meta.fiscal_year % 100 + 1}년 추진계획", kind="plans", blocks=_bullets(plans)
            ),
        )
        cards.append(card.model_copy(update={"goal": goal, "sections": sections}))
    audits = [
        a.model_copy(update={"content": tuple(AUDITS[a.number][0]), "action": tuple(AUDITS[a.number][1])})
        for a in s.audits
    ]
    exp = s.expenditure
    assert exp is not None and s.revenue is not None
    reasons = {
        "전용": "제2시민청 공사비 부족분을 사무관리비에서 시설비로 전용",
        "이체": "'18. 11. 1. 조직개편으로 사업 이관",
        "이월": "용역업체 채권 가압류로 준공비 지급 지연(사고이월)",
    }
    adjustments = tuple(
        a.model_copy(update={"reason": reasons.get(a.kind, a.reason)}) for a in exp.adjustments
    )
    unused = tuple(
        r.model_copy(
            update={
                "reason": "집행사유 미발생" if n == 0 else "낙찰차액 등",
                "items": tuple(
                    i.model_copy(update={"text": f"세부 내역 {k + 1}"}) for k, i in enumerate(r.items)
                ),
            }
        )
        for n, r in enumerate(exp.unused_reasons)
    )
    exp = exp.model_copy(
        update={
            "adjustments": adjustments,
            "unused_reasons": unused,
            "narrative": (),
            "headline": _headline(
                exp.headline,
                "세출 예산현액 48,622,861천원 중 47,025,373천원 집행(96.7%), 집행잔액 1,184,378천원",
            ),
            "unused_headline": _headline(
                exp.unused_headline, "집행잔액은 예산현액 48,622,861천원의 2.4%인 1,184,378천원"
            ),
        }
    )
    revenue = s.revenue.model_copy(
        update={
            "headline": _headline(
                s.revenue.headline,
                "세입 예산현액 7,913,080천원, 징수결정 7,888,822천원, 수납 7,888,730천원, 미수납 92천원",
            ),
            "statements": (),
            "notes": ("미수납액은 다음해 4월에 모두 수납",),
            "items": tuple(i.model_copy(update={"src": Source()}) for i in s.revenue.items),
        }
    )
    org = s.organization
    if org is not None:
        org = org.model_copy(
            update={
                "divisions": tuple(
                    d.model_copy(
                        update={"teams": tuple(t.model_copy(update={"functions": ()}) for t in d.teams)}
                    )
                    for d in org.divisions
                )
            }
        )
    reorgs = tuple(
        r.model_copy(
            update={
                "description": {
                    "abolished": "조직개편으로 부서 폐지",
                    "transfer": "조직개편으로 사업 이관",
                }.get(r.kind, "조직개편")
            }
        )
        for r in s.reorganizations
    )
    meta = s.meta.model_copy(update={"source_path": DEMO_PATH, "title": s.meta.title})
    demo = s.model_copy(
        update={
            "meta": meta,
            "cards": tuple(cards),
            "audits": tuple(audits),
            "expenditure": exp,
            "revenue": revenue,
            "organization": org,
            "reorganizations": reorgs,
        }
    )
    return Settlement.model_validate(strip_sources(demo.model_dump(mode="json")))


def main() -> None:
    sample = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/seeds/000_1b1d515c849dd1d6.txt")
    OUT.write_text(dumps(build(sample)), encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
