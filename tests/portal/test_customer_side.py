"""The customer's side of issue 13: one ticket per web form however often it
is sent, the customer's own words on their pages, the emailed sign-in link
for /support/, dated confirmations, and sizes and file kinds people read."""

import re
import threading
from datetime import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from portal.models import WebSubmission
from portal.services import submit_web_request
from tickets import services
from tickets.models import Ticket
from tickets.uploads import allowed_types_text, human_size

from ..factories import make_ticket
from ..markers import requires_postgres

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
# A Monday morning in a working week: the answer is due the same week.
MONDAY = datetime(2026, 12, 7, 9, 0, tzinfo=timezone.get_default_timezone())


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()


def form_data(token, **fields):
    return {
        "name": "Layla Hassan",
        "email": "layla@example.com",
        "language": "ar",
        "kind": "inquiry",
        "subject": "Change of address",
        "message": "I moved house last week; please update my address.",
        "website": "",
        "form_token": token,
    } | fields


def form_token(client):
    response = client.get(reverse("portal:new"))
    match = re.search(r'name="form_token" value="([^"]+)"', response.text)
    assert match, "the form carries its one-time token"
    return match.group(1)


# 1. One web form, one ticket -------------------------------------------------


def test_sending_the_same_form_twice_opens_one_ticket_and_one_confirmation(
    client, queue, mailoutbox, django_capture_on_commit_callbacks
):
    token = form_token(client)

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(reverse("portal:new"), form_data(token))
        second = client.post(reverse("portal:new"), form_data(token))

    ticket = Ticket.objects.get()
    received = reverse("portal:received", args=[ticket.tracking_token])
    assert (first.status_code, first["Location"]) == (302, received)
    assert (second.status_code, second["Location"]) == (302, received)
    assert len(mailoutbox) == 1  # one acknowledgement


def test_every_form_gets_its_own_token(client, queue):
    assert form_token(client) != form_token(client)


def test_a_form_sent_again_with_other_content_is_a_new_request(client, queue):
    # The browser's Back button brings the same form, token and all, back.
    token = form_token(client)
    client.post(reverse("portal:new"), form_data(token))
    client.post(reverse("portal:new"), form_data(token, subject="Another question"))

    assert Ticket.objects.count() == 2


def test_a_form_refused_for_an_error_can_be_sent_again_with_its_token(client, queue):
    token = form_token(client)
    refused = client.post(reverse("portal:new"), form_data(token, message="short"))
    assert refused.status_code == 400
    assert f'value="{token}"' in refused.text  # the token comes back with the form

    client.post(reverse("portal:new"), form_data(token))

    assert Ticket.objects.count() == 1


@requires_postgres("two connections waiting on one unique index entry")
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_requests_with_one_token_open_one_ticket(queue):
    """What a double click does on the server: both requests arrive together;
    the unique token lets the second wait for the first and answer with its
    ticket."""
    start = threading.Barrier(2)
    tickets = []

    def send():
        try:
            start.wait()
            tickets.append(
                submit_web_request(
                    name="Sam",
                    email="sam@example.com",
                    subject="Twice",
                    body_text="Clicked twice on Send.",
                    language="en",
                    form_token="same-token",
                )
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Ticket.objects.count() == 1
    assert [t.pk for t in tickets] == [Ticket.objects.get().pk] * 2
    assert WebSubmission.objects.get().ticket_id == tickets[0].pk


# 2. The customer's own words --------------------------------------------------


def test_the_customer_sees_you_and_customer_service_not_the_agents_labels(
    alice_client, alice, queue, agent
):
    ticket = make_ticket(alice, queue, channel="web")
    services.reply_to_ticket(ticket, body_text="Which address?", by=agent)
    services.change_status(ticket, status="pending", by=agent)

    page = alice_client.get(reverse("portal:detail", args=[ticket.number])).text

    sender = r'data-testid="sender">.*?</i>.*?</span>\s*(.*?)</strong>'
    senders = re.findall(sender, page)
    assert senders == ["You", "Customer service"]
    assert "From the customer" not in page
    assert "To the customer" not in page
    assert "Awaiting your reply" in page
    assert ">Pending<" not in page


@pytest.mark.parametrize(
    ("status", "english", "arabic"),
    [
        ("new", "Received", "تم الاستلام"),
        ("open", "We're working on it", "نعمل على طلبك"),
        ("pending", "Awaiting your reply", "بانتظار ردك"),
        ("resolved", "Resolved", "تمت معالجته"),
    ],
)
def test_statuses_read_from_the_customers_side_in_both_languages(
    alice_client, alice, queue, agent, status, english, arabic
):
    ticket = make_ticket(alice, queue, channel="web")
    if status != "new":
        services.change_status(ticket, status=status, by=agent)

    english_list = alice_client.get(reverse("portal:list")).text
    alice_client.cookies["django_language"] = "ar"
    arabic_page = alice_client.get(reverse("portal:detail", args=[ticket.number]))

    assert english in english_list.replace("&#x27;", "'")
    assert arabic in arabic_page.text
    assert "أنت" in arabic_page.text


# 3. /support/ signed out ------------------------------------------------------


def test_support_signed_out_offers_the_emailed_sign_in_link(client, alice, queue):
    ticket = make_ticket(alice, queue)
    for url in (reverse("portal:list"), reverse("portal:detail", args=[ticket.number])):
        response = client.get(url, follow=True)
        assert response.redirect_chain[-1][0].startswith(reverse("portal:sign_in"))
        assert "Send me a sign-in link" in response.text
        # Staff still reach their own sign-in, by a small link.
        assert f'href="{reverse("login")}"' in response.text


def test_the_staff_sign_in_page_points_customers_to_the_emailed_link(client):
    page = client.get(reverse("login")).text

    assert f'href="{reverse("portal:sign_in")}"' in page
    assert "Email me a sign-in link" in page


# 5. Confirmations with a date -------------------------------------------------


def test_the_confirmation_gives_the_full_date_of_the_answer(client, queue, policies):
    with time_machine.travel(MONDAY, tick=False):
        client.post(reverse("portal:new"), form_data(form_token(client)))
        ticket = Ticket.objects.get()
        url = reverse("portal:received", args=[ticket.tracking_token])
        english = client.get(url).text
        client.cookies["django_language"] = "ar"
        arabic = client.get(url).text

    sentence = re.search(r'data-testid="answer-by">(.*?)</p>', english, re.S).group(1)
    assert re.fullmatch(
        r"We will answer by (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
        r" \d{1,2} December 2026, \d\d:\d\d\.",
        " ".join(sentence.split()),
    ), sentence
    assert re.search(r"\d{1,2} ديسمبر 2026، الساعة \d\d:\d\d", arabic)


def test_the_acknowledgement_email_gives_the_full_date(
    client, queue, policies, mailoutbox, django_capture_on_commit_callbacks
):
    with time_machine.travel(MONDAY, tick=False):
        token = form_token(client)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("portal:new"), form_data(token))  # in Arabic

    (email,) = mailoutbox
    assert re.search(r"\d{1,2} ديسمبر 2026، الساعة \d\d:\d\d", email.body)


def test_the_ticket_page_gives_the_full_date_too(alice_client, alice, queue, policies):
    with time_machine.travel(MONDAY, tick=False):
        ticket = make_ticket(alice, queue, channel="web")
        page = alice_client.get(reverse("portal:detail", args=[ticket.number])).text

    assert re.search(r"We will answer by \w+ \d{1,2} December 2026, \d\d:\d\d", page)


# 6. Sizes, file kinds, the fake PDF, one word for password --------------------


def test_sizes_read_as_people_write_them():
    assert human_size(10 * 1024 * 1024) == "10\xa0MB"
    assert human_size(1536 * 1024) == "1.5\xa0MB"
    assert human_size(300) == "300\xa0bytes"
    with translation.override("ar"):
        assert human_size(10 * 1024 * 1024) == "10\xa0ميغابايت"
        assert "م.ب" not in human_size(10 * 1024 * 1024)


def test_the_arabic_list_of_file_kinds_keeps_each_name_whole():
    with translation.override("ar"):
        text = allowed_types_text()
    # Each Latin name is isolated, so the brackets and commas around the list
    # follow the Arabic sentence instead of being scrambled.
    assert "\u2068PDF\u2069" in text
    assert "، " in text


def test_the_web_form_names_its_limits_in_arabic_without_scrambling(client, queue):
    client.cookies["django_language"] = "ar"
    page = client.get(reverse("portal:new")).text

    assert "10\xa0ميغابايت" in page
    assert "\u2068PDF\u2069" in page


def test_a_program_named_like_a_pdf_is_told_it_is_not_a_pdf(client, queue):
    token = form_token(client)
    data = form_data(token, attachments=[SimpleUploadedFile("invoice.pdf", EXE)])

    response = client.post(reverse("portal:new"), data)

    (error,) = response.context["form"].errors["attachments"]
    assert "its content is not \u2068PDF\u2069" in error
    assert "we accept" not in error  # never "PDF refused (… PDF …)"


def test_a_program_by_its_own_name_is_told_what_we_accept(client, queue):
    data = form_data("", attachments=[SimpleUploadedFile("setup.exe", EXE)])

    response = client.post(reverse("portal:new"), data)

    (error,) = response.context["form"].errors["attachments"]
    assert error.startswith("“setup.exe” is not a kind of file we accept.")
    assert "\u2068PDF\u2069" in error


def test_arabic_says_kalimat_al_murur_for_password_everywhere(client, agent):
    client.cookies["django_language"] = "ar"
    response = client.post(
        reverse("login"), {"username": agent.username, "password": "wrong"}
    )

    assert "كلمة المرور" in response.text
    assert "كلمة السر" not in response.text


# 4. The rating control --------------------------------------------------------


def test_the_rating_is_five_labelled_stars_from_one_to_five(
    alice_client, alice, queue, agent
):
    ticket = make_ticket(alice, queue, channel="web")
    services.change_status(ticket, status="resolved", by=agent)
    url = reverse("portal:detail", args=[ticket.number])

    page = alice_client.get(url).text
    refused = alice_client.post(reverse("portal:rate", args=[ticket.number]), {})

    values = re.findall(r'type="radio" name="score" value="(\d)"', page)
    assert values == ["1", "2", "3", "4", "5"]
    for word in ("Very poor", "Poor", "Fair", "Good", "Excellent"):
        assert f'class="rating-word">{word}<' in page
    assert refused.status_code == 400
    assert "Please choose from 1 to 5 stars." in refused.text


# 6. No empty headings in the customer panel -----------------------------------


def test_the_customer_panel_shows_headings_only_over_tickets(
    agent_client, alice, queue
):
    first = make_ticket(alice, queue, subject="The first, still open")
    ticket = make_ticket(alice, queue, subject="The second, still open")

    panel = agent_client.get(reverse("tickets:detail", args=[ticket.number])).text
    page = agent_client.get(alice.get_absolute_url()).text
    first.delete()
    alone = agent_client.get(reverse("tickets:detail", args=[ticket.number])).text

    for text in (panel, page):
        assert ">Open tickets</h2>" in text
        assert ">Complaints</h2>" not in text  # no complaint, no heading
        assert ">Past tickets</h2>" not in text
    assert ">Open tickets</h2>" not in alone
    assert "No other tickets." in alone
