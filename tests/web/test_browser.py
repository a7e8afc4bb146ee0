"""Real browser (Playwright + Debian chromium): the whole workflow by four people, keyboard use, axe-core.

Set ``GYEOLSAN_SCREENSHOTS=docs/images`` to also save a screenshot of every main screen
(``web-*.png``, demo data) while the accessibility test walks through them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gyeolsan.web import workflow
from gyeolsan.web.workspace.models import BudgetLine, Membership, Role, State
from tests.web.helpers import unit_line

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-7"


def _user(django_user_model, name, role, office, division=""):
    user = django_user_model.objects.create_user(name, password=PASSWORD, first_name=name)
    Membership.objects.create(user=user, office=office, role=role, division_name=division)
    return user


def _login(browser, live_server, username):
    context = browser.new_context(
        locale="ko-KR", viewport={"width": 1360, "height": 900}, accept_downloads=True
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("아이디").fill(username)
    page.get_by_label("비밀번호").fill(PASSWORD)
    page.get_by_role("button", name="로그인").click()
    page.wait_for_url(f"{live_server.url}/")
    return page


def test_write_submit_approve_lock_download(live_server, browser, django_user_model, clean_model):
    from gyeolsan.web.convert import from_model

    record = from_model(clean_model)
    a, *others = list(record.divisions.all())
    office = record.office
    _user(django_user_model, "writer", Role.WRITER, office, a.name)
    _user(django_user_model, "approver", Role.APPROVER, office, a.name)
    coordinator = _user(django_user_model, "coordinator", Role.COORDINATOR, office)
    _user(django_user_model, "viewer", Role.VIEWER, None)
    for d in others:  # the other divisions are already through
        workflow.submit(d, coordinator)
        workflow.approve(d, coordinator)
    row = unit_line(record, a)
    parent = BudgetLine.objects.get(pk=row.parent_id)
    original = f"{row.spent:,}"

    # 작성자: edits a figure, sees the finding appear next to the row, fixes it, submits
    page = _login(browser, live_server, "writer")
    page.goto(f"{live_server.url}/s/{record.pk}/table/")
    cell = page.locator(f'input.cell[data-pk="{row.pk}"][data-field="spent"]')
    rows_of_the_subtotal = page.locator(
        f'tr[data-tag="budgetline:{parent.pk}"], tr[data-tag="budgetline:{row.pk}"]'
    )
    assert (
        "SUM001" not in rows_of_the_subtotal.all_inner_texts()[0] + rows_of_the_subtotal.all_inner_texts()[1]
    )
    cell.fill(f"{row.spent + 500:,}")
    rows_of_the_subtotal.locator(
        ".findings-cell", has_text="SUM001"
    ).first.wait_for()  # live check while typing
    row.refresh_from_db()
    assert f"{row.spent:,}" == original  # nothing saved yet
    cell.press("Tab")  # leaving the cell saves
    page.locator(f"#msg-c-{row.pk}-spent").get_by_text("저장됨").wait_for()
    assert page.locator("td.m-error").count() >= 1  # the cell the finding is about is marked
    cell.fill(original)
    cell.press("Tab")
    page.wait_for_function(
        "![...document.querySelectorAll('.findings-cell')].some(c => c.textContent.includes('SUM001'))"
    )
    page.goto(f"{live_server.url}/s/{record.pk}/workflow/")
    page.locator(f"#submit-{a.pk} button[type=submit]").click()
    page.get_by_text(f"{a.name}: 제출했습니다.").wait_for()
    a.refresh_from_db()
    assert a.state == State.SUBMITTED

    # 승인자 approves
    page = _login(browser, live_server, "approver")
    page.goto(f"{live_server.url}/s/{record.pk}/workflow/")
    page.get_by_role("row", name=a.name).get_by_role("button", name="승인").click()
    page.get_by_text(f"{a.name}: 승인했습니다.").wait_for()

    # 총괄 locks and downloads the PDF
    page = _login(browser, live_server, "coordinator")
    page.goto(f"{live_server.url}/s/{record.pk}/workflow/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="결산 확정(잠금)").click()
    page.get_by_text("결산을 확정(잠금)했습니다.").wait_for()
    page.goto(f"{live_server.url}/s/{record.pk}/documents/")
    page.get_by_label("형식").select_option("pdf")
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="생성").click()
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(b"%PDF") and download.value.suggested_filename.endswith(".pdf")

    # 열람자 reads but cannot edit
    page = _login(browser, live_server, "viewer")
    page.goto(f"{live_server.url}/s/{record.pk}/table/")
    assert page.locator("input.cell").count() == 0
    page.get_by_role("cell", name=original).first.wait_for()
    status = page.evaluate(
        """async ([url, pk]) => {
            const csrf = document.querySelector('meta[name="csrf-token"]').content;
            const body = new URLSearchParams({model: 'budgetline', pk, field: 'spent', value: '1', version: '1', mode: 'save'});
            const r = await fetch(url, {method: 'POST', headers: {'X-CSRFToken': csrf}, body});
            return r.status;
        }""",
        [f"{live_server.url}/s/{record.pk}/edit/", str(row.pk)],
    )
    assert status == 403


def test_conflict_is_shown_with_both_values(live_server, browser, django_user_model, clean_model):
    from gyeolsan.web.convert import from_model
    from gyeolsan.web.editing import update_row

    record = from_model(clean_model)
    a = record.divisions.first()
    writer = _user(django_user_model, "writer", Role.WRITER, record.office, a.name)
    row = unit_line(record, a)
    page = _login(browser, live_server, "writer")
    page.goto(f"{live_server.url}/s/{record.pk}/table/")
    assert update_row(BudgetLine, row.pk, {"spent": "111"}, row.version, writer).ok  # someone else, meanwhile
    cell = page.locator(f'input.cell[data-pk="{row.pk}"][data-field="spent"]')
    cell.fill("222")
    cell.press("Tab")
    message = page.locator(f"#msg-c-{row.pk}-spent")
    message.get_by_text("현재 값 111").wait_for()
    assert "입력한 값 222" in message.inner_text()
    message.get_by_role("button", name="내 값으로 저장").click()
    message.get_by_text("저장됨").wait_for()
    row.refresh_from_db()
    assert row.spent == 222


def test_keyboard_only_login_and_navigation(live_server, browser, django_user_model, clean_model):
    from gyeolsan.web.convert import from_model

    record = from_model(clean_model)
    _user(django_user_model, "viewer", Role.VIEWER, None)
    context = browser.new_context(locale="ko-KR")
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    assert page.evaluate("document.activeElement.id") == "id_username"  # autofocus
    page.keyboard.type("viewer")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.textContent") == "본문 바로가기"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.get_by_role("link", name=record.office.name).focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/s/{record.pk}/")
    outline = page.evaluate(
        "(() => { const a = document.querySelector('nav.tabs a'); a.focus(); return getComputedStyle(a).outlineStyle; })()"
    )
    assert outline == "solid"  # visible focus


MAIN_SCREENS = [
    ("dashboard", "/s/{pk}/"),
    ("table", "/s/{pk}/table/"),
    ("table-next-year", "/s/{pk}/table/next_year/"),
    ("cards", "/s/{pk}/cards/"),
    ("card-editor", "/s/{pk}/cards/{card}/"),
    ("adjustments", "/s/{pk}/adjustments/"),
    ("audits", "/s/{pk}/audits/"),
    ("findings", "/s/{pk}/findings/"),
    ("workflow", "/s/{pk}/workflow/"),
    ("documents", "/s/{pk}/documents/"),
    ("compare", "/s/{pk}/compare/"),
    ("history", "/s/{pk}/history/?all=1"),
    ("import", "/import/"),
    ("home", "/"),
]


@pytest.mark.parametrize("who", ["writer", "coordinator"])
def test_axe_on_every_main_screen(live_server, browser, django_user_model, demo_model, who):
    from axe_playwright_python.sync_playwright import Axe

    from gyeolsan.web.convert import from_model
    from gyeolsan.web.workspace.models import ProgramCard

    record = from_model(demo_model)
    _user(django_user_model, "writer", Role.WRITER, record.office, "뉴미디어담당관")
    _user(django_user_model, "coordinator", Role.COORDINATOR, record.office)
    card = ProgramCard.objects.filter(settlement=record, division__name="뉴미디어담당관").first()
    page = _login(browser, live_server, who)
    axe = Axe()
    problems = []
    for name, url in MAIN_SCREENS:
        page.goto(live_server.url + url.format(pk=record.pk, card=card.pk))
        results = axe.run(page)
        for v in results.response["violations"]:
            if v["impact"] in ("serious", "critical"):
                problems.append(f"{name}: {v['id']} ({v['impact']}) {v['help']} — {v['nodes'][0]['target']}")
    login_page = browser.new_page()
    login_page.goto(f"{live_server.url}/login/")
    for v in axe.run(login_page).response["violations"]:
        if v["impact"] in ("serious", "critical"):
            problems.append(f"login: {v['id']} {v['help']}")
    assert not problems, "\n".join(problems)


SHOTS = os.environ.get("GYEOLSAN_SCREENSHOTS")


@pytest.mark.skipif(
    not SHOTS, reason="GYEOLSAN_SCREENSHOTS=docs/images refreshes the documentation screenshots"
)
def test_screenshots(live_server, browser, django_user_model, demo_model):
    """docs/images/web-*.png: every main screen with the demo data and a few edits, as the officers see it."""
    from gyeolsan.web import documents
    from gyeolsan.web.convert import from_model
    from gyeolsan.web.editing import update_row
    from gyeolsan.web.validation import findings_of
    from gyeolsan.web.workspace.models import ProgramCard

    out = Path(SHOTS)  # type: ignore[arg-type]
    record = from_model(demo_model)
    writer = _user(django_user_model, "writer", Role.WRITER, record.office, "뉴미디어담당관")
    writer.first_name = "김작성"
    writer.save()
    coordinator = _user(django_user_model, "coordinator", Role.COORDINATOR, record.office)
    coordinator.first_name = "박총괄"
    coordinator.save()
    division = record.divisions.get(name="뉴미디어담당관")
    line = BudgetLine.objects.get(settlement=record, place="settlement", kind="division", division=division)
    assert update_row(BudgetLine, line.pk, {"rate": "96.2"}, line.version, writer).ok  # fixes RATE001
    warning = next(a for a in findings_of(record).for_division(division.pk) if a.severity.value == "warning")
    workflow.explain(
        record, warning.key, "'19년 조직개편으로 사업이 이관되어 전년 예산이 다시 작성되었습니다.", writer
    )
    documents.generate(record, "pdf", coordinator)
    card = ProgramCard.objects.filter(settlement=record, division=division).first()

    page = _login(browser, live_server, "writer")
    base = f"{live_server.url}/s/{record.pk}"

    def shot(name: str, url: str, focus: str | None = None) -> None:
        page.goto(url)
        if focus:
            page.locator(focus).first.scroll_into_view_if_needed()
            page.evaluate("window.scrollBy(0, -120)")
        page.screenshot(path=str(out / f"web-{name}.png"))

    shot("home", f"{live_server.url}/")
    shot("dashboard", f"{base}/")
    page.goto(f"{base}/table/")
    unit = BudgetLine.objects.get(settlement=record, place="settlement", name="뉴미디어 웹사이트 운영")
    cell = page.locator(f'input.cell[data-pk="{unit.pk}"][data-field="spent"]')
    cell.scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, -260)")
    cell.fill("1,704,462")
    page.locator(".findings-cell", has_text="SUM001").first.wait_for()
    page.screenshot(path=str(out / "web-table.png"))
    shot("table-next-year", f"{base}/table/next_year/", "tr.k-division")
    shot("cards", f"{base}/cards/")
    shot("card-editor", f"{base}/cards/{card.pk}/")
    shot("adjustments", f"{base}/adjustments/")
    shot("audits", f"{base}/audits/")
    shot("findings", f"{base}/findings/?division={division.pk}")
    shot("workflow", f"{base}/workflow/")
    shot("documents", f"{base}/documents/")
    shot("compare", f"{base}/compare/?measure=budget")
    shot("history", f"{base}/history/")
    shot("import", f"{live_server.url}/import/")
    login_page = browser.new_page(viewport={"width": 1360, "height": 700})
    login_page.goto(f"{live_server.url}/login/")
    login_page.screenshot(path=str(out / "web-login.png"))
