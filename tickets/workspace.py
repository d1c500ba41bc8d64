"""The agent's queue views: which open tickets each shows, and how many."""

from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from sla.rules import ClockState

from .models import Queue, Ticket
from .models.tickets import clock_state_q

# Counts are a glance, not a ledger: a short cache keeps the queue page's cost
# flat at a million tickets while staying fresh enough to act on.
COUNTS_SECONDS = 30


@dataclass(frozen=True)
class QueueView:
    key: str
    label: str
    # Whether the view can hold tickets without a running clock (no due time).
    undated: bool = True

    def condition(self, user, now: datetime) -> Q:
        """Which of the viewer's open tickets this view shows."""
        if self.key == "mine":
            return Q(assignee=user)
        if self.key == "unassigned":
            queues = Queue.objects.worked_by(user).values("pk")
            return Q(assignee__isnull=True, queue__in=queues)
        if self.key == "vip":
            return Q(customer__tier__is_vip=True)
        if self.key == "attention":
            return clock_state_q(ClockState.BREACHED, now) | clock_state_q(
                ClockState.AT_RISK, now
            )
        if self.key == "pending":
            return Q(status=Ticket.Status.PENDING)
        return Q()


VIEWS = [
    QueueView("mine", _("My tickets")),
    QueueView("unassigned", _("Unassigned in my queues")),
    QueueView("vip", _("VIP")),
    QueueView("attention", _("At risk & breached"), undated=False),
    QueueView("pending", _("Pending")),
    QueueView("open", _("All open")),
]
VIEWS_BY_KEY = {view.key: view for view in VIEWS}
DEFAULT_VIEW = "open"


def queue_view(key: str | None) -> QueueView:
    """The view named `key`, or the default one."""
    return VIEWS_BY_KEY.get(key or "", VIEWS_BY_KEY[DEFAULT_VIEW])


def open_tickets(user):
    """The open tickets `user` may see: what every queue view starts from."""
    return Ticket.objects.visible_to(user).open()


def view_tickets(view: QueueView, user, now: datetime):
    """The tickets of `view` for `user`, not yet ordered."""
    return open_tickets(user).filter(view.condition(user, now))


def view_counts(user, now: datetime) -> dict[str, int]:
    """How many tickets each view holds for `user`: one query, briefly cached."""
    key = f"queue-view-counts:{user.pk}"
    counts = cache.get(key)
    if counts is None:
        counts = open_tickets(user).aggregate(
            **{
                view.key: Count("pk", filter=view.condition(user, now))
                for view in VIEWS
            }
        )
        cache.set(key, counts, COUNTS_SECONDS)
    return counts


def forget_counts(user) -> None:
    """Drop `user`'s cached counts after they changed tickets."""
    cache.delete(f"queue-view-counts:{user.pk}")
