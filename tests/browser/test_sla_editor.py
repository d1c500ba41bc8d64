"""The supervisors' SLA policy editor in a real browser, in Arabic."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from helpdesk.channels import Channel
from sla.display import format_duration
from sla.models import SLAChange, SLAPolicy

from .test_smoke import PASSWORD, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def site(demo_clock, live_server, django_db_serialized_rollback):
    call_command("seed_demo", password=PASSWORD)
    return live_server.url


def test_a_supervisor_edits_a_policy_in_arabic(page, site):
    policy = next(
        p
        for p in SLAPolicy.objects.filter(is_active=True).order_by("order", "pk")
        if Channel.CHAT not in p.channels and p.first_response
    )
    hours = int(policy.first_response.total_seconds() // 3600) + 1
    with translation.override("ar"):
        chat = str(Channel.CHAT.label)
        target = format_duration(timedelta(hours=hours), days=False)
        saved = translation.gettext("“%(name)s” saved.") % {"name": policy.name}
    sign_in(page, site, "supervisor")
    page.get_by_test_id("switch-language").click()
    page.goto(site + reverse("sla_settings"))

    page.get_by_test_id(f"edit-policy-{policy.pk}").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    form = page.get_by_test_id("policy-form")
    form.get_by_role("checkbox", name=chat, exact=True).check()
    form.locator('input[name="first_response_0"]').fill(str(hours))
    form.locator('input[name="first_response_1"]').fill("0")
    form.locator('input[name="first_response_1"]').blur()

    preview = page.get_by_test_id("policy-preview")
    expect(preview).to_contain_text(chat)
    expect(preview).to_contain_text(target)
    expect(page.get_by_test_id("impact-count")).to_be_visible()
    page.get_by_test_id("save-policy").click()

    expect(page).to_have_url(site + reverse("sla_settings"))
    expect(page.locator("body")).to_contain_text(saved)
    policy.refresh_from_db()
    assert Channel.CHAT in policy.channels
    assert policy.first_response == timedelta(hours=hours)
    assert SLAChange.objects.filter(object_id=policy.pk, subject="policy").exists()
