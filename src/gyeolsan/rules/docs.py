"""docs/rules.md, generated from the catalogue (``gyeolsan rules --markdown`` / scripts/gen_rules_doc.py).

tests/rules/test_docs.py fails when a rule is missing from docs/rules.md or the page is stale.
"""

from __future__ import annotations

from dataclasses import fields

from gyeolsan.rules.catalogue import CATEGORIES, Rule, all_rules
from gyeolsan.rules.config import RuleConfig

SEVERITY_KO = {"error": "오류", "warning": "경고", "info": "참고"}

INTRO = """\
<!-- 이 파일은 자동 생성됩니다. 직접 고치지 말고 `uv run --frozen python scripts/gen_rules_doc.py`를 실행하십시오.
     Generated from the rule catalogue — do not edit; run `uv run --frozen python scripts/gen_rules_doc.py`. -->

# 검증 규칙 목록 / Rule catalogue

`gyeolsan check 보고서.txt`는 아래 규칙으로 결산 업무보고를 검증합니다. 규칙마다 고정된 번호(ID), 분류,
기본 심각도, 한국어·영어 제목, 고치는 방법(힌트), 예시 메시지가 있습니다. 합계 관계처럼 집계 항등식인 규칙은
같은 검사를 SQL(DuckDB에서 실행)로도 적어 두었습니다 (`gyeolsan.rules.sql`).

`gyeolsan check report.txt` validates a settlement report with the rules below. Every rule has a stable id,
a category, a default severity, a Korean and English title, a hint and an example; aggregate identities are
also given as SQL.

- **심각도 / severity**: 오류(error) = 틀린 숫자, 경고(warning) = 반올림 금액 기준 비율·설명 없는 차이·절차 문제,
  참고(info) = 끝수 차이·설명된 차이·표기. 한 규칙의 발견 사항이 기본 심각도보다 가벼울 수 있습니다
  (예: 설명된 차이는 참고).
- **위치 / location**: 틀린 값이 적힌 줄(`location.line`), 관련된 다른 줄은 `related`.
- **값 / values**: `stated`(기재값), `expected`(계산값), `difference`(기재 − 계산), 인쇄 단위 그대로.
- **종료 코드 / exit code**: 0 오류 없음, 1 오류 있음, 2 입력을 읽을 수 없음 (설정 파일 오류 포함).

사용법과 출력 형식은 [check.md](check.md)에 있습니다 / usage and output formats: [check.md](check.md).
"""

CONFIG = """\
## 설정 / Configuration (`--config rules.toml`)

```toml
[rules]
rounding_tolerance = 2     # 끝수 차이로 보는 ±범위 (표 단위, 천원)
new_item_rate = "100"      # 신규 항목의 증감률 표기 ("100" 또는 "순증")

[silence]                  # 끌 규칙과 그 사유 (사유는 필수이며 검사 결과에 함께 인쇄됩니다)
XREF009 = "2019년 예산표는 조직개편 후 기준으로 재작성함 (예산담당관 확인, 2019. 6.)"
```

| 설정 / setting | 기본값 / default |
|---|---|
"""


def _config_rows() -> str:
    default = RuleConfig()
    rows = [
        f"| `{f.name}` | `{getattr(default, f.name)!r}` |" for f in fields(RuleConfig) if f.name != "silenced"
    ]
    return "\n".join(rows) + "\n"


def _rule_md(r: Rule) -> str:
    lines = [
        f"### {r.id} — {r.title}",
        "",
        f"*{r.title_en}*",
        "",
        f"- 분류 / category: {CATEGORIES[r.category]} (`{r.category}`)",
        f"- 기본 심각도 / default severity: {SEVERITY_KO[r.severity.value]} (`{r.severity.value}`)",
        f"- 고치는 방법 / hint: {r.hint}",
    ]
    if r.example:
        lines.append(f"- 예시 / example: {r.example}")
    if r.doc:
        lines += ["", " ".join(r.doc.split())]
    if r.sql:
        lines += ["", "```sql", r.sql.strip(), "```"]
    return "\n".join(lines) + "\n"


def render_markdown() -> str:
    rules = all_rules()
    parts = [INTRO, "## 요약 / Summary", "", "| ID | 분류 | 심각도 | 제목 | Title |", "|---|---|---|---|---|"]
    parts += [
        f"| [{r.id}](#{r.id.lower()}) | {CATEGORIES[r.category]} | {SEVERITY_KO[r.severity.value]} | {r.title} | {r.title_en} |"
        for r in rules
    ]
    parts.append("")
    for category, title in CATEGORIES.items():
        members = [r for r in rules if r.category == category]
        if not members:
            continue
        parts.append(f"## {title} / {category}\n")
        parts += [_rule_md(r) for r in members]
    parts.append(CONFIG + _config_rows())
    return "\n".join(parts)


def render_list() -> str:
    rules = all_rules()
    width = max((len(r.title) for r in rules), default=10)
    lines = [
        f"{r.id:<9}{SEVERITY_KO[r.severity.value]:<4}{CATEGORIES[r.category]:<12}{r.title:<{width}}  {r.title_en}"
        for r in rules
    ]
    return "\n".join(lines) + f"\n\n규칙 {len(rules)}개 / {len(rules)} rules\n"
