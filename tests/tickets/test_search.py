"""Search: pure Arabic/English normalisation, and the one search box."""

import pytest
from django.db import connection
from django.urls import reverse

from customers.models import Customer
from helpdesk import search
from tickets import services
from tickets.models import Ticket

from ..factories import make_ticket
from ..markers import requires_postgres


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("أحمد", "احمد"),
        ("إسلام", "اسلام"),
        ("آمال", "امال"),
        ("مدرسة", "مدرسه"),
        ("مستشفى", "مستشفي"),
        ("مُحَمَّد", "محمد"),
        ("ســـلام", "سلام"),
        ("٠٥٠١٢٣", "050123"),
        ("۱۲۳", "123"),
        ("Invoice", "invoice"),
    ],
)
def test_arabic_is_normalised_the_way_people_type_it(typed, stored):
    assert search.normalize(typed) == stored


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("الشحنة", "شحنه"),
        ("المدرسة", "المدرسه"),
        ("الفاتورة", "فاتوره"),
        ("مستشفى", "مستشفي"),
        ("إلى", "الي"),
        ("كتابة", "كتابه"),
        ("orders", "order"),
        ("delivered", "delivering"),
    ],
)
def test_forms_of_a_word_have_the_same_term(one, other):
    assert search.terms(one) == search.terms(other)


def test_a_query_is_a_prefix_match_of_every_term():
    assert search.tsquery(search.terms("الشحنة orders")) == "شحن:* & order:*"
    assert search.tsquery(search.terms("!!! &&")) == ""


def test_merged_search_text_keeps_each_term_once():
    assert search.merge_search_text("invoic wrong", "Invoice is wrong") == (
        "invoic wrong is"
    )


pytestmark_db = pytest.mark.django_db


@pytest.fixture
def tickets(alice, bob, queue, other_queue, agent):
    parcel = make_ticket(alice, queue, subject="تأخّر شحنة الطلب رقم ٤٤٧١")
    invoice = make_ticket(bob, queue, subject="Invoice question")
    services.reply_to_ticket(invoice, body_text="الفاتورة مُعدّلة الآن", by=agent)
    hidden = make_ticket(bob, other_queue, subject="شحنة أخرى")
    return {"parcel": parcel, "invoice": invoice, "hidden": hidden}


def found(client, text):
    response = client.get(reverse("tickets:search"), {"q": text})
    assert response.status_code == 200
    return {t.number for t in response.context["tickets"]}


@pytest.mark.django_db
def test_arabic_text_is_found_as_people_type_it(agent_client, tickets):
    assert found(agent_client, "تاخر الشحنه") == {tickets["parcel"].number}
    assert found(agent_client, "4471") == {tickets["parcel"].number}


@pytest.mark.django_db
def test_message_text_is_searched_too(agent_client, tickets):
    assert found(agent_client, "فاتوره معدله") == {tickets["invoice"].number}
    assert found(agent_client, "invoices") == {tickets["invoice"].number}


@pytest.mark.django_db
def test_search_finds_a_customers_tickets_by_name_email_or_phone(
    agent_client, tickets, alice
):
    services.update_customer(alice, by=None, phone="+966 50 999 8888")

    assert tickets["parcel"].number in found(agent_client, "alice@example")
    assert tickets["parcel"].number in found(agent_client, "0509998888")
    assert tickets["parcel"].number in found(agent_client, "Alice")


@pytest.mark.django_db
def test_a_ticket_number_goes_straight_to_the_ticket(agent_client, tickets):
    number = tickets["parcel"].number

    response = agent_client.get(reverse("tickets:search"), {"q": number.lower()})

    assert response.status_code == 302
    assert response.url == tickets["parcel"].get_absolute_url()


@pytest.mark.django_db
def test_a_word_search_makes_the_same_few_queries_however_many_it_finds(
    agent_client, tickets, bob, queue, agent, django_assert_num_queries
):
    def search():
        return agent_client.get(reverse("tickets:search"), {"q": "invoice"})

    # Session, user (with groups), matching customers, matching tickets: words
    # are not looked up as a ticket number (every number has digits).
    with django_assert_num_queries(4):
        search()
    for _ in range(5):
        make_ticket(bob, queue, subject="Invoice again")

    with django_assert_num_queries(4):
        response = search()

    assert len(response.context["tickets"]) == 6


@pytest.mark.django_db
def test_search_never_shows_other_queues_tickets(agent_client, tickets):
    hidden = tickets["hidden"]

    assert hidden.number not in found(agent_client, "شحنة")
    assert found(agent_client, hidden.number) == set()


@pytest.mark.django_db
def test_nonsense_finds_nothing_without_an_error(agent_client, tickets):
    assert found(agent_client, "!!! ***") == set()
    assert found(agent_client, "") == set()


@requires_postgres("the GIN full-text index")
@pytest.mark.django_db
def test_text_search_uses_the_full_text_index(tickets):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = Ticket.objects.matching("شحنة").order_by().explain()

    assert "ticket_search_vector_idx" in plan


@requires_postgres("the GIN full-text index")
@pytest.mark.django_db
def test_customer_lookup_uses_the_full_text_index(alice):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = Customer.objects.matching("Ali").order_by().explain()

    assert "customer_search_idx" in plan
