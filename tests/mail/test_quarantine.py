"""The quarantine: administrators see why a message was kept, download it,
take it in again after a fix, or discard it."""

import os

import pytest
from django.test import Client

from mail.intake import ingest
from mail.models import InboundEmail, QuarantinedEmail
from tickets.models import Ticket

from .builders import raw_email

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/mail/quarantinedemail/"


@pytest.fixture
def kept(queue, settings):
    settings.EMAIL_MAX_BYTES = 1000
    raw = raw_email(body="x" * 1500)
    ingest(raw, source=InboundEmail.Source.COMMAND)
    item = QuarantinedEmail.objects.get()
    item.sent_bytes = raw
    return item


@pytest.fixture
def admin_client(admin_user):
    client = Client()
    client.force_login(admin_user)
    return client


def test_the_administrator_sees_the_reason_and_downloads_the_whole_message(
    kept, admin_client
):
    page = admin_client.get(f"{CHANGELIST}{kept.pk}/change/")
    raw = admin_client.get(f"{CHANGELIST}{kept.pk}/raw/")

    assert "larger than the limit" in page.content.decode()
    assert (kept.sender, kept.subject) == ("layla@example.com", "Where is my parcel?")
    assert raw.status_code == 200
    assert b"".join(raw.streaming_content) == kept.sent_bytes


def test_agents_and_supervisors_cannot_see_the_quarantine(
    kept, agent_client, supervisor_client
):
    for client in (agent_client, supervisor_client):
        raw = client.get(f"{CHANGELIST}{kept.pk}/raw/")
        assert raw.status_code in (302, 403, 404)
        assert b"xxxx" not in raw.content
        assert client.get(CHANGELIST).status_code in (302, 403)


def test_after_the_limit_is_raised_a_kept_message_is_taken_in(
    kept, admin_client, settings
):
    settings.EMAIL_MAX_BYTES = 10_000

    admin_client.post(
        CHANGELIST, {"action": "reprocess", "_selected_action": [kept.pk]}
    )

    ticket = Ticket.objects.get()
    assert ticket.subject == "Where is my parcel?"
    kept.refresh_from_db()
    assert kept.resolution == QuarantinedEmail.Resolution.REPROCESSED
    assert kept.resolved_by.is_superuser


def test_a_discarded_message_is_gone_but_its_record_stays(kept, admin_client):
    path = kept.raw.path

    admin_client.post(CHANGELIST, {"action": "discard", "_selected_action": [kept.pk]})

    kept.refresh_from_db()
    assert kept.resolution == QuarantinedEmail.Resolution.DISCARDED
    assert not kept.raw
    assert not os.path.exists(path)
    assert admin_client.get(f"{CHANGELIST}{kept.pk}/raw/").status_code == 404
