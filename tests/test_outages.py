"""The site with Redis down (cache and broker on a port nothing answers), the
mail server down or the database down: requests are stored and answered, never
a 500, and what a customer typed is never lost."""

from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.core.mail.backends import locmem
from django.db import OperationalError, connection
from django.urls import reverse

from helpdesk import cache as fallback_cache
from portal import intake
from portal.models import WebSubmission
from tickets import emails, services
from tickets.models import CustomerEmail, Ticket

from .factories import make_ticket
from .markers import requires_postgres
from .redis_server import (
    celery_broker,
    free_port,
    redis_server,
    requires_redis_server,
)
from .smtp import smtp_sink
from .worker import running_worker, wait_for, wait_for_sent

FORM = {
    "name": "Layla Hassan",
    "email": "layla@example.com",
    "language": "en",
    "kind": "inquiry",
    "subject": "Invoice question",
    "message": "Please explain the lines on this month's invoice.",
}


def use_redis(settings, url: str) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "helpdesk.cache.FallbackRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


@pytest.fixture(autouse=True)
def _no_outage_remembered(monkeypatch):
    monkeypatch.setattr(fallback_cache, "_down_until", {})


@pytest.fixture
def redis_down(settings):
    """The cache and the Celery broker point where no Redis answers."""
    url = f"redis://127.0.0.1:{free_port()}/0"
    use_redis(settings, url)
    cache.clear()  # the in-memory stand-in starts empty
    with celery_broker(url):
        yield url


@pytest.mark.django_db
def test_with_redis_down_the_web_form_keeps_the_request_and_confirms_it(
    client, queue, redis_down, django_capture_on_commit_callbacks
):
    """No worker can be woken: the request waits in its row, the customer
    has the confirmation page, and the beat's round opens it (with its
    acknowledgement in the outbox) once a worker runs."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:new"), FORM)

    submission = WebSubmission.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "portal:received", args=[submission.tracking_token]
    )
    assert client.get(response["Location"]).status_code == 200
    assert not Ticket.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        intake.open_waiting()  # the beat's round, once a worker runs

    ticket = Ticket.objects.get()
    assert ticket.tracking_token == submission.tracking_token
    row = CustomerEmail.objects.get()
    assert (row.ticket, row.kind, row.sent_at) == (ticket, "acknowledgement", None)


@pytest.mark.django_db
def test_with_redis_down_a_complaint_is_stored_and_its_supervisors_notified(
    client, queue, supervisor, redis_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:new"), FORM | {"kind": "complaint"})
        intake.open_waiting()

    assert response.status_code == 302
    assert Ticket.objects.get().kind == "complaint"
    assert supervisor.notifications.get().emailed_at is None


@pytest.mark.django_db
def test_with_redis_down_the_web_form_still_limits_one_address(
    client, queue, redis_down, settings
):
    settings.SUPPORT_RATE_EMAIL = "2/h"

    answers = [client.post(reverse("portal:new"), FORM).status_code for _ in "abc"]

    assert answers == [302, 302, 429]
    assert WebSubmission.objects.count() == 2


@pytest.mark.django_db
def test_with_redis_down_sign_in_still_limits_wrong_passwords(
    client, agent, redis_down, settings
):
    settings.LOGIN_RATE = "2/m"
    wrong = {"username": "agent", "password": "not-it"}

    answers = [client.post(reverse("login"), wrong).status_code for _ in "abc"]

    assert answers == [200, 200, 429]


@pytest.mark.django_db
def test_with_redis_down_customers_reply_and_ask_for_sign_in_links(
    client, bob, bob_client, queue, redis_down
):
    ticket = make_ticket(bob, queue)

    reply = client.post(
        reverse("portal:track_reply", args=[ticket.tracking_token]),
        {"message": "Any news about my order?"},
    )
    link = client.post(reverse("portal:sign_in"), {"email": bob.email})
    own = bob_client.get(reverse("portal:list"))

    assert reply.status_code == 302
    assert ticket.messages.filter(body_text="Any news about my order?").exists()
    assert link.status_code == 302
    assert CustomerEmail.objects.filter(kind="sign_in", sent_at=None).count() == 1
    assert own.status_code == 200


@pytest.mark.django_db
def test_with_redis_down_agents_work_the_queue_reply_and_resolve(
    agent_client, agent, alice, queue, redis_down, django_capture_on_commit_callbacks
):
    ticket = make_ticket(alice, queue)
    page = reverse("tickets:detail", args=[ticket.number])

    pages = [agent_client.get(url).status_code for url in ("/agent/", page)]
    with django_capture_on_commit_callbacks(execute=True):
        replied = agent_client.post(
            reverse("tickets:reply", args=[ticket.number]),
            {"seen": services.last_seen_event(ticket), "body_text": "Sent today.",
             "seen_message": services.newest_message(ticket), "channel": "email"},
        )  # fmt: skip
        resolved = agent_client.post(
            reverse("tickets:properties", args=[ticket.number]),
            {"seen": services.last_seen_event(ticket), "status": "resolved",
             "priority": ticket.priority, "queue": queue.pk, "assignee": agent.pk,
             "kind": "inquiry", "category": ""},
        )  # fmt: skip

    assert pages == [200, 200]
    assert (replied.status_code, resolved.status_code) == (302, 302)
    ticket.refresh_from_db()
    assert ticket.status == "resolved"
    kinds = CustomerEmail.objects.filter(sent_at=None).values_list("kind", flat=True)
    assert sorted(kinds) == ["reply", "resolved"]


class FormFields(HTMLParser):
    """The name → value of every input and textarea of a page."""

    def __init__(self):
        super().__init__()
        self.fields, self._textarea = {}, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") != "file":
            self.fields[attrs["name"]] = attrs.get("value") or ""
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.fields[self._textarea] = ""

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None


def _database_down(execute, sql, params, many, context):
    raise OperationalError("connection to server failed: Connection refused")


# In a transaction of its own, as a request is: the failed statement must not
# leave the test's transaction unusable.
@pytest.mark.django_db(transaction=True)
def test_with_the_database_down_the_web_form_answers_503_and_keeps_what_was_typed(
    client, queue
):
    with connection.execute_wrapper(_database_down):
        response = client.post(reverse("portal:new"), FORM)

    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "could not be saved yet" in response.content.decode()
    parser = FormFields()
    parser.feed(response.content.decode())
    typed = {name: parser.fields[name] for name in FORM}
    assert typed == FORM
    assert not Ticket.objects.exists()

    # The database is back: sending the page's form again stores the request.
    again = client.post(reverse("portal:new"), parser.fields)

    assert again.status_code == 302
    assert Ticket.objects.get().subject == FORM["subject"]


@pytest.mark.django_db
def test_the_page_for_an_unsaved_request_is_translated(client, queue):
    with connection.execute_wrapper(_database_down):
        response = client.post(reverse("portal:new"), FORM, HTTP_ACCEPT_LANGUAGE="ar")

    page = response.content.decode()
    assert response.status_code == 503
    assert 'dir="rtl"' in page
    assert "لم نتمكن من حفظ طلبك بعد" in page


@requires_redis_server
@requires_postgres("a worker process shares the test database over the network")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_once_redis_is_back_the_acknowledgement_is_sent(
    client, queue, settings, monkeypatch
):
    with redis_server() as redis:
        use_redis(settings, redis.url)
        redis.stop()
        with celery_broker(redis.url) as app:
            response = client.post(reverse("portal:new"), FORM)
            assert response.status_code == 302
            assert WebSubmission.objects.waiting().exists()

            redis.start()
            # What the beat entry does every minute, with the worker listening.
            env = {
                "DJANGO_SETTINGS_MODULE": "tests.smtp_settings",
                "REDIS_URL": redis.url,
            }
            with smtp_sink() as (inbox, port):
                env["TEST_SMTP_PORT"] = str(port)
                with running_worker(extra_env=env) as worker_queue:
                    task = settings.CELERY_BEAT_SCHEDULE["web-requests"]["task"]
                    app.send_task(task, queue=worker_queue)
                    wait_for(lambda: inbox.messages)
                    wait_for_sent()

    (email,) = inbox.messages
    row = CustomerEmail.objects.get()
    assert email["To"] == FORM["email"]
    assert email["Message-ID"] == row.email_message_id
    assert row.ticket.number in email["Subject"]
    assert row.sent_at is not None


@pytest.fixture
def smtp_down(monkeypatch):
    """Every attempt to reach the mail server is refused."""

    def refuse(self, messages):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(locmem.EmailBackend, "send_messages", refuse)
    return monkeypatch


@pytest.mark.django_db
def test_with_smtp_down_replies_resolutions_and_sign_in_links_wait_in_the_outbox(
    client, agent_client, agent, alice, queue, smtp_down, mailoutbox,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    ticket = make_ticket(alice, queue)

    with django_capture_on_commit_callbacks(execute=True):
        replied = agent_client.post(
            reverse("tickets:reply", args=[ticket.number]),
            {"seen": services.last_seen_event(ticket), "body_text": "Sent today.",
             "seen_message": services.newest_message(ticket), "channel": "email"},
        )  # fmt: skip
        resolved = agent_client.post(
            reverse("tickets:properties", args=[ticket.number]),
            {"seen": services.last_seen_event(ticket), "status": "resolved",
             "priority": ticket.priority, "queue": queue.pk, "assignee": agent.pk,
             "kind": "inquiry", "category": ""},
        )  # fmt: skip
        link = client.post(reverse("portal:sign_in"), {"email": alice.email})

    statuses = [r.status_code for r in (replied, resolved, link)]
    assert statuses == [302, 302, 302]
    assert CustomerEmail.objects.filter(sent_at=None, claimed_at=None).count() == 3

    smtp_down.undo()  # the mail server is back: the next run sends them all
    assert emails.send_pending() == 3
    assert {m.to[0] for m in mailoutbox} == {alice.email}


@pytest.mark.django_db
def test_with_smtp_down_a_password_reset_gives_the_usual_answer(
    client, alice, smtp_down, caplog
):
    # Django logs the failure and answers as for an unknown address, which
    # reveals nothing about who has an account.
    response = client.post(reverse("password_reset"), {"email": alice.email})

    assert response.status_code == 302
    assert "Failed to send password reset email" in caplog.text
