"""Verbs on customers: create and edit them, move them between tiers, log a
contact with one, keep their search columns."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from customers.models import Customer, ServiceTier
from helpdesk import search
from helpdesk.channels import Channel
from sla import clocks

from ..models import (
    Message,
    Ticket,
)
from .lifecycle import open_ticket


@transaction.atomic
def change_customer_tier(customer: Customer, *, tier, by) -> Customer:
    """Move a customer to another service tier; their open tickets re-choose
    their SLA policy."""
    if tier == customer.tier:
        return customer
    customer.tier = tier
    customer.save(update_fields=["tier", "updated_at"])
    now = timezone.now()
    for ticket in customer.tickets.open().select_related("sla_policy"):
        ticket.customer = customer
        clocks.reselect_policy(ticket, at=now, by=by)
    return customer


@transaction.atomic
def create_customer(*, by=None, **fields) -> Customer:
    """A new customer, findable by name, email and phone straight away."""
    if "tier" not in fields:
        fields["tier"] = ServiceTier.objects.get(code=ServiceTier.STANDARD)
    customer = Customer(**fields)
    customer.full_clean()
    customer.search_text = customer.build_search_text()
    customer.save()
    return customer


@transaction.atomic
def update_customer(customer: Customer, *, by, **fields) -> Customer:
    """Change what the department knows about `customer`; a new tier
    re-chooses the SLA policy of their open tickets."""
    tier = fields.pop("tier", None)
    for name, value in fields.items():
        setattr(customer, name, value)
    # A form may already have put the new tier on the instance: keep the
    # stored one until change_customer_tier moves it and its tickets.
    customer.tier_id = (
        Customer.objects.filter(pk=customer.pk).values_list("tier_id", flat=True).get()
    )
    customer.search_text = customer.build_search_text()
    customer.save()
    if tier is not None:
        change_customer_tier(customer, tier=tier, by=by)
    return customer


def customer_for_web_request(
    *, name: str, email: str, phone: str, language: str
) -> Customer:
    # An existing customer keeps their details: typing someone's address
    # must not change their name, phone or language.
    customer = Customer.objects.with_email(email).first()
    if customer is not None:
        return customer
    tier = ServiceTier.objects.filter(code=ServiceTier.STANDARD).first()
    customer = Customer(
        name=name,
        email=email,
        phone=phone,
        preferred_language=language,
        preferred_channel=Channel.WEB,
        tier=tier or ServiceTier.objects.order_by("rank").first(),
    )
    # Findable by name and phone in the workspace straight away.
    customer.search_text = customer.build_search_text()
    try:
        with transaction.atomic():
            customer.save()
            return customer
    except IntegrityError:
        # The same address submitted twice at once: the other request won.
        return Customer.objects.with_email(email).get()


@transaction.atomic
def log_interaction(
    *, customer: Customer | None = None, new_customer: dict | None = None, **ticket
) -> Ticket:
    """A contact taken by an agent (call, visit, letter): the customer found
    or created, and the ticket opened with its first message, in one step."""
    if customer is None:
        customer = create_customer(by=ticket.get("by"), **(new_customer or {}))
    return open_ticket(customer=customer, **ticket)


def reindex_search(*, batch: int = 2000) -> tuple[int, int]:
    """Rebuild every ticket's and customer's search column from its text,
    walking ids in batches; returns how many of each it wrote."""
    tickets = customers = 0
    last = 0
    while True:
        rows = list(
            Ticket.objects.filter(pk__gt=last)
            .order_by("pk")
            .only("pk", "subject")[:batch]
        )
        if not rows:
            break
        bodies: dict[int, list[str]] = {row.pk: [] for row in rows}
        for ticket_id, body in Message.objects.filter(ticket_id__in=bodies).values_list(
            "ticket_id", "body_text"
        ):
            bodies[ticket_id].append(body)
        for row in rows:
            row.search_text = search.search_text(row.subject, *bodies[row.pk])
        Ticket.objects.bulk_update(rows, ["search_text"], batch_size=500)
        tickets += len(rows)
        last = rows[-1].pk
    last = 0
    while True:
        people = list(Customer.objects.filter(pk__gt=last).order_by("pk")[:batch])
        if not people:
            break
        for person in people:
            person.search_text = person.build_search_text()
        Customer.objects.bulk_update(people, ["search_text"], batch_size=500)
        customers += len(people)
        last = people[-1].pk
    return tickets, customers
