"""The monitoring forms on a laptop (1366×768) and a phone (390×844): the entry form fits its card
(on a phone each indicator is a card of its own), its inputs and the reviewer's 通过/退回 buttons are
on screen, the jump message in the 说明 column is whole, and a form being sent shows it: its
buttons disabled and “正在提交…” next to the one pressed, until the user comes back to the page."""
import pytest
from django.core.management import call_command

from accounts.models import Organization
from projects.models import IndicatorValue

from .layout import LAPTOP, PHONE, SCROLLERS, overflowing

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PLAN = "jizhou-14-sti"

# Scrolling boxes whose content is wider than they are: on these pages nothing should hide sideways.
HIDDEN_SIDEWAYS = """(scrollers) => Array.from(document.querySelectorAll(scrollers))
  .filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => `${el.scrollWidth} > ${el.clientWidth}`)"""


def load_demo():
    call_command("load_seed_plans", user="system:seed", verbosity=0)
    call_command("create_demo_accounts", user="system:demo", verbosity=0)
    call_command("load_demo_values", user="system:demo", verbosity=0)


def sign_in(browser, live_server, viewport, username):
    context = browser.new_context(locale="zh-CN", viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f"guihua-{username}-2026")
    page.click("button[type=submit].primary")
    page.wait_for_load_state()
    return context, page


def entry_url(live_server, year):
    org = Organization.objects.get(name="蓟州区科技局")
    return f"{live_server.url}/monitoring/{PLAN}/{year}/{org.pk}/entry/"


def assert_inside_the_screen(page, viewport, path):
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], path
    assert overflowing(page) == [], path
    assert page.evaluate(HIDDEN_SIDEWAYS, SCROLLERS) == [], path


def assert_on_screen(page, locator, viewport):
    """Each element, once scrolled to, lies wholly inside the viewport."""
    assert locator.count(), "nothing to look at"
    for i in range(locator.count()):
        element = locator.nth(i)
        element.evaluate("(el) => el.scrollIntoView({block: 'center', inline: 'nearest'})")
        box = element.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"] + 0.5, (i, box)
        assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"] + 0.5, (i, box)


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_it_keeps_the_entry_form_and_its_inputs_on_the_screen(browser, live_server, viewport):
    load_demo()
    context, page = sign_in(browser, live_server, viewport, "official")
    for year in (2024, 2025):  # 2025 shows four prior years: the widest table
        page.goto(entry_url(live_server, year))
        assert_inside_the_screen(page, viewport, year)
        fields = page.locator(".entry-table input[type=text]:not([disabled]), .entry-table textarea:not([disabled])")
        assert_on_screen(page, fields, viewport)
        assert_on_screen(page, page.locator(".entry-actions button"), viewport)
    page.goto(entry_url(live_server, 2024).replace("/entry/", "/progress/"))  # key-project progress, same layout
    assert_inside_the_screen(page, viewport, "progress")
    assert_on_screen(page, page.locator(".entry-table textarea:not([disabled])"), viewport)
    page.goto(entry_url(live_server, 2024))
    if viewport is PHONE:  # each indicator is a card: one under the other, the screen's width
        rows = page.locator(".entry-table tbody tr")
        first, second = rows.nth(0).bounding_box(), rows.nth(1).bounding_box()
        assert second["y"] >= first["y"] + first["height"] and first["width"] <= viewport["width"]
    context.close()


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_it_shows_the_jump_message_whole_in_the_note_column(browser, live_server, viewport):
    load_demo()
    context, page = sign_in(browser, live_server, viewport, "official")
    page.goto(entry_url(live_server, 2025))
    org = Organization.objects.get(name="蓟州区科技局")
    indicator = org.indicators.filter(plan__code=PLAN).order_by("number").first()
    page.fill(f"input[name='v{indicator.pk}-value']", "999999")
    page.get_by_role("button", name="提交审核").click()
    page.wait_for_load_state()
    message = page.locator(f"#indicator-{indicator.pk} td.note .errorlist")
    assert "请在说明中写明原因" in message.inner_text()
    assert_inside_the_screen(page, viewport, "jump")
    assert_on_screen(page, message, viewport)
    assert message.evaluate("(el) => el.scrollWidth <= el.clientWidth + 1")  # not cut inside its box either
    assert not IndicatorValue.objects.filter(indicator=indicator, year=2025).exists()
    context.close()


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_it_keeps_the_reviewers_buttons_on_the_screen(browser, live_server, viewport):
    load_demo()
    context, page = sign_in(browser, live_server, viewport, "reviewer")
    page.goto(f"{live_server.url}/monitoring/review/")
    assert_inside_the_screen(page, viewport, "review")
    assert_on_screen(page, page.locator(".review-table td.actions button"), viewport)
    assert_on_screen(page, page.locator(".review-table td.actions textarea"), viewport)
    assert_on_screen(page, page.get_by_role("button", name="审核通过所选"), viewport)
    context.close()


def test_a_form_being_sent_disables_its_buttons_and_says_so_until_the_user_comes_back(browser, live_server):
    load_demo()
    context, page = sign_in(browser, live_server, PHONE, "official")
    page.goto(entry_url(live_server, 2024))
    # Stop the submission after busy.js has seen it (window hears the event after document), so the
    # page stays as the user sees it while the server works. That the pressed button's action still
    # reaches the server is shown by test_monitoring_workflow, whose clicks go through busy.js.
    page.evaluate("window.addEventListener('submit', (event) => event.preventDefault())")
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_function("Array.from(document.querySelectorAll('.entry-actions button')).every((b) => b.disabled)")
    assert page.locator(".busy-note").inner_text() == "正在提交…"
    assert page.locator(".busy-note .spinner").count() == 1
    assert page.locator("form[aria-busy=true]").count() == 1
    page.keyboard.press("Enter")  # a second submit of a busy form sends nothing more
    assert page.locator(".busy-note").count() == 1

    page.evaluate("window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))")  # back again
    assert page.locator(".busy-note").count() == 0
    assert page.locator(".entry-actions button:disabled").count() == 0
    assert page.locator("form[aria-busy]").count() == 0
    context.close()


def test_the_lock_confirmation_is_a_busy_form_too(browser, live_server):
    load_demo()
    context, page = sign_in(browser, live_server, LAPTOP, "planner")
    page.goto(f"{live_server.url}/monitoring/{PLAN}/2024/completeness/")
    page.click("#year-lock")
    page.wait_for_load_state()
    assert "草稿（未提交）" in page.locator("#lock-summary").inner_text()
    assert_on_screen(page, page.locator("#confirm-lock, #cancel-lock"), LAPTOP)
    page.click("#confirm-lock")
    page.wait_for_load_state()
    assert "已锁定" in page.locator(".messages").inner_text()
    assert "解锁年度" in page.content()
    context.close()
