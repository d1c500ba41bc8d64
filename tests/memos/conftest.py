"""Memos between two queues: Customer Service (the ticket's) sends, Billing
(on the office calendar, Sunday to Thursday 08:00-16:00 Riyadh) answers."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from memos import services as memo_services
from tickets.permissions import AGENTS, SUPERVISORS

from ..factories import QueueFactory, make_staff, make_ticket

RIYADH = ZoneInfo("Asia/Riyadh")


def riyadh(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=RIYADH)


@pytest.fixture
def billing(other_queue, policies):
    """The other department, answering memos within 16 working hours."""
    other_queue.calendar = policies["live"].calendar  # the test office's
    other_queue.save()
    return other_queue


@pytest.fixture
def billing_supervisor(billing):
    user = make_staff("billing-supervisor", SUPERVISORS)
    billing.supervisors.add(user)
    return user


@pytest.fixture
def outsider(db):
    """An agent of a third queue, which no memo was sent to."""
    archive = QueueFactory(name="Archive", slug="archive")
    user = make_staff("outsider", AGENTS)
    archive.agents.add(user)
    return user


def open_at(when: datetime, customer, queue, **fields):
    with time_machine.travel(when, tick=False):
        return make_ticket(customer, queue, **fields)


def send_at(when: datetime, ticket, to_queue, by, text="Please check the refund"):
    with time_machine.travel(when, tick=False):
        return memo_services.send_memo(ticket, to_queue=to_queue, body_text=text, by=by)


def answer_at(when: datetime, memo, by, text="Refunded on Sunday"):
    with time_machine.travel(when, tick=False):
        return memo_services.answer_memo(memo, body_text=text, by=by)
