import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from customers.models import Customer
from helpdesk import search
from helpdesk.channels import Channel
from helpdesk.counters import bump_counter
from sla.rules import ClockState
from tickets import permissions


class QueueQuerySet(models.QuerySet):
    def default(self) -> "Queue | None":
        """The queue that receives requests from the web form: the one marked
        default, else the first by name."""
        return self.order_by("-is_default", "name").first()

    def worked_by(self, user):
        """The queues whose tickets `user` works: every queue for an
        administrator, the queues an agent or supervisor is a member of (as
        agent or as supervisor), an integration account's own queues, none
        for anyone else."""
        if not permissions.is_agent(user):
            return self.none()
        if permissions.works_every_queue(user):
            return self
        if permissions.is_integration(user):
            return self.filter(integrations=user)
        return self.filter(Q(agents=user) | Q(supervisors=user)).distinct()

    def supervised_by(self, user):
        """The queues whose figures `user` sees on the dashboard: every queue
        for an administrator, the queues a supervisor supervises, else none."""
        if not permissions.is_supervisor(user):
            return self.none()
        if permissions.works_every_queue(user):
            return self
        return self.filter(supervisors=user)

    def assignable_agents(self):
        """The people who may be given tickets of these queues: everyone who
        works one of them (`worked_by` read from the queue's side)."""
        staff = Q(groups__name__in=[permissions.AGENTS, permissions.SUPERVISORS])
        member = Q(agent_queues__in=self) | Q(supervised_queues__in=self)
        return (
            get_user_model()
            .objects.filter(is_active=True)
            # Q(is_superuser=True) is `permissions.works_every_queue` in SQL.
            .filter(Q(is_superuser=True) | (staff & member))
            .distinct()
            .order_by("username")
        )

    def assignable_agents_by_queue(self) -> dict[int, list]:
        """`assignable_agents` of each of these queues, in two queries
        whatever their number: queue id to people by username. A queue with
        no member is missing; only administrators may be given its tickets
        (the list under the key None)."""
        through = (Queue.agents.through, Queue.supervisors.through)
        members = (
            through[0].objects.filter(queue__in=self).values_list("queue_id", "user_id")
        )
        members = members.union(
            through[1].objects.filter(queue__in=self).values_list("queue_id", "user_id")
        )
        queues_of: dict[int, set[int]] = {}
        for queue_id, user_id in members:
            queues_of.setdefault(user_id, set()).add(queue_id)
        staff = Q(groups__name__in=[permissions.AGENTS, permissions.SUPERVISORS])
        people = (
            get_user_model()
            .objects.filter(is_active=True)
            .filter(Q(is_superuser=True) | (staff & Q(pk__in=list(queues_of))))
            .distinct()
            .order_by("username")
        )
        by_queue: dict[int | None, list] = {None: []}
        for queue_id in {q for queues in queues_of.values() for q in queues}:
            by_queue[queue_id] = []
        for person in people:
            for queue_id in by_queue:
                if person.is_superuser or queue_id in queues_of.get(person.pk, ()):
                    by_queue[queue_id].append(person)
        return by_queue


class Queue(models.Model):
    """A team or department that owns tickets; its agents work them."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    name_ar = models.CharField(_("Arabic name"), max_length=120, blank=True)
    slug = models.SlugField(_("code"), max_length=60, unique=True)
    description = models.TextField(_("description"), blank=True)
    email = models.EmailField(_("email address"), blank=True)
    calendar = models.ForeignKey(
        "sla.BusinessCalendar",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("business calendar"),
        help_text=_("The hours its memo targets count in; empty: round the clock."),
    )
    memo_answer_within = models.DurationField(
        _("answer memos within"),
        default=timedelta(hours=16),
        help_text=_("Business time another department is given to answer a memo."),
    )
    agents = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="agent_queues",
        verbose_name=_("agents"),
    )
    supervisors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="supervised_queues",
        verbose_name=_("supervisors"),
    )
    # Integration accounts (helpdesk.roles) that work this queue's tickets
    # over the API; kept apart from the agents, so no ticket is assigned to
    # them and no queue notice is sent to them.
    integrations = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="integration_queues",
        verbose_name=_("integration accounts"),
    )
    escalate_to_supervisor = models.BooleanField(
        _("reassign breached VIP tickets and complaints to a supervisor"),
        default=False,
    )
    is_default = models.BooleanField(
        _("receives web-form requests"),
        default=False,
        help_text=_("Requests sent through the public web form land here."),
    )

    objects = QueueQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("queue")
        verbose_name_plural = _("queues")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="queue_one_default",
                violation_error_message=_("Only one queue can receive web requests."),
            )
        ]

    def __str__(self):
        return self.name

    def assignable_agents(self):
        """The people who may be given this queue's tickets."""
        return Queue.objects.filter(pk=self.pk).assignable_agents()

    def may_be_assigned(self, user) -> bool:
        """Whether `user` may be given this queue's tickets."""
        return Queue.objects.worked_by(user).filter(pk=self.pk).exists()


class Category(models.Model):
    """What a ticket is about (billing, product support, ...). Data, not code."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    name_ar = models.CharField(_("Arabic name"), max_length=120, blank=True)
    slug = models.SlugField(_("code"), max_length=60, unique=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name


class TicketNumberCounter(models.Model):
    """The last reference number handed out in a year."""

    year = models.PositiveIntegerField(primary_key=True)
    last_value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("ticket number counter")

    def __str__(self):
        return f"{self.year}: {self.last_value}"


def reserve_ticket_numbers(year: int, count: int = 1) -> range:
    """Reserve `count` consecutive sequence values for `year` and return them;
    no two tickets ever share a number (`helpdesk.counters`)."""
    last = bump_counter(TicketNumberCounter, {"year": year}, count)
    return range(last - count + 1, last + 1)


def format_ticket_number(year: int, value: int) -> str:
    """The human reference number, e.g. HD-2026-000123."""
    return f"HD-{year}-{value:06d}"


def new_tracking_token() -> str:
    """An unguessable token for the customer's private tracking link."""
    return secrets.token_urlsafe(32)


def clock_state_q(state: str, now) -> Q:
    """Tickets whose nearest running clock is on track, at risk or breached at
    `now`: the stored-times twin of `clock_state`, one rule for every list,
    filter and figure."""
    State = ClockState
    return {
        State.ON_TRACK: Q(due_at__gt=now)
        & (Q(at_risk_at__isnull=True) | Q(at_risk_at__gt=now)),
        State.AT_RISK: Q(due_at__gt=now, at_risk_at__lte=now),
        State.BREACHED: Q(due_at__lte=now),
    }[state]


# Read when a ticket's own page or a complaint report asks, never in lists.
LIST_DEFERRED = (
    "search_text",
    "root_cause",
    "corrective_action",
    "appeal_reason",
    "resolution_summary",
)


# What a row of the agent queue shows (tickets/templatetags/queue.py) and
# what its urgency cursor and SLA badge read.
QUEUE_ROW_FIELDS = (
    "number",
    "channel",
    "subject",
    "status",
    "priority",
    "queue_id",
    "sla_policy_id",
    "received_at",
    "due_at",
    "at_risk_at",
    "customer__name",
    "customer__tier_id",
    "assignee_id",
)


class TicketQuerySet(models.QuerySet):
    def open(self):
        """Tickets still being worked (not resolved or closed)."""
        return self.filter(status__in=Ticket.Status.active())

    def in_clock_state(self, state: str, now):
        """Open tickets whose most urgent running clock is in `state` at `now`."""
        return self.open().filter(clock_state_q(state, now))

    def matching(self, text: str):
        """Tickets whose subject or messages contain every word of `text`,
        Arabic and English normalised and stemmed (see tickets/search.py)."""
        return search.filter_words(self, search.terms(text))

    def for_list(self):
        """With what a list row shows (customer and tier, queue, assignee,
        and the SLA policy whose calendar counts the time left), and without
        the long texts no list shows: the search column alone is the size of
        every message of the ticket."""
        return self.select_related(
            "customer__tier", "queue", "assignee", "sla_policy"
        ).defer(*LIST_DEFERRED)

    def for_queue_rows(self):
        """`for_list()` for the agent queue, whose rows take each ticket's
        queue, tier, assignee and SLA policy from the reference caches
        instead (`tickets.reference.attach`), and read only the columns a row
        shows: parsing the dates and building the objects no row uses was
        half of the page's time."""
        return self.select_related("customer").only(*QUEUE_ROW_FIELDS)

    def rated(self):
        """Tickets the customer has rated."""
        return self.filter(rating__isnull=False)

    def visible_to(self, user):
        """Tickets `user` may see: the one access path for every view and API."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if permissions.works_every_queue(user):
            return self
        if permissions.is_integration(user):
            # Its queues' tickets and no others: nothing is assigned to an
            # integration, and it answers no memos.
            return self.filter(queue__in=Queue.objects.worked_by(user).values("pk"))
        if permissions.is_agent(user):
            queues = Queue.objects.worked_by(user).values("pk")
            # A queue sent a memo on a ticket sees that ticket, to answer it
            # (the memos app; read through the messages addressed to it, by
            # the partial index message_memo_idx).
            memos = (
                self.model._meta.get_field("messages")
                .related_model.objects.filter(to_queue__in=queues)
                .values("ticket_id")
            )
            return self.filter(Q(queue__in=queues) | Q(assignee=user) | Q(pk__in=memos))
        return self.filter(customer__user=user)


class TicketManager(models.Manager.from_queryset(TicketQuerySet)):
    def get_queryset(self):
        # The stored words are the database's, for its index: no page or
        # service reads them, so no ticket loaded in Python carries them.
        return super().get_queryset().defer("search_vector")


class Ticket(models.Model):
    """One inquiry, request, complaint or suggestion from a customer."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        OPEN = "open", _("Open")
        PENDING = "pending", _("Pending")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")

        @classmethod
        def active(cls) -> list[str]:
            """Statuses of tickets still being worked."""
            return [cls.NEW, cls.OPEN, cls.PENDING]

        @classmethod
        def done(cls) -> list[str]:
            return [cls.RESOLVED, cls.CLOSED]

    class Kind(models.TextChoices):
        INQUIRY = "inquiry", _("Inquiry")
        REQUEST = "request", _("Request")
        COMPLAINT = "complaint", _("Complaint")
        SUGGESTION = "suggestion", _("Suggestion")

    class Priority(models.IntegerChoices):
        LOW = 1, _("Low")
        NORMAL = 2, _("Normal")
        HIGH = 3, _("High")
        URGENT = 4, _("Urgent")

    class ComplaintStage(models.TextChoices):
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        INVESTIGATING = "investigating", _("Investigating")
        RESOLVED = "resolved", pgettext_lazy("complaint stage", "Resolved")
        ACCEPTED = "accepted", _("Accepted by the customer")
        APPEALED = "appealed", _("Appealed")

    class Severity(models.IntegerChoices):
        MINOR = 1, _("Minor")
        MODERATE = 2, _("Moderate")
        MAJOR = 3, _("Major")
        CRITICAL = 4, _("Critical")

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    subject = models.CharField(_("subject"), max_length=250)
    kind = models.CharField(
        _("kind"), max_length=12, choices=Kind.choices, default=Kind.INQUIRY
    )
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("category"),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW
    )
    queue = models.ForeignKey(
        Queue, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("queue")
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tickets",
        verbose_name=_("assignee"),
    )
    customer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        related_name="tickets",
        verbose_name=_("customer"),
    )
    received_at = models.DateTimeField(
        _("received"),
        help_text=_("When the customer contacted us (for a letter: the day it came)."),
    )
    tracking_token = models.CharField(
        max_length=64, unique=True, default=new_tracking_token, editable=False
    )
    first_responded_at = models.DateTimeField(
        _("first response"), null=True, blank=True
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Complaint handling: only meaningful for kind=complaint.
    severity = models.PositiveSmallIntegerField(
        _("severity"), choices=Severity.choices, null=True, blank=True
    )
    complaint_stage = models.CharField(
        _("complaint stage"), max_length=14, choices=ComplaintStage.choices, blank=True
    )
    root_cause_category = models.ForeignKey(
        "tickets.RootCause",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("root cause"),
    )
    root_cause = models.TextField(_("root cause details"), blank=True)
    corrective_action = models.TextField(_("corrective action"), blank=True)
    appealed_at = models.DateTimeField(_("appealed"), null=True, blank=True)
    appeal_reason = models.TextField(_("reason for the appeal"), blank=True)
    resolution_summary = models.TextField(_("resolution summary"), blank=True)
    resolution_accepted = models.BooleanField(
        _("customer accepted the resolution"), null=True, blank=True
    )
    is_escalated = models.BooleanField(_("escalated"), default=False)
    # SLA: the policy chosen and, while a clock runs, the nearest due time and
    # the moment the ticket counts as at risk (see sla/clocks.py).
    sla_policy = models.ForeignKey(
        "sla.SLAPolicy",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("SLA policy"),
    )
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    at_risk_at = models.DateTimeField(_("at risk from"), null=True, blank=True)
    # The customer's rating of the service, given once after resolution.
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.TextField(_("rating comment"), blank=True)
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True)
    # Normalised, stemmed words of the subject and every message, written by
    # the services (tickets/search.py); full-text indexed on PostgreSQL.
    search_text = models.TextField(_("search terms"), blank=True, editable=False)
    # Its words split for the full-text index, by the database itself.
    search_vector = models.GeneratedField(
        expression=search.WordsVector("search_text"),
        output_field=SearchVectorField(null=True),
        db_persist=True,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = TicketManager()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        indexes = [
            models.Index(fields=["queue", "status"], name="ticket_queue_status_idx"),
            models.Index(
                fields=["customer", "-received_at"], name="ticket_customer_idx"
            ),
            models.Index(fields=["assignee", "status"], name="ticket_assignee_idx"),
            models.Index(fields=["-received_at", "-id"], name="ticket_received_idx"),
            # Lists of open tickets page through this without wading past the
            # far larger number of resolved and closed ones.
            models.Index(
                fields=["-received_at", "-id"],
                condition=Q(status__in=["new", "open", "pending"]),
                name="ticket_open_received_idx",
            ),
            # Urgency order: breached first (earliest due), then nearest due.
            models.Index(
                fields=["due_at", "id"],
                condition=Q(status__in=["new", "open", "pending"]),
                name="ticket_open_due_idx",
            ),
            # The supervisor dashboard counts open tickets by SLA state per
            # queue and per agent from this index alone (index-only scans).
            models.Index(
                fields=["queue", "assignee", "due_at", "at_risk_at", "id"],
                condition=Q(status__in=["new", "open", "pending"]),
                name="ticket_open_sla_idx",
            ),
            # Response and resolution times over a period.
            models.Index(
                fields=["first_responded_at"],
                condition=Q(first_responded_at__isnull=False),
                name="ticket_first_response_idx",
            ),
            models.Index(
                fields=["resolved_at"],
                condition=Q(resolved_at__isnull=False),
                name="ticket_resolved_idx",
            ),
            # The complaints report: complaints received over a period.
            models.Index(
                fields=["received_at"],
                condition=Q(kind="complaint"),
                name="ticket_complaint_received_idx",
            ),
            # Ratings by time, for the dashboard's satisfaction figures.
            models.Index(
                fields=["rated_at"],
                condition=Q(rating__isnull=False),
                name="ticket_rated_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="resolved") | Q(resolved_at__isnull=False),
                name="ticket_resolved_has_resolved_at",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False),
                name="ticket_closed_has_closed_at",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["new", "open", "pending", "resolved", "closed"]
                ),
                name="ticket_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True)
                | Q(rating__gte=1, rating__lte=5, rated_at__isnull=False),
                name="ticket_rating_1_to_5",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.subject}"

    def get_absolute_url(self):
        return reverse("tickets:detail", args=[self.number])

    @property
    def is_open(self) -> bool:
        return self.status in self.Status.active()

    @property
    def is_complaint(self) -> bool:
        return self.kind == self.Kind.COMPLAINT
