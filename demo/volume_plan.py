"""The shape of a seed_volume run: how many of what, in which shares, at which times."""

import bisect
import math
import random
from datetime import datetime
from zoneinfo import ZoneInfo

from helpdesk.channels import Channel
from tickets.models import Message, Ticket

DAY = 86400.0
HOUR = 3600.0
SPAN_DAYS = 730
CUSTOMERS_PER_TICKET = 0.25
TABLE_SIZE = 1000

Status = Ticket.Status
Kind = Ticket.Kind
Priority = Ticket.Priority
IN = Message.Direction.INBOUND.value
OUT = Message.Direction.OUTBOUND.value
NOTE = Message.Direction.INTERNAL.value

# Weights are shares of all tickets; open states are about 30% overall, more
# among recent tickets (see `open_share`).
KIND_WEIGHTS = {
    Kind.INQUIRY: 45,
    Kind.REQUEST: 30,
    Kind.COMPLAINT: 18,
    Kind.SUGGESTION: 7,
}
CHANNEL_WEIGHTS = {
    Channel.EMAIL: 34,
    Channel.WEB: 25,
    Channel.PHONE: 20,
    Channel.CHAT: 9,
    Channel.WALK_IN: 5,
    Channel.LETTER: 4,
    Channel.FAX: 3,
}
PRIORITY_WEIGHTS = {
    Priority.LOW: 20,
    Priority.NORMAL: 55,
    Priority.HIGH: 18,
    Priority.URGENT: 7,
}
SEVERITY_WEIGHTS = {1: 35, 2: 40, 3: 18, 4: 7}
OPEN_STATUS_WEIGHTS = {Status.NEW: 30, Status.OPEN: 50, Status.PENDING: 20}
DONE_STATUS_WEIGHTS = {Status.RESOLVED: 35, Status.CLOSED: 65}
# Conversation shapes per status: a new ticket has no reply yet (a reply
# opens it), a pending one waits on the customer after a reply.
PATTERNS = {
    Status.NEW: {(IN,): 6, (IN, NOTE): 2, (IN, IN): 1},
    Status.OPEN: {(IN, OUT, IN): 3, (IN, NOTE): 2, (IN, OUT, IN, NOTE): 2, (IN,): 2},
    Status.PENDING: {(IN, OUT): 5, (IN, NOTE, OUT): 2, (IN, OUT, IN, OUT): 2},
    Status.RESOLVED: {
        (IN, OUT): 5,
        (IN, OUT, IN, OUT): 2,
        (IN, NOTE, OUT): 2,
        (IN, OUT, NOTE): 1,
        (IN,): 1,
    },
}
PATTERNS[Status.CLOSED] = PATTERNS[Status.RESOLVED]
# Local-time shape of the traffic: office hours, quieter at the weekend
# (Friday and Saturday in the default Asia/Riyadh calendar).
HOUR_WEIGHTS = [
    1,
    1,
    1,
    1,
    1,
    2,
    4,
    8,
    14,
    16,
    16,
    15,
    12,
    13,
    14,
    13,
    10,
    7,
    5,
    4,
    3,
    2,
    2,
    1,
]
WEEKDAY_WEIGHTS = [10, 10, 10, 10, 4, 3, 10]  # Monday first


def weighted_table(weights: dict, size: int = TABLE_SIZE) -> list:
    """A list of exactly `size` keys, each in proportion to its weight.

    Indexing it with `int(random() * size)` is several times faster than
    `random.choices`, which matters at millions of rows.
    """
    total = sum(weights.values())
    table, bound = [], 0.0
    for key, weight in weights.items():
        bound += weight
        table.extend([key] * (round(size * bound / total) - len(table)))
    return table


class TimeSlots:
    """Hours of the last two years, weighted by office hours and weekdays.

    Times are drawn by inverting the cumulative weight, each batch from its
    own slice of it, so tickets come out in time order across batches: ids
    and numbers then grow with `received_at`, as in a real helpdesk.
    """

    def __init__(self, now: float, zone: ZoneInfo):
        self.start = (now - SPAN_DAYS * DAY) // HOUR * HOUR
        self.hours = []
        self.lengths = []
        self.cumulative = [0.0]
        moment = self.start
        while moment < now:
            local = datetime.fromtimestamp(moment, zone)
            length = min(HOUR, now - moment)
            weight = HOUR_WEIGHTS[local.hour] * WEEKDAY_WEIGHTS[local.weekday()]
            self.hours.append(moment)
            self.lengths.append(length)
            self.cumulative.append(self.cumulative[-1] + weight * length / HOUR)
            moment += HOUR
        self.total = self.cumulative[-1]

    def draw(self, rng: random.Random, count: int, part: int, parts: int):
        """`count` sorted epoch seconds from the slice `part`/`parts` of time."""
        hours, lengths, cumulative = self.hours, self.lengths, self.cumulative
        last = len(hours) - 1
        low = self.total * part / parts
        width = self.total / parts
        times = []
        for u in sorted(low + rng.random() * width for _ in range(count)):
            i = min(bisect.bisect(cumulative, u) - 1, last)
            share = (u - cumulative[i]) / (cumulative[i + 1] - cumulative[i])
            times.append(hours[i] + min(share, 1.0) * lengths[i])
        return times


def open_share(age_days: float) -> float:
    """The chance that a ticket received `age_days` ago is still open."""
    # Recent tickets are mostly still open; old ones mostly done. Over two
    # years of even traffic this averages to about 30%.
    return 0.27 + 0.65 * math.exp(-age_days / 20)
