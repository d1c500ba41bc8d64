"""The tickets app's reference data, cached (helpdesk.reference): the lists
the ticket page offers in its forms, and who works which queue. TicketsConfig
connects what forgets each when its rows change."""

from __future__ import annotations

from django.forms import ModelChoiceField

from helpdesk.reference import cached

from .models import CannedResponse, Category, Queue, RootCause, Ticket
from .permissions import is_agent, is_integration, works_every_queue


def queues() -> list[Queue]:
    """Every queue, by name."""
    return cached("queues", lambda: list(Queue.objects.all()))


def categories() -> list[Category]:
    """Every category, by name."""
    return cached("categories", lambda: list(Category.objects.all()))


def root_causes() -> list[RootCause]:
    """Every complaint root cause, retired ones too, by name."""
    return cached("root-causes", lambda: list(RootCause.objects.all()))


def canned_responses(queue: Queue) -> list[CannedResponse]:
    """The active canned responses for `queue` and for every queue."""
    active = cached(
        "canned-responses", lambda: list(CannedResponse.objects.filter(is_active=True))
    )
    return [r for r in active if r.queue_id in (None, queue.pk)]


def assignable_agents() -> list:
    """`Queue.objects.assignable_agents()`: who may be given some ticket."""
    return cached("agents", lambda: list(Queue.objects.assignable_agents()))


def worked_queues(user) -> list[Queue]:
    """`Queue.objects.worked_by(user)`, from the cached lists."""
    ids = worked_queue_ids(user)
    return [queue for queue in queues() if queue.pk in ids]


ATTACHED = {"queue": queues, "category": categories, "assignee": assignable_agents}


def attach(tickets, fields=tuple(ATTACHED)) -> None:
    """Give each of `tickets` its queue, category and assignee (or those of
    them in `fields`) from the cached lists above, as `select_related` would
    have: joining the three tables cost a list of fifty tickets more than
    the rest of its query. Whatever the lists lack (a person no longer in
    any queue) is read in one query a kind."""
    for field in fields:
        known = {row.pk: row for row in ATTACHED[field]()}
        ids = {getattr(ticket, f"{field}_id") for ticket in tickets} - {None}
        missing = ids - known.keys()
        if missing:
            model = Ticket._meta.get_field(field).related_model
            known |= model._base_manager.in_bulk(missing)
        for ticket in tickets:
            related_id = getattr(ticket, f"{field}_id")
            setattr(ticket, field, known.get(related_id))


def _load_members() -> dict[int, frozenset[int]]:
    through = (Queue.agents.through, Queue.supervisors.through)
    pairs = through[0].objects.values_list("user_id", "queue_id")
    pairs = pairs.union(through[1].objects.values_list("user_id", "queue_id"))
    queues_of: dict[int, set[int]] = {}
    for user_id, queue_id in pairs:
        queues_of.setdefault(user_id, set()).add(queue_id)
    return {user_id: frozenset(ids) for user_id, ids in queues_of.items()}


def worked_queue_ids(user) -> frozenset[int]:
    """The ids of `Queue.objects.worked_by(user)`."""
    if not is_agent(user):
        return frozenset()
    if works_every_queue(user):
        return frozenset(queue.pk for queue in queues())
    if is_integration(user):
        # Never a page's user (it cannot sign in); read, not cached.
        return frozenset(user.integration_queues.values_list("pk", flat=True))
    return cached("members", _load_members).get(user.pk, frozenset())


def offer(field: ModelChoiceField, objects) -> None:
    """Render `field`'s choices from `objects` (reference data in hand)
    instead of querying its queryset, which still validates what is posted."""
    choices = [(obj.pk, field.label_from_instance(obj)) for obj in objects]
    if field.empty_label is not None:
        choices.insert(0, ("", field.empty_label))
    field.choices = choices
