"""Who a customer is: their email address (which portal sign-in follows) and
service tier change only through supervisors' verbs, recorded in history,
with the old address told, the SLA re-chosen and the portal account moved."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from customers import signin
from customers.models import CustomerChange, ServiceTier
from tickets import services

from ..factories import make_ticket

pytestmark = pytest.mark.django_db
PASSWORD = "pw-for-tests-1"


@pytest.fixture
def standard(db):
    return ServiceTier.objects.get(code="standard")


def edit(client, customer, **changes):
    url = reverse("tickets:customer_edit", args=[customer.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None} | changes
    return client.post(url, data)


def test_an_agent_finds_email_and_tier_locked_and_edits_the_rest(
    agent_client, alice, standard, mailoutbox
):
    form = agent_client.get(reverse("tickets:customer_edit", args=[alice.pk]))

    response = edit(
        agent_client,
        alice,
        email="mallory@example.com",
        tier=standard.pk,
        phone="+966 50 123 4567",
    )

    assert "Only a supervisor can change the email address or tier." in form.text
    assert form.context["form"].fields["email"].disabled
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.phone == "+966 50 123 4567"
    assert (alice.email, alice.tier.code) == ("alice@example.com", "vip")
    assert not CustomerChange.objects.exists()
    assert mailoutbox == []


@pytest.mark.parametrize("verb", ["email", "tier"])
def test_the_identity_verbs_refuse_an_agent(agent, alice, standard, verb):
    with pytest.raises(PermissionDenied, match="Only a supervisor"):
        if verb == "email":
            services.change_customer_email(alice, email="m@example.com", by=agent)
        else:
            services.change_customer_tier(alice, tier=standard, by=agent)

    alice.refresh_from_db()
    assert (alice.email, alice.tier.code) == ("alice@example.com", "vip")


def test_a_supervisor_changes_the_email_and_the_old_address_is_told(
    supervisor_client, supervisor, alice, mailoutbox, django_capture_on_commit_callbacks
):
    alice.preferred_language = "ar"
    alice.save()

    with django_capture_on_commit_callbacks(execute=True):
        response = edit(supervisor_client, alice, email="alice@new.example")

    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.email == "alice@new.example"
    change = alice.changes.get()
    assert (change.field, change.old_value, change.new_value, change.actor) == (
        "email",
        "alice@example.com",
        "alice@new.example",
        supervisor,
    )
    [email] = mailoutbox
    assert email.to == ["alice@example.com"]
    assert email.subject == "تم تغيير عنوان بريدك الإلكتروني لدينا"
    assert "alice@new.example" in email.body
    assert "إن لم تطلب ذلك" in email.body
    assert "alice@new.example" in email.alternatives[0][0]
    assert 'dir="rtl"' in email.alternatives[0][0]
    page = supervisor_client.get(alice.get_absolute_url()).text
    assert "Email and tier history" in page
    assert "alice@example.com</bdi> to <bdi>alice@new.example" in page


def test_after_an_email_change_the_old_address_no_longer_signs_in(
    supervisor, alice, alice_client
):
    old_link = signin.make_token("alice@example.com")

    services.change_customer_email(alice, email="alice@new.example", by=supervisor)

    password = Client().post(
        reverse("login"), {"username": "alice@example.com", "password": PASSWORD}
    )
    assert password.status_code == 200  # the form again, not signed in
    assert alice_client.get(reverse("portal:list")).status_code == 302  # signed out
    assert signin.portal_user_for("alice@example.com") is None
    confirm = Client().post(reverse("portal:sign_in_confirm", args=[old_link]))
    assert confirm.status_code == 400


def test_after_an_email_change_a_link_to_the_new_address_signs_into_the_account(
    supervisor, alice, queue
):
    ticket = make_ticket(alice, queue, subject="My old request")
    services.change_customer_email(alice, email="Alice@New.example", by=supervisor)
    client = Client()

    client.post(
        reverse(
            "portal:sign_in_confirm",
            args=[signin.make_token("alice@new.example")],
        )
    )

    alice.user.refresh_from_db()
    assert alice.user.email.lower() == "alice@new.example"
    assert ticket.subject in client.get(reverse("portal:list")).text


def test_a_new_tier_is_recorded_and_rechooses_the_sla_in_the_same_step(
    supervisor, alice, queue, standard, policies
):
    ticket = make_ticket(alice, queue, kind="complaint")
    assert ticket.sla_policy == policies["vip_complaints"]

    services.change_customer_tier(alice, tier=standard, by=supervisor)

    ticket.refresh_from_db()
    assert ticket.sla_policy == policies["complaints"]
    assert ticket.events.filter(action="sla_policy").exists()
    change = alice.changes.get()
    assert (change.field, change.old_value, change.new_value) == (
        "tier",
        "VIP",
        standard.name,
    )


def test_the_admin_changes_tier_and_email_through_the_verbs(
    client,
    admin_user,
    alice,
    queue,
    standard,
    policies,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    ticket = make_ticket(alice, queue, kind="complaint")
    client.force_login(admin_user)
    url = reverse("admin:customers_customer_change", args=[alice.pk])
    form = client.get(url).context["adminform"].form
    data = {
        k: v
        for k, v in form.initial.items()
        if v is not None and not isinstance(v, list)
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, data | {"tier": standard.pk, "email": "alice@new.example"}
        )

    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.sla_policy == policies["complaints"]
    assert {c.field for c in alice.changes.all()} == {"email", "tier"}
    assert [m.to for m in mailoutbox] == [["alice@example.com"]]


def test_in_the_admin_email_and_tier_are_read_only_for_other_staff(client, alice):
    from django.contrib.auth.models import Permission

    from ..factories import UserFactory

    clerk = UserFactory(username="clerk", is_staff=True)
    clerk.user_permissions.add(
        *Permission.objects.filter(codename__endswith="customer")
    )
    client.force_login(clerk)

    form = client.get(reverse("admin:customers_customer_change", args=[alice.pk]))

    assert form.status_code == 200
    assert "email" not in form.context["adminform"].form.fields
    assert "tier" not in form.context["adminform"].form.fields
