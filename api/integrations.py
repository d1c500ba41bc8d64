"""Integration accounts: another system (a phone system, an e-services
portal) given an account of its own, a kind and the queues it may touch.

The account is a user who is not a person: it has no usable password and
the sign-in refuses it (customers.auth), so it works only through its API
tokens, made and revoked as a person's are (api.tokens). Its kind is a group
(helpdesk.roles) and its queues are `Queue.integrations`, so every ticket it
reaches comes through `Ticket.objects.visible_to`, as an agent's do.
"""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from helpdesk.roles import CUSTOMER_FACING, INTEGRATIONS
from tickets.models import Queue
from tickets.permissions import is_supervisor, works_every_queue


class Kind(models.TextChoices):
    INTEGRATION = "integration", _("Integration")
    CUSTOMER_FACING = "customer_facing", _("Customer-facing")


GROUP_OF = {Kind.INTEGRATION: INTEGRATIONS, Kind.CUSTOMER_FACING: CUSTOMER_FACING}


def integration_accounts() -> QuerySet:
    """Every integration account, active or not, by name."""
    return (
        get_user_model()
        .objects.filter(groups__name__in=GROUP_OF.values())
        .distinct()
        .order_by("username")
    )


def managed_by(user) -> QuerySet:
    """The integration accounts `user` may change: all for an administrator;
    for a supervisor those working only queues the supervisor supervises;
    none for anyone else."""
    if not is_supervisor(user):
        return get_user_model().objects.none()
    accounts = integration_accounts()
    if works_every_queue(user):
        return accounts
    theirs = Queue.objects.supervised_by(user).values("pk")
    return accounts.exclude(integration_queues__in=Queue.objects.exclude(pk__in=theirs))


def kind_of(account) -> Kind:
    """The account's kind, from its groups (prefetched, on a list)."""
    names = {group.name for group in account.groups.all()}
    return Kind.CUSTOMER_FACING if CUSTOMER_FACING in names else Kind.INTEGRATION


def _set_kind(account, kind: Kind) -> None:
    groups = {
        name: Group.objects.get_or_create(name=name)[0] for name in GROUP_OF.values()
    }
    account.groups.remove(*groups.values())
    account.groups.add(groups[GROUP_OF[kind]])


@transaction.atomic
def create_integration(*, username: str, kind: Kind, queues: Iterable[Queue]):
    """A new integration account of `kind` working `queues`; it has no
    password, so it can only be used through a token."""
    account = get_user_model()(username=username)
    account.set_unusable_password()
    account.save()
    _set_kind(account, Kind(kind))
    account.integration_queues.set(queues)
    return account


@transaction.atomic
def change_integration(
    account, *, kind: Kind, queues: Iterable[Queue], is_active: bool
):
    """Give the account another kind, other queues, or switch it off (its
    tokens are refused while it is inactive)."""
    _set_kind(account, Kind(kind))
    account.integration_queues.set(queues)
    if account.is_active != is_active:
        account.is_active = is_active
        account.save(update_fields=["is_active"])
    # The role checks keep the groups on the instance (helpdesk.roles).
    account.__dict__.pop("_helpdesk_groups", None)
    return account
