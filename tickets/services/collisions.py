"""Two agents answering one customer: a reply or note is held back only when
the conversation with the customer moved on since the agent loaded the page.

A change of status, priority or assignee, or a colleague's internal note,
never holds one back: those are the lost-update guard's business
(`unchanged_since`), for the forms that change those fields.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction

from ..models import Message, Ticket


class CorrespondenceMoved(Exception):
    """The customer wrote, or someone else wrote to them, since the acting
    agent loaded the ticket."""

    def __init__(self, messages: list[Message]):
        super().__init__(f"{len(messages)} message(s) since last seen")
        self.messages = messages


def newest_message(ticket: Ticket) -> int:
    """The id to hand a page as 'the newest message I have seen' of `ticket`."""
    return ticket.messages.order_by("-id").values_list("id", flat=True).first() or 0


def correspondence_since(ticket: Ticket, message_id: int, user) -> list[Message]:
    """Messages on `ticket` after `message_id` that went between the customer
    and anyone but `user`: what the customer wrote (however it was logged,
    unless `user` logged it) and what others sent them. Internal notes and
    memos are left out."""
    return list(
        ticket.messages.filter(id__gt=message_id)
        .exclude(direction=Message.Direction.INTERNAL)
        .exclude(author=user)
        .select_related("author")
        .order_by("id")
    )


@contextmanager
def no_correspondence_since(
    ticket: Ticket, *, seen_message: int, user
) -> Iterator[Ticket]:
    """Lock `ticket` for a reply or note by `user` and refuse it, with
    CorrespondenceMoved, if the customer's conversation moved past message
    `seen_message`: no customer gets two answers to one question unawares."""
    with transaction.atomic():
        # The lock makes two replies sent at once take turns: the second sees
        # the first.
        Ticket.objects.select_for_update().filter(pk=ticket.pk).values("pk").get()
        moved = correspondence_since(ticket, seen_message, user)
        if moved:
            raise CorrespondenceMoved(moved)
        ticket.refresh_from_db()
        yield ticket
