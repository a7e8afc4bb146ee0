"""``gyeolsan template``: an empty, documented workbook an officer can fill in and import back.

Sheets: 작성요령 (how to fill it, Korean), 세출_양식 (세부사업 × 통계목 rows), 세입_양식 (장/관/항/목 rows),
예산변경_양식 (이용·전용·이체·이월 records) and a hidden 코드 sheet with the code lists behind the
drop-downs. Every header cell carries a note (comment) saying what goes in it; amounts accept whole
numbers only; 통계목 and 분야·부문 come from drop-downs of the year's code list; the unit cell offers
원 / 천원. The ``template_*`` profiles read it back (they only look at these sheet names).
"""

from __future__ import annotations

import io
from pathlib import Path

from gyeolsan.io.sheets import codes as codelists

EXPENDITURE = [
    ("회계", "일반회계 또는 특별회계 이름 (예: 일반회계)", 12, False),
    ("부서", "부서(담당관·과) 이름. 필수. 같은 부서는 같은 이름으로 적습니다", 18, True),
    ("분야", "분야 코드와 이름 (예: 010 일반공공행정) — 목록에서 고르세요", 18, False),
    ("부문", "부문 코드와 이름 (예: 016 일반행정) — 목록에서 고르세요", 18, False),
    ("정책사업", "정책사업 이름. 기본경비는 '행정운영경비(부서명)'으로 적으면 기본경비로 모읍니다", 30, True),
    ("단위사업", "단위사업 이름. 기본경비는 '기본경비'", 30, True),
    ("세부사업코드", "세부사업 코드 (문자로 입력, 예: 201810101010A)", 18, False),
    ("세부사업", "세부사업 이름", 28, True),
    ("통계목", "통계목 코드와 이름 (예: 20101 사무관리비) — 목록에서 고르세요", 24, True),
    ("예산액", "본예산 + 추경 (정수, 단위는 2행의 단위)", 14, True),
    ("예산현액", "예산액 + 전년도 이월 + 예비비 ± 이용·전용·이체 (정수)", 14, True),
    ("지출액", "실제 지출한 금액 (정수)", 14, True),
    ("명시이월", "다음연도 명시이월액 (없으면 비워 둠)", 12, False),
    ("사고이월", "다음연도 사고이월액", 12, False),
    ("계속비이월", "다음연도 계속비이월액", 12, False),
    ("보조금 반납", "보조금 반납액", 12, False),
    ("집행잔액", "예산현액 − 지출액 − 이월액 − 반납액 (불용액)", 14, True),
]
REVENUE = [
    ("장", "세입 장 코드와 이름 (예: 200 세외수입)", 18, True),
    ("관", "관 코드와 이름 (예: 210 경상적세외수입)", 20, True),
    ("항", "항 코드와 이름 (예: 213 수수료수입)", 18, False),
    ("목", "목 코드와 이름 (예: 21304 기타수수료) — 목록에서 고르세요", 24, True),
    ("예산액", "세입 예산액 (정수)", 14, True),
    ("예산현액", "세입 예산현액 (정수)", 14, True),
    ("징수결정액", "징수결정액 (정수)", 14, True),
    ("수납액", "실제 수납액 (정수)", 14, True),
    ("불납결손액", "불납결손액 (정수)", 12, False),
    ("미수납액", "징수결정액 − 수납액 − 불납결손액", 14, True),
]
ADJUSTMENTS = [
    ("구분", "이용 · 전용 · 이체 · 변경사용 · 명시이월 · 사고이월 · 계속비이월 중 하나", 12, True),
    ("결정일", "결정(승인)한 날짜 (예: 2018-02-20)", 12, True),
    ("감액 부서", "줄어든 쪽 부서", 16, True),
    ("감액 단위사업", "줄어든 쪽 단위사업", 26, True),
    ("감액 통계목", "줄어든 쪽 통계목 (전용일 때)", 20, False),
    ("증액 부서", "늘어난 쪽 부서 (이월이면 비워 둠)", 16, False),
    ("증액 단위사업", "늘어난 쪽 단위사업", 26, False),
    ("증액 통계목", "늘어난 쪽 통계목 (전용일 때)", 20, False),
    ("금액", "변경 금액 (정수)", 14, True),
    ("사유", "변경 사유", 40, True),
    ("의회 승인일", "의회 승인일 (이용·명시이월)", 12, False),
    ("상임위 보고일", "상임위원회 보고일 (전용: 분기별 보고)", 12, False),
]
KINDS = ("이용", "전용", "이체", "변경사용", "명시이월", "사고이월", "계속비이월")
README = [
    "gyeolsan 결산 자료 양식 — 작성요령",
    "",
    "1. '세출_양식'에 세부사업 × 통계목 한 줄씩 적습니다. 합계·소계 줄은 넣지 않아도 됩니다 (넣으면 검산합니다).",
    "2. 금액은 정수만 적습니다. 단위는 각 시트 2행의 단위 칸(원/천원)에서 고릅니다. 음수는 -1,234 로 적습니다.",
    "3. 코드(분야·부문·통계목·세입 목)는 목록에서 고르면 '코드 이름' 형식으로 들어갑니다. 앞자리 0(010)을 지우지 마세요.",
    "4. 기본경비는 정책사업을 '행정운영경비(부서명)', 단위사업을 '기본경비'로 적으면 결산표의 기본경비(행정운영경비)로 모입니다.",
    "5. '세입_양식'에는 세입 과목(장·관·항·목)별 징수 실적을, '예산변경_양식'에는 이용·전용·이체·이월을 한 건씩 적습니다.",
    "6. 다 적으면: gyeolsan import 이파일.xlsx -o 결산.json  (또는 웹 화면의 '가져오기')",
    "7. 머리행(4행)의 이름과 시트 이름은 바꾸지 마세요. 각 머리 칸에 마우스를 올리면 설명이 보입니다.",
    "",
    "This workbook is the gyeolsan settlement input template: one row per 세부사업 × 통계목 (세출),",
    "per revenue item (세입) and per budget change (예산변경). Whole numbers only; pick the unit in row 2.",
]
MONEY_FORMAT = '#,##0;"△"#,##0;"-"'


def _code_choices(kind: str, year: int | None) -> list[str]:
    codes, _ = codelists.list_for_year(kind, year)
    if codes is None:
        return []
    leaf = codelists.LEVELS[kind][-1]
    return [f"{e.code} {e.name}" for e in codes.entries.values() if e.level == leaf]


def write_template(year: int | None = None, unit: str = "천원") -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    if unit not in ("원", "천원"):
        raise ValueError("unit must be 원 or 천원")
    wb = Workbook()
    readme = wb.active
    readme.title = "작성요령"
    for i, text in enumerate(README, start=1):
        readme.cell(i, 1, text)
    readme["A1"].font = Font(bold=True, size=14)
    readme.column_dimensions["A"].width = 120

    codes = wb.create_sheet("코드")
    lists = {
        "item": _code_choices("item", year),
        "function": _code_choices("function", year),
        "revenue": _code_choices("revenue", year),
    }
    ranges: dict[str, str] = {}
    for col, (kind, values) in enumerate(lists.items(), start=1):
        codes.cell(1, col, {"item": "통계목", "function": "분야·부문", "revenue": "세입 목"}[kind])
        for r, v in enumerate(values, start=2):
            codes.cell(r, col, v)
        letter = get_column_letter(col)
        ranges[kind] = f"코드!${letter}$2:${letter}${max(2, len(values) + 1)}"
    codes.sheet_state = "hidden"
    year_text = f"{year}회계연도 " if year else ""
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    must_fill = PatternFill("solid", fgColor="FCE4D6")

    def sheet(name: str, title: str, columns: list[tuple[str, str, int, bool]], money: set[str]) -> None:
        ws = wb.create_sheet(name)
        ws.cell(1, 1, f"{year_text}{title}").font = Font(bold=True, size=13)
        ws.cell(2, 1, "단위")
        unit_cell = ws.cell(2, 2, f"(단위: {unit})")
        dv_unit = DataValidation(type="list", formula1='"(단위: 원),(단위: 천원)"', allow_blank=False)
        dv_unit.prompt, dv_unit.promptTitle = "금액의 단위를 고르세요 (원 또는 천원)", "단위"
        ws.add_data_validation(dv_unit)
        dv_unit.add(unit_cell)
        ws.cell(3, 1, "※ 주황색 머리 칸은 필수입니다. 합계·소계 줄은 적지 않아도 됩니다.")
        for c, (label, note, width, required) in enumerate(columns, start=1):
            cell = ws.cell(4, c, label)
            cell.font = Font(bold=True)
            cell.fill = must_fill if required else head_fill
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.comment = Comment(note + (" (필수)" if required else ""), "gyeolsan", width=260, height=90)
            ws.column_dimensions[get_column_letter(c)].width = width
        last = 5000
        amount = DataValidation(
            type="whole",
            operator="between",
            formula1="-999999999999999",
            formula2="999999999999999",
            allow_blank=True,
        )
        amount.error, amount.errorTitle = "금액은 정수로 적습니다 (쉼표·소수점 없이)", "금액"
        ws.add_data_validation(amount)
        for c, (label, _, _, _) in enumerate(columns, start=1):
            letter = get_column_letter(c)
            if label in money:
                amount.add(f"{letter}5:{letter}{last}")
                for r in range(5, 205):
                    ws.cell(r, c).number_format = MONEY_FORMAT
        ws.freeze_panes = "A5"
        ws.print_title_rows = "4:4"
        ws.page_setup.orientation = "landscape"
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        pick = {
            "통계목": "item",
            "감액 통계목": "item",
            "증액 통계목": "item",
            "분야": "function",
            "부문": "function",
            "목": "revenue",
        }
        for c, (label, _, _, _) in enumerate(columns, start=1):
            kind = pick.get(label)
            if kind and lists[kind]:
                dv = DataValidation(
                    type="list", formula1=ranges[kind], allow_blank=True, showErrorMessage=False
                )
                dv.prompt, dv.promptTitle = "목록에서 고르거나 '코드 이름'으로 적으세요", label
                ws.add_data_validation(dv)
                letter = get_column_letter(c)
                dv.add(f"{letter}5:{letter}{last}")
        if name == "예산변경_양식":
            kinds = DataValidation(type="list", formula1='"' + ",".join(KINDS) + '"', allow_blank=False)
            ws.add_data_validation(kinds)
            kinds.add(f"A5:A{last}")
            dates = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True)
            dates.error = "날짜로 적습니다 (예: 2018-02-20)"
            ws.add_data_validation(dates)
            for letter in ("B", "K", "L"):
                dates.add(f"{letter}5:{letter}{last}")
                for r in range(5, 205):
                    ws[f"{letter}{r}"].number_format = "yyyy-mm-dd"

    sheet(
        "세출_양식",
        "세출 집행 현황 (세부사업·통계목별)",
        EXPENDITURE,
        {"예산액", "예산현액", "지출액", "명시이월", "사고이월", "계속비이월", "보조금 반납", "집행잔액"},
    )
    sheet(
        "세입_양식",
        "세입 징수 현황 (장·관·항·목별)",
        REVENUE,
        {"예산액", "예산현액", "징수결정액", "수납액", "불납결손액", "미수납액"},
    )
    sheet("예산변경_양식", "예산 이용·전용·이체·이월 내역", ADJUSTMENTS, {"금액"})
    wb.move_sheet("코드", offset=3)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


EXAMPLE_ROWS = [
    [
        "일반회계",
        "가정책과",
        "010 일반공공행정",
        "016 일반행정",
        "가정책사업",
        "가단위사업",
        "201810101010A",
        "가세부사업",
        "20101 사무관리비",
        1000,
        900,
        850,
        None,
        None,
        None,
        None,
        50,
    ],
    [
        "일반회계",
        "가정책과",
        "010 일반공공행정",
        "016 일반행정",
        "가정책사업",
        "가단위사업",
        "201810101010A",
        "가세부사업",
        "20103 행사운영비",
        500,
        600,
        600,
        None,
        None,
        None,
        None,
        0,
    ],
    [
        "일반회계",
        "가정책과",
        "010 일반공공행정",
        "016 일반행정",
        "가정책사업",
        "나단위사업",
        "201810101020A",
        "나세부사업",
        "40101 시설비",
        2000,
        2000,
        1500,
        None,
        300,
        None,
        None,
        200,
    ],
    [
        "일반회계",
        "가정책과",
        "010 일반공공행정",
        "016 일반행정",
        "행정운영경비(가정책과)",
        "기본경비",
        "201810199010A",
        "기본경비",
        "20101 사무관리비",
        300,
        300,
        280,
        None,
        None,
        None,
        None,
        20,
    ],
]


def fill_example(path: Path) -> None:
    """Fill a written template with a few consistent example rows (used by the test fixtures)."""
    from datetime import datetime

    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb["세출_양식"]
    for r, row in enumerate(EXAMPLE_ROWS, start=5):
        for c, v in enumerate(row, start=1):
            ws.cell(r, c, v)
    rv = wb["세입_양식"]
    for c, v in enumerate(
        [
            "200 세외수입",
            "210 경상적세외수입",
            "213 수수료수입",
            "21304 기타수수료",
            100,
            100,
            120,
            110,
            None,
            10,
        ],
        start=1,
    ):
        rv.cell(5, c, v)
    aj = wb["예산변경_양식"]
    row = [
        "전용",
        datetime(2018, 3, 2),
        "가정책과",
        "가단위사업",
        "20101 사무관리비",
        "가정책과",
        "가단위사업",
        "20103 행사운영비",
        100,
        "행사 추가",
        None,
        datetime(2018, 4, 20),
    ]
    for c, v in enumerate(row, start=1):
        aj.cell(5, c, v)
    wb.properties.created = wb.properties.modified = datetime(2019, 2, 28, 9, 0, 0)
    wb.save(path)
