"""The records office's register page: who sees what, filters, CSV, print."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from registers.services import register_incoming, register_outgoing
from tickets import services

from ..factories import CustomerFactory, make_ticket

pytestmark = pytest.mark.django_db
PAGE = reverse("registers:list")


def incoming(ticket, day, **fields):
    defaults = {"channel": "letter", "sender_name": ticket.customer.name}
    return register_incoming(ticket, None, received_on=day, **defaults | fields)


@pytest.fixture
def entries(alice, queue, other_queue):
    mine = make_ticket(alice, queue, subject="Water bill")
    theirs = make_ticket(CustomerFactory(name="Khalid"), other_queue, subject="Fee")
    return {
        "letter": incoming(mine, dt.date(2026, 3, 1), reference="ABC/1"),
        "fax": incoming(mine, dt.date(2026, 3, 20), channel="fax"),
        "other": incoming(theirs, dt.date(2026, 3, 5), sender_organisation="Ministry"),
        "out": register_outgoing(
            mine,
            None,
            dispatched_on=dt.date(2026, 3, 21),
            channel="letter",
            addressee_name="Alice",
        ),
    }


def numbers(response):
    return [
        line.split(">")[-1]
        for line in response.text.split("</span></td>")
        if '<td><span dir="ltr">' in line
    ]


def test_agents_see_the_entries_of_their_queues_only(agent_client, entries):
    response = agent_client.get(PAGE)

    assert response.status_code == 200
    assert numbers(response) == ["IN-2026-000002", "IN-2026-000001"]


def test_administrators_see_every_entry(client, admin_user, entries):
    client.force_login(admin_user)

    response = client.get(PAGE)

    assert numbers(response) == ["IN-2026-000002", "IN-2026-000003", "IN-2026-000001"]


def test_customers_and_strangers_are_kept_out(client, alice_client, entries):
    assert alice_client.get(PAGE).status_code == 403
    assert client.get(PAGE).status_code == 302


def test_the_outgoing_register_is_a_tab(agent_client, entries):
    response = agent_client.get(PAGE, {"direction": "out"})

    assert numbers(response) == ["OUT-2026-000001"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (
            {"start": "2026-03-02", "end": "2026-03-31"},
            ["IN-2026-000002", "IN-2026-000003"],
        ),
        ({"channel": "fax"}, ["IN-2026-000002"]),
        ({"q": "abc/1"}, ["IN-2026-000001"]),
        ({"q": "IN-2026-000002"}, ["IN-2026-000002"]),
        ({"q": "ministry"}, ["IN-2026-000003"]),
        ({"status": "resolved"}, []),
    ],
)
def test_filters_and_search(client, admin_user, entries, filters, expected):
    client.force_login(admin_user)

    assert numbers(client.get(PAGE, filters)) == expected


def test_filter_by_queue(client, admin_user, entries, other_queue):
    client.force_login(admin_user)

    assert numbers(client.get(PAGE, {"queue": other_queue.pk})) == ["IN-2026-000003"]


def test_status_follows_the_ticket(client, admin_user, entries, agent):
    client.force_login(admin_user)
    services.change_status(entries["other"].ticket, status="pending", by=agent)

    assert numbers(client.get(PAGE, {"status": "pending"})) == ["IN-2026-000003"]


def test_csv_is_what_the_page_shows_with_translated_labels(agent_client, entries):
    response = agent_client.get(PAGE, {"channel": "letter", "format": "csv"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode().lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["Number", "Date", "Hijri date", "Channel"]
    assert rows[1:] == [
        [
            "IN-2026-000001",
            "2026-03-01",
            "12 Ramadan 1447 AH",
            "Postal letter",
            "Alice",
            "",
            "ABC/1",
            "",
            "Water bill",
            entries["letter"].ticket.number,
            "Customer Service",
            "New",
            "letter",
            "service",
            "new",
        ]
    ]


def test_the_page_in_arabic_with_hijri_dates_and_a4_print(agent_client, entries):
    response = agent_client.get(PAGE, headers={"accept-language": "ar"})

    assert 'dir="rtl"' in response.text
    assert "سجل الوارد" in response.text
    assert "1 شوال 1447هـ" in response.text
    assert "window.print()" in response.text


def test_the_arabic_csv_translates_headers_and_labels(agent_client, entries):
    response = agent_client.get(
        PAGE, {"channel": "fax", "format": "csv"}, headers={"accept-language": "ar"}
    )

    text = b"".join(response.streaming_content).decode()
    assert "المرسل أو المرسل إليه" in text
    assert "فاكس" in text
    assert "1 شوال 1447هـ" in text
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][-3:] == ["channel_code", "queue_code", "status_code"]
    assert rows[1][-3:] == ["fax", "service", "new"]


def test_the_page_costs_the_same_queries_at_any_size(
    client, admin_user, alice, queue, django_assert_num_queries
):
    client.force_login(admin_user)
    ticket = make_ticket(alice, queue)
    incoming(ticket, dt.date(2026, 1, 1))
    client.get(PAGE)

    with django_assert_num_queries(5) as few:
        client.get(PAGE)
    for day in range(2, 30):
        incoming(make_ticket(alice, queue), dt.date(2026, 1, day))
    with django_assert_num_queries(len(few)):
        client.get(PAGE)
