"""Verbs on customers: create and edit them, move them between tiers, log a
contact with one, keep their search columns.

Who a customer is (their email address, which portal sign-in follows, and
their service tier, which sets their SLA) changes only through
`change_customer_email` and `change_customer_tier`: supervisors' verbs that
record each change in the customer's history."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.models import Customer, CustomerChange, ServiceTier
from helpdesk import search
from helpdesk.channels import Channel
from helpdesk.reference import cached
from sla import clocks
from tickets import emails, permissions

from ..models import (
    Message,
    Ticket,
)
from .lifecycle import open_ticket_with_message


def _check_may_change_identity(by) -> None:
    # `by=None` is the system itself (a data import, the demo), not a person.
    if by is not None and not permissions.is_supervisor(by):
        raise PermissionDenied(
            _("Only a supervisor can change a customer's email address or tier.")
        )


def _stored(customer: Customer) -> Customer:
    # The row as stored, locked: a form may already have put new values on
    # the instance, and two supervisors must not both change it at once.
    return Customer.objects.select_for_update(of=("self",)).get(pk=customer.pk)


@transaction.atomic
def change_customer_tier(customer: Customer, *, tier: ServiceTier, by) -> Customer:
    """Move a customer to another service tier (supervisors only), record it
    in their history, and re-choose the SLA policy of their open tickets."""
    stored = _stored(customer)
    customer.tier = tier
    if tier.pk == stored.tier_id:
        return customer
    _check_may_change_identity(by)
    customer.save(update_fields=["tier", "updated_at"])
    CustomerChange.objects.create(
        customer=customer,
        field=CustomerChange.Field.TIER,
        old_value=stored.tier.name,
        new_value=tier.name,
        actor=by,
    )
    now = timezone.now()
    for ticket in customer.tickets.open().select_related("sla_policy"):
        ticket.customer = customer
        clocks.reselect_policy(ticket, at=now, by=by)
    return customer


@transaction.atomic
def change_customer_email(customer: Customer, *, email: str, by) -> Customer:
    """Give a customer another email address (supervisors only), record it in
    their history, and tell the old address.

    Their portal account follows: it takes the new address and its password
    and sessions end, so the next sign-in is by a link sent to the new
    address, which proves it."""
    email = email.strip()
    stored = _stored(customer)
    customer.email = email
    if email.lower() == stored.email.lower():
        return customer
    _check_may_change_identity(by)
    if email:
        validate_email(email)
    if Customer.objects.with_email(email).exclude(pk=customer.pk).exists():
        raise ValidationError(_("A customer with this email already exists."))
    customer.search_text = customer.build_search_text()
    customer.save(update_fields=["email", "search_text", "updated_at"])
    CustomerChange.objects.create(
        customer=customer,
        field=CustomerChange.Field.EMAIL,
        old_value=stored.email,
        new_value=email,
        actor=by,
    )
    if stored.email:
        emails.queue_email_changed(customer, old_email=stored.email)
    _portal_account_follows(customer, old_email=stored.email)
    return customer


def _portal_account_follows(customer: Customer, *, old_email: str) -> None:
    user = customer.user
    if user is None or user.is_staff or permissions.is_agent(user):
        return
    user.email = customer.email
    users = type(user)._default_manager
    new_name = customer.email.lower()
    if (
        new_name
        and user.get_username().lower() == old_email.lower()
        and not users.filter(username__iexact=new_name).exists()
    ):
        user.username = new_name
    # A new password hash ends every session of the account.
    user.set_unusable_password()
    user.save()


@transaction.atomic
def create_customer(*, by=None, **fields) -> Customer:
    """A new customer, findable by name, email and phone straight away.
    Placing them in a tier of one's choosing is a supervisor's decision, as
    moving them later is; anyone else's new customer is standard."""
    if "tier" in fields:
        _check_may_change_identity(by)
    else:
        fields["tier"] = ServiceTier.objects.get(code=ServiceTier.STANDARD)
    customer = Customer(**fields)
    customer.full_clean()
    customer.search_text = customer.build_search_text()
    customer.save()
    return customer


@transaction.atomic
def update_customer(customer: Customer, *, by, **fields) -> Customer:
    """Change what the department knows about `customer`. A new email address
    or tier goes through `change_customer_email` and `change_customer_tier`
    (supervisors only)."""
    email = fields.pop("email", None)
    tier = fields.pop("tier", None)
    stored = _stored(customer)
    for name, value in fields.items():
        setattr(customer, name, value)
    # A form may already have put the new email and tier on the instance:
    # keep the stored ones until their own verbs change them.
    customer.email, customer.tier_id = stored.email, stored.tier_id
    customer.search_text = customer.build_search_text()
    customer.save()
    if email is not None:
        change_customer_email(customer, email=email, by=by)
    if tier is not None:
        change_customer_tier(customer, tier=tier, by=by)
    return customer


def customer_for_web_request(
    *, name: str, email: str, phone: str, language: str, channel: str = Channel.WEB
) -> Customer:
    # An existing customer keeps their details: typing someone's address
    # must not change their name, phone or language.
    customer = Customer.objects.with_email(email).first()
    if customer is not None:
        return customer
    return new_customer_for_request(
        name=name, email=email, phone=phone, language=language, channel=channel
    )


def customers_for_web_requests(people: list[dict]) -> dict[str, Customer]:
    """`customer_for_web_request` for a batch of requests, by lower-cased
    email: one lookup for all, one insert for the new; each a dict of name,
    email, phone and language. Two requests of one new address make one
    customer, the first one's."""
    wanted = {person["email"].strip().lower(): person for person in reversed(people)}
    found = {
        customer.email.lower(): customer
        for customer in Customer.objects.alias(email_lower=Lower("email"))
        .filter(email_lower__in=list(wanted))
        .select_related("tier")
    }
    tier = cached("standard-tier", _standard_tier)
    new = []
    for email, person in wanted.items():
        if email in found:
            continue
        customer = Customer(
            name=person["name"],
            email=person["email"].strip(),
            phone=person["phone"],
            preferred_language=person["language"],
            preferred_channel=Channel.WEB,
            tier=tier,
        )
        customer.search_text = customer.build_search_text()
        new.append(customer)
    try:
        if new:
            with transaction.atomic():
                Customer.objects.bulk_create(new)
    except IntegrityError:
        # One of them wrote in another way at the same moment: one by one.
        return {email: customer_for_web_request(**wanted[email]) for email in wanted}
    found.update((customer.email.lower(), customer) for customer in new)
    return found


def _standard_tier() -> ServiceTier | None:
    """The tier of a customer nobody has placed yet: standard, else the lowest."""
    tier = ServiceTier.objects.filter(code=ServiceTier.STANDARD).first()
    return tier or ServiceTier.objects.order_by("rank").first()


def new_customer_for_request(
    *, name: str, email: str, phone: str, language: str, channel: str
) -> Customer:
    """`customer_for_web_request` for a caller that has just looked for
    `email` and found nobody: the lookup is not made twice."""
    customer = Customer(
        name=name,
        email=email,
        phone=phone,
        preferred_language=language,
        preferred_channel=channel,
        tier=cached("standard-tier", _standard_tier),
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


# No savepoint inside a caller's transaction (the API's create): no caller
# goes on after an error here.
@transaction.atomic(savepoint=False)
def log_interaction(
    *, customer: Customer | None = None, new_customer: dict | None = None, **ticket
) -> tuple[Ticket, Message]:
    """A contact taken by an agent (call, visit, letter): the customer found
    or created, and the ticket opened with its first message, in one step;
    the ticket and that message."""
    if customer is None:
        customer = create_customer(by=ticket.get("by"), **(new_customer or {}))
    return open_ticket_with_message(customer=customer, **ticket)


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
