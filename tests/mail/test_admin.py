"""The mailboxes in the admin: supervisors connect them, the password is
never shown back, and the reading state is on the page."""

import pytest
from django.urls import reverse

from mail import secrets
from mail.models import Mailbox

from ..imap_server import PASSWORD
from .builders import raw_email

pytestmark = pytest.mark.django_db
ADD = reverse("admin:mail_mailbox_add")
LIST = reverse("admin:mail_mailbox_changelist")


def form(queue, **fields):
    return {
        "name": "Support",
        "email_address": "support@example.org",
        "queue": queue.pk,
        "is_active": "on",
        "imap_host": "imap.example.org",
        "imap_port": "993",
        "imap_security": "ssl",
        "imap_user": "support",
        "password": "",
        "imap_secret_env": "",
        "imap_folder": "INBOX",
        "processed_folder": "",
        **fields,
    }


def test_a_supervisor_connects_a_mailbox_and_the_password_is_never_shown(
    mail_key, supervisor_client, queue
):
    response = supervisor_client.post(ADD, form(queue, password="hunter2-secret"))
    assert response.status_code == 302
    mailbox = Mailbox.objects.get()
    assert secrets.password(mailbox) == "hunter2-secret"

    page = supervisor_client.get(
        reverse("admin:mail_mailbox_change", args=[mailbox.pk])
    ).content.decode()
    assert "hunter2" not in page
    assert mailbox.imap_secret_encrypted not in page
    assert "leave empty to keep the current one" in page

    response = supervisor_client.post(
        reverse("admin:mail_mailbox_change", args=[mailbox.pk]),
        form(queue, imap_folder="Support"),
    )
    assert response.status_code == 302
    mailbox.refresh_from_db()
    assert mailbox.imap_folder == "Support"
    assert secrets.password(mailbox) == "hunter2-secret"


def test_without_a_key_the_form_says_to_use_an_environment_variable(
    settings, supervisor_client, queue
):
    settings.MAIL_SECRET_KEY = ""

    response = supervisor_client.post(ADD, form(queue, password="hunter2-secret"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "MAIL_SECRET_KEY is not set" in page
    assert "hunter2" not in page
    assert not Mailbox.objects.exists()
    response = supervisor_client.post(
        ADD, form(queue, imap_secret_env="SUPPORT_IMAP_PASSWORD")
    )
    assert response.status_code == 302


def test_an_imap_mailbox_needs_a_password(mail_key, supervisor_client, queue):
    response = supervisor_client.post(ADD, form(queue))

    assert response.status_code == 200
    assert "Give the password" in response.content.decode()


def test_an_agent_cannot_open_the_mailboxes(agent_client):
    assert agent_client.get(LIST).status_code in (302, 403)


def test_the_list_shows_how_each_mailbox_reads(
    mail_key,
    supervisor_client,
    queue,
    dovecot,
    imap_user,
):
    good = Mailbox(
        name="Support",
        email_address="support@example.org",
        queue=queue,
        imap_host="127.0.0.1",
        imap_port=dovecot.port,
        imap_security=Mailbox.Security.NONE,
        imap_user=imap_user,
    )
    secrets.set_password(good, PASSWORD)
    good.save()
    Mailbox.objects.create(
        name="Sales",
        email_address="sales@example.org",
        queue=queue,
        imap_host="127.0.0.1",
        imap_port=dovecot.port,
        imap_security=Mailbox.Security.NONE,
        imap_user="sales",
        imap_secret_env="HELPDESK_TEST_UNSET_PASSWORD",
    )
    dovecot.deliver(imap_user, raw_email(subject="Please help"))

    response = supervisor_client.post(
        LIST,
        {
            "action": "read_now",
            "_selected_action": list(Mailbox.objects.values_list("pk", flat=True)),
        },
        follow=True,
    )

    page = response.content.decode()
    assert "Reading 2 mailboxes now" in page
    assert "Reading normally" in page
    assert "Failing: the last attempt went wrong" in page
    assert "HELPDESK_TEST_UNSET_PASSWORD is not set" in page
