"""The tickets of a seed_volume batch, with their messages, events and SLA state."""

import random
import secrets
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from demo.volume_plan import (
    CHANNEL_WEIGHTS,
    DAY,
    DONE_STATUS_WEIGHTS,
    HOUR,
    IN,
    KIND_WEIGHTS,
    NOTE,
    OPEN_STATUS_WEIGHTS,
    OUT,
    PATTERNS,
    PRIORITY_WEIGHTS,
    SEVERITY_WEIGHTS,
    TABLE_SIZE,
    Kind,
    Status,
    open_share,
    weighted_table,
)
from demo.volume_reference import Reference
from demo.volume_sla import SLAFactory
from demo.volume_text import Pools, TermCache
from helpdesk.channels import Channel
from tickets.models import TicketEvent

TICKET_COLUMNS = (
    "id", "number", "subject", "kind", "category_id", "channel", "priority", "status",
    "queue_id", "assignee_id", "customer_id", "received_at", "tracking_token",
    "first_responded_at", "resolved_at", "closed_at", "severity", "root_cause",
    "resolution_summary", "resolution_accepted", "is_escalated", "sla_policy_id",
    "due_at", "at_risk_at", "search_text", "created_at", "updated_at",
)  # fmt: skip
MESSAGE_COLUMNS = (
    "ticket_id",
    "direction",
    "channel",
    "author_id",
    "body_text",
    "created_at",
)
EVENT_COLUMNS = ("ticket_id", "actor_id", "action", "new_value", "created_at")


class TicketFactory:
    """Makes the rows of one batch: tickets, their messages and events."""

    def __init__(self, rng: random.Random, ref: Reference, pools: Pools, now: float):
        self.rng = rng
        self.sla = SLAFactory(datetime.fromtimestamp(now, UTC))
        self.ref = ref
        self.pools = pools
        self.now = now
        self.kinds = weighted_table(KIND_WEIGHTS)
        self.channels = weighted_table(CHANNEL_WEIGHTS)
        self.priorities = weighted_table(PRIORITY_WEIGHTS)
        self.severities = weighted_table(SEVERITY_WEIGHTS)
        self.open_statuses = weighted_table(OPEN_STATUS_WEIGHTS)
        self.done_statuses = weighted_table(DONE_STATUS_WEIGHTS)
        self.patterns = {
            status: weighted_table(weights) for status, weights in PATTERNS.items()
        }
        self.customer_ids: list[int] = []
        self.customer_arabic = bytearray()
        self.customer_traits = bytearray()
        # Subjects and bodies come from small pools: each one's search terms
        # are worked out once, not for every ticket that uses it.
        self.terms = TermCache()

    def add_customers(self, ids: Iterable[int], arabic: bytes, kinds: bytes) -> None:
        """Make these customers (languages, tiers and kinds) available to tickets."""
        self.customer_ids.extend(ids)
        self.customer_arabic.extend(arabic)
        self.customer_traits.extend(kinds)

    def rows(self, ids: Sequence[int], numbers: Sequence[str], times: Sequence[float]):
        """Ticket, message and event rows for tickets `ids`, received at `times`."""
        rng, ref, pools, now = self.rng, self.ref, self.pools, self.now
        random_ = rng.random
        token = secrets.token_urlsafe
        stamp = datetime.fromtimestamp
        kinds, channels, priorities = self.kinds, self.channels, self.priorities
        open_statuses, done_statuses = self.open_statuses, self.done_statuses
        patterns, severities = self.patterns, self.severities
        customer_ids, customer_arabic = self.customer_ids, self.customer_arabic
        customer_traits, sla = self.customer_traits, self.sla
        terms = self.terms
        n_customers = len(customer_ids)
        queue_ids, category_ids, agent_ids = (
            ref.queue_ids,
            ref.category_ids,
            ref.agent_ids,
        )
        live = set(Channel.live())
        logged = {Channel.PHONE, Channel.WALK_IN, Channel.LETTER, Channel.FAX}
        active = set(Status.active())
        tickets, messages, events = [], [], []
        for pk, number, received in zip(ids, numbers, times, strict=True):
            # Squaring skews the pick: a few customers write very often.
            c = int(random_() ** 2 * n_customers)
            lang = "ar" if customer_arabic[c] else "en"
            kind = kinds[int(random_() * TABLE_SIZE)]
            channel = channels[int(random_() * TABLE_SIZE)]
            if random_() < open_share((now - received) / DAY):
                status = open_statuses[int(random_() * TABLE_SIZE)]
            else:
                status = done_statuses[int(random_() * TABLE_SIZE)]
            is_open = status in active
            agent = agent_ids[int(random_() * len(agent_ids))]
            assignee = agent if random_() < (0.7 if is_open else 0.95) else None
            staff = assignee or agent
            # Live channels are answered in minutes, written ones in hours; an
            # eighth of the ticket's age at most, so the whole conversation
            # (three gaps of up to 2.1 and one of 1) ends before now.
            gap = min(
                0.25 * HOUR if channel in live else 20 * HOUR, (now - received) / 8
            )
            received_at = stamp(received, UTC)
            author = staff if channel in logged else None
            priority = priorities[int(random_() * TABLE_SIZE)]
            policy = sla.policy(channel, customer_traits[c], kind, priority)
            first_message = len(messages)
            messages.append(
                (
                    pk,
                    IN,
                    channel,
                    author,
                    rng.choice(pools.inbound[lang, kind]),
                    received_at,
                )
            )
            moment = received
            first_response = None
            pattern = patterns[status]
            for direction in pattern[int(random_() * len(pattern))][1:]:
                moment += gap * (0.1 + 2 * random_())
                at = stamp(moment, UTC)
                if direction == OUT:
                    body = rng.choice(pools.replies[lang])
                    first_response = first_response or at
                    message_author = staff
                elif direction == NOTE:
                    body = rng.choice(pools.notes[lang])
                    message_author = staff
                else:
                    body = rng.choice(pools.inbound[lang, kind])
                    message_author = None
                messages.append((pk, direction, channel, message_author, body, at))
            resolved_at = closed_at = None
            if not is_open:
                moment += gap * random_()
                resolved_at = stamp(moment, UTC)
                if status == Status.CLOSED:
                    moment += min(7 * DAY, now - moment) * random_()
                    closed_at = stamp(moment, UTC)
            complaint = kind == Kind.COMPLAINT
            done_complaint = complaint and not is_open
            conversation = messages[first_message:]
            due_at, at_risk_at = sla.ticket(
                pk, policy, status, conversation, resolved_at, staff
            )
            subject = rng.choice(pools.subjects[lang, kind])
            # As `search.search_text(subject, *bodies)`, from each pooled
            # text's terms, worked out once.
            indexed = dict.fromkeys(terms[subject])
            for message in conversation:
                indexed.update(dict.fromkeys(terms[message[4]]))
            tickets.append(
                (
                    pk,
                    number,
                    subject,
                    kind,
                    category_ids[int(random_() * len(category_ids))]
                    if category_ids and random_() < 0.9
                    else None,
                    channel,
                    priority,
                    status,
                    queue_ids[int(random_() * len(queue_ids))],
                    assignee,
                    customer_ids[c],
                    received_at,
                    token(32),
                    first_response,
                    resolved_at,
                    closed_at,
                    severities[int(random_() * TABLE_SIZE)] if complaint else None,
                    rng.choice(pools.root_causes[lang]) if done_complaint else "",
                    rng.choice(pools.resolutions[lang]) if done_complaint else "",
                    (random_() < 0.8) if done_complaint else None,
                    random_() < (0.15 if complaint else 0.02),
                    policy.id if policy else None,
                    due_at,
                    at_risk_at,
                    " ".join(indexed),
                    received_at,
                    stamp(moment, UTC),
                )
            )
            events.append(
                (pk, author, TicketEvent.Action.CREATED.value, number, received_at)
            )
        return tickets, messages, events
