"""Keyboard shortcuts for agents, in a real browser, in English and in Arabic
(right to left, with the keys an Arabic keyboard sends)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from tickets import services
from tickets.models import Queue
from tickets.permissions import AGENTS

from ..factories import UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "pw-for-tests-1"
SUBJECTS = ["First in line", "Second in line", "Third in line"]

# What an Arabic (101) keyboard sends for the keys at the positions of j, k,
# r, n and /: the letter it types, and the physical key.
ARABIC_KEYS = {
    "j": ("ت", "KeyJ"),
    "k": ("ن", "KeyK"),
    "r": ("ق", "KeyR"),
    "n": ("ى", "KeyN"),
    "/": ("ظ", "Slash"),
    "?": ("؟", "Slash"),
}


DISPATCH = """([key, code]) => (document.activeElement || document.body).dispatchEvent(
    new KeyboardEvent("keydown", {
        key, code, shiftKey: key === "؟", bubbles: true, cancelable: true,
    }))"""


@pytest.fixture
def site(live_server, django_db_serialized_rollback):
    agent = UserFactory(username="nadia", first_name="Nadia")
    agent.groups.add(Group.objects.get(name=AGENTS))
    queue = Queue.objects.create(name="Service", slug="service")
    queue.agents.add(agent)
    customer = services.create_customer(name="Layla", email="layla@example.com")
    now = timezone.now()
    for age, subject in enumerate(SUBJECTS):
        services.open_ticket(
            customer=customer,
            subject=subject,
            body_text="Please help.",
            channel="email",
            queue=queue,
            received_at=now - timedelta(hours=len(SUBJECTS) - age),
        )
    return live_server.url


@pytest.fixture(params=["en", "ar"])
def language(request):
    return request.param


def sign_in(page, site, language):
    page.goto(site + reverse("login"))
    page.get_by_label("Username or email").fill("nadia")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(site + reverse("login"))
    if language == "ar":
        page.get_by_test_id("switch-language").click()
        expect(page.locator("html")).to_have_attribute("dir", "rtl")


def press(page, language, key):
    """Press a shortcut key as the agent's keyboard would send it, once the
    page's shortcuts are listening (the script is deferred)."""
    expect(page.locator("html")).to_have_attribute("data-shortcuts", "on")
    if language == "ar" and key in ARABIC_KEYS:
        letter, code = ARABIC_KEYS[key]
        page.evaluate(DISPATCH, [letter, code])
    else:
        page.keyboard.press(key)


def queue(page, site):
    page.goto(site + reverse("tickets:list") + "?view=open")
    rows = page.get_by_test_id("ticket-table").locator("tbody tr")
    expect(rows).to_have_count(len(SUBJECTS))
    return rows


def test_j_and_k_move_the_selection_and_enter_opens_the_ticket(page, site, language):
    sign_in(page, site, language)
    rows = queue(page, site)
    selected = page.locator('tbody tr[aria-selected="true"]')
    expect(selected).to_have_count(0)

    press(page, language, "j")
    expect(rows.nth(0)).to_have_attribute("aria-selected", "true")
    press(page, language, "j")
    press(page, language, "j")
    expect(rows.nth(2)).to_have_attribute("aria-selected", "true")
    press(page, language, "k")
    expect(selected).to_have_count(1)
    expect(rows.nth(1)).to_have_attribute("aria-selected", "true")
    second = rows.nth(1).locator("a.ticket-number").inner_text()

    page.keyboard.press("Enter")

    expect(page.get_by_test_id("ticket-header")).to_contain_text(second)


def test_j_and_k_on_a_ticket_go_through_the_queue_the_agent_came_from(
    page, site, language
):
    sign_in(page, site, language)
    rows = queue(page, site)
    numbers = rows.locator("a.ticket-number").all_inner_texts()
    rows.nth(0).locator("a.ticket-number").click()
    header = page.get_by_test_id("ticket-header")
    expect(header).to_contain_text(numbers[0])

    press(page, language, "j")
    expect(header).to_contain_text(numbers[1])
    press(page, language, "j")
    expect(header).to_contain_text(numbers[2])
    press(page, language, "k")
    expect(header).to_contain_text(numbers[1])


def test_r_and_n_focus_the_reply_and_the_note_and_typing_j_types_it(
    page, site, language
):
    sign_in(page, site, language)
    rows = queue(page, site)
    rows.nth(0).locator("a.ticket-number").click()
    url = page.url

    press(page, language, "n")
    note = page.locator("#tab-note textarea")
    expect(note).to_be_focused()
    expect(page.locator("#tab-note")).to_be_visible()
    page.keyboard.type("r")  # typed into the note: no jump to the reply
    expect(note).to_have_value("r")
    note.blur()

    press(page, language, "r")
    reply = page.locator("#reply-body")
    expect(reply).to_be_focused()
    expect(page.locator("#tab-reply")).to_be_visible()

    page.keyboard.type("jk")
    if language == "ar":
        press(page, language, "j")  # dispatched on the focused reply box
    expect(reply).to_have_value("jk")
    assert page.url == url


def test_slash_focuses_search_and_question_mark_lists_the_shortcuts(
    page, site, language
):
    sign_in(page, site, language)
    queue(page, site)

    press(page, language, "/")
    expect(page.locator("#queue-search")).to_be_focused()
    page.keyboard.type("x")
    expect(page.locator("#queue-search")).to_have_value("x")
    page.locator("#queue-search").blur()

    dialog = page.get_by_test_id("shortcuts-help")
    expect(dialog).to_be_hidden()
    press(page, language, "?")
    expect(dialog).to_be_visible()
    with translation.override(language):
        expect(dialog).to_contain_text(gettext("Keyboard shortcuts"))
        expect(dialog).to_contain_text(gettext("Write an internal note"))
    if language == "ar":
        assert dialog.evaluate("el => getComputedStyle(el).direction") == "rtl"
    page.screenshot(path=f"/tmp/browser-shortcuts-{language}.png")
    page.keyboard.press("j")  # not while the list is open
    expect(page.locator('tbody tr[aria-selected="true"]')).to_have_count(0)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()


def test_the_shortcuts_list_is_in_the_user_menu(page, site, language):
    sign_in(page, site, language)
    page.goto(site + reverse("tickets:list"))
    with translation.override(language):
        name = gettext("Keyboard shortcuts")
    page.wait_for_load_state()  # Bootstrap, which opens the menu, is deferred
    page.get_by_role("button", name="Nadia").click()
    page.get_by_role("button", name=name).click()
    expect(page.get_by_test_id("shortcuts-help")).to_be_visible()
    page.get_by_test_id("shortcuts-help").get_by_role("button").click()
    expect(page.get_by_test_id("shortcuts-help")).to_be_hidden()
