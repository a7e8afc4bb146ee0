"""Running the catalogue over a settlement: every rule, isolated, silenced ones recorded."""

from __future__ import annotations

from dataclasses import dataclass, field

from gyeolsan.model import Finding, Location, Settlement, Severity
from gyeolsan.rules.catalogue import Rule, all_rules
from gyeolsan.rules.config import DEFAULT, RuleConfig
from gyeolsan.rules.context import RuleContext


@dataclass
class RunResult:
    findings: list[Finding]
    rules_run: int
    silenced: dict[str, str] = field(default_factory=dict)  # rule id → reason


def run(
    settlement: Settlement,
    config: RuleConfig = DEFAULT,
    path: str | None = None,
    rules: list[Rule] | None = None,
) -> RunResult:
    ctx = RuleContext(settlement=settlement, config=config, path=path or settlement.meta.source_path or "")
    findings: list[Finding] = []
    ran = 0
    for r in rules if rules is not None else all_rules():
        if r.id in config.silenced:
            continue
        ran += 1
        try:
            findings.extend(r.check(ctx))
        except Exception as exc:  # a rule bug must not hide the other rules' findings
            findings.append(
                Finding(
                    rule="RULE999",
                    severity=Severity.WARNING,
                    message=f"규칙 {r.id} 실행 중 내부 오류: {exc!r}",
                    message_en=f"Internal error while running rule {r.id}: {exc!r}",
                    hint="gyeolsan 개발팀에 알려 주십시오",
                    location=Location(path=ctx.path),
                )
            )
    findings.sort(key=Finding.sort_key)
    return RunResult(findings=findings, rules_run=ran, silenced=dict(config.silenced))
