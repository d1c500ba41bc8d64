"""Service levels: business calendars with their exceptions, and SLA policies."""

import zoneinfo
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from customers.models import Customer, ServiceTier
from helpdesk.channels import Channel
from sla import business_calendar as bc
from sla import rules
from sla.hijri_rules import MONTH_DAYS, HijriDays, expand_hijri_rule
from tickets.models.tickets import Ticket


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Unknown time zone: %(zone)s"), params={"zone": value})


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class HijriMonth(models.IntegerChoices):
    MUHARRAM = 1, _("Muharram")
    SAFAR = 2, _("Safar")
    RABI_AL_AWWAL = 3, _("Rabi' al-Awwal")
    RABI_AL_THANI = 4, _("Rabi' al-Thani")
    JUMADA_AL_ULA = 5, _("Jumada al-Ula")
    JUMADA_AL_AKHIRAH = 6, _("Jumada al-Akhirah")
    RAJAB = 7, _("Rajab")
    SHABAN = 8, _("Sha'ban")
    RAMADAN = 9, _("Ramadan")
    SHAWWAL = 10, _("Shawwal")
    DHU_AL_QIDAH = 11, _("Dhu al-Qi'dah")
    DHU_AL_HIJJAH = 12, _("Dhu al-Hijjah")


# Hijri rules are expanded for the Gregorian years from this many before today
# to this many after: every date a running or recent clock may reach
# (business_calendar.HORIZON is three years).
HIJRI_YEARS_BEFORE = 2
HIJRI_YEARS_AFTER = 3


class BusinessCalendar(models.Model):
    """When the department works: weekly hours, holidays and exceptions."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    name_ar = models.CharField(_("Arabic name"), max_length=120, blank=True)
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Asia/Riyadh",
        validators=[validate_timezone],
    )
    country = models.CharField(
        _("country"),
        max_length=2,
        blank=True,
        help_text=_("ISO code (SA, EG, AE, JO, GB…) for importing public holidays."),
    )

    class Meta:
        # The table kept its name when the model moved from `tickets`.
        db_table = "tickets_businesscalendar"
        ordering = ["name"]
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendars")

    def __str__(self):
        return self.name

    def to_calendar(self, today: date | None = None) -> bc.BusinessCalendar:
        """The pure calendar for arithmetic (reads hours, holidays, exceptions
        and Hijri rules, those expanded for the years around `today`)."""
        week: dict[int, list] = {day: [] for day in range(7)}
        for hours in self.hours.all():
            week[hours.weekday].append((hours.start, hours.end))
        days: dict = {}
        periods: dict[tuple, dict[int, list]] = {}
        # A period that names no weekdays applies to the usual working days.
        working_days = [day for day, hours in week.items() if hours]
        for exception in self.exceptions.all():
            interval = (exception.start_time, exception.end_time)
            if exception.kind == CalendarException.Kind.PERIOD:
                period = periods.setdefault(
                    (exception.start_date, exception.end_date),
                    {day: [] for day in range(7)},
                )
                for weekday in exception.weekdays or working_days:
                    period[int(weekday)].append(interval)
                continue
            day = exception.start_date
            while day <= exception.end_date:
                hours = days.setdefault(day, [])
                if exception.kind != CalendarException.Kind.CLOSED:
                    hours.append(interval)
                day += timedelta(days=1)
        holidays = {holiday.date for holiday in self.holidays.all()}
        for rule, first, last in self.hijri_spans(today):
            if rule.kind == HijriRule.Kind.HOLIDAY:
                # A set: a Hijri holiday also typed in by hand counts once.
                holidays.update(
                    first + timedelta(days=n) for n in range((last - first).days + 1)
                )
                continue
            period = periods.setdefault((first, last), {day: [] for day in range(7)})
            for weekday in rule.weekdays or working_days:
                period[int(weekday)].append((rule.start_time, rule.end_time))
        return bc.BusinessCalendar(
            tz=zoneinfo.ZoneInfo(self.timezone),
            week=week,
            holidays=frozenset(holidays),
            periods=tuple(
                bc.Period(start=start, end=end, week=week)
                for (start, end), week in sorted(periods.items())
            ),
            days={day: tuple(hours) for day, hours in days.items()},
        )

    def hijri_spans(self, today: date | None = None) -> list[tuple]:
        """(rule, first, last) for each Gregorian span of its Hijri rules in
        the years around `today` (default: the calendar's today)."""
        if today is None:
            today = timezone.localdate(timezone=zoneinfo.ZoneInfo(self.timezone))
        years = range(
            today.year - HIJRI_YEARS_BEFORE, today.year + HIJRI_YEARS_AFTER + 1
        )
        return [
            (rule, first, last)
            for rule in self.hijri_rules.all()
            for first, last in rule.expand(years)
        ]


class WorkingHours(models.Model):
    """One working interval on a weekday; an end before the start runs past
    midnight (a night shift)."""

    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.CASCADE, related_name="hours"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))

    class Meta:
        # The table kept its name when the model moved from `tickets`.
        db_table = "tickets_workinghours"
        ordering = ["weekday", "start"]
        verbose_name = _("working hours")
        verbose_name_plural = _("working hours")

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"


class Holiday(models.Model):
    """A day with no working time."""

    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.CASCADE, related_name="holidays"
    )
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=200)
    name_ar = models.CharField(_("Arabic name"), max_length=200, blank=True)
    is_imported = models.BooleanField(
        _("imported"),
        default=False,
        help_text=_("Imported from the public holidays of the calendar's country."),
    )

    class Meta:
        # The table kept its name when the model moved from `tickets`.
        db_table = "tickets_holiday"
        ordering = ["date"]
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        constraints = [
            models.UniqueConstraint(
                fields=["calendar", "date"], name="holiday_once_per_day"
            )
        ]

    def __str__(self):
        return f"{self.date} {self.name}"


class CalendarException(models.Model):
    """Hours that differ from the usual week for a while or on one day."""

    class Kind(models.TextChoices):
        PERIOD = "period", _("Other hours for a period (e.g. Ramadan)")
        EXTRA_DAY = "extra_day", _("Extra working day")
        HALF_DAY = "half_day", _("Half day")
        CLOSED = "closed", _("Closed day")

    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.CASCADE, related_name="exceptions"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    start_date = models.DateField(_("from date"))
    end_date = models.DateField(_("until date"))
    weekdays = models.JSONField(
        _("weekdays"),
        default=list,
        blank=True,
        help_text=_(
            "For a period: the weekdays these hours apply to (0 = Monday); "
            "empty: the usual working days."
        ),
    )
    start_time = models.TimeField(_("from"), null=True, blank=True)
    end_time = models.TimeField(_("until"), null=True, blank=True)

    class Meta:
        # The table kept its name when the model moved from `tickets`.
        db_table = "tickets_calendarexception"
        ordering = ["start_date", "start_time"]
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="calendar_exception_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(kind="closed")
                | Q(start_time__isnull=False, end_time__isnull=False),
                name="calendar_exception_has_hours",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.start_date}–{self.end_date})"


class HijriRule(models.Model):
    """Days defined by Hijri (Umm al-Qura) date, every year: a holiday such as
    1-3 Shawwal, or other hours for a period such as the month of Ramadan."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday (closed)")
        PERIOD = "period", _("Other hours for a period (e.g. Ramadan)")

    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.CASCADE, related_name="hijri_rules"
    )
    name = models.CharField(_("name"), max_length=200)
    name_ar = models.CharField(_("Arabic name"), max_length=200, blank=True)
    kind = models.CharField(
        _("kind"), max_length=10, choices=Kind.choices, default=Kind.HOLIDAY
    )
    month = models.PositiveSmallIntegerField(_("Hijri month"), choices=HijriMonth)
    first_day = models.PositiveSmallIntegerField(
        _("first day"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MONTH_DAYS)],
    )
    last_day = models.PositiveSmallIntegerField(
        _("last day"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MONTH_DAYS)],
        help_text=_("Empty: to the end of the month (29 or 30 days)."),
    )
    weekdays = models.JSONField(
        _("weekdays"),
        default=list,
        blank=True,
        help_text=_(
            "For a period: the weekdays these hours apply to (0 = Monday); "
            "empty: the usual working days."
        ),
    )
    start_time = models.TimeField(_("from"), null=True, blank=True)
    end_time = models.TimeField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["month", "first_day", "id"]
        verbose_name = _("Hijri holiday or period")
        verbose_name_plural = _("Hijri holidays and periods")
        constraints = [
            models.CheckConstraint(
                condition=Q(first_day__gte=1, first_day__lte=MONTH_DAYS)
                & (
                    Q(last_day__isnull=True)
                    | Q(last_day__gte=models.F("first_day"), last_day__lte=MONTH_DAYS)
                ),
                name="hijri_rule_days_in_order",
            ),
            models.CheckConstraint(
                condition=Q(kind="holiday")
                | Q(start_time__isnull=False, end_time__isnull=False),
                name="hijri_rule_period_has_hours",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.hijri_days_label()})"

    def clean(self):
        """Days 1-30 in order; a period has hours on known weekdays."""
        errors = {}
        if (
            self.last_day is not None
            and self.first_day is not None
            and self.last_day < self.first_day
        ):
            errors["last_day"] = _("The last day cannot come before the first day.")
        if self.kind == self.Kind.PERIOD:
            if self.start_time is None:
                errors["start_time"] = _("A period needs the hours it starts.")
            if self.end_time is None:
                errors["end_time"] = _("A period needs the hours it ends.")
        elif self.start_time is not None or self.end_time is not None:
            errors["start_time"] = _(
                "A holiday is closed all day: leave the hours empty, or choose "
                "a period."
            )
        if not isinstance(self.weekdays, list) or any(
            day not in Weekday.values for day in self.weekdays
        ):
            errors["weekdays"] = _("Give a list of weekdays from 0 (Monday) to 6.")
        if errors:
            raise ValidationError(errors)

    @property
    def hijri_days(self) -> HijriDays:
        return HijriDays(
            month=self.month, first_day=self.first_day, last_day=self.last_day
        )

    def expand(self, gregorian_years) -> list[tuple[date, date]]:
        """This rule's Gregorian (first, last) spans touching `gregorian_years`."""
        return expand_hijri_rule(self.hijri_days, gregorian_years)

    def hijri_days_label(self) -> str:
        """E.g. "1–3 Shawwal", "Ramadan" (the whole month), in the active language."""
        month = HijriMonth(self.month).label
        if self.first_day == 1 and self.last_day is None:
            return str(month)
        if self.last_day is None:
            return _("%(first)s %(month)s to the month's end") % {
                "first": self.first_day,
                "month": month,
            }
        if self.last_day == self.first_day:
            return f"{self.first_day} {month}"
        return f"{self.first_day}–{self.last_day} {month}"


class SLAPolicy(models.Model):
    """Targets for the tickets it matches; the first matching policy wins."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    name_ar = models.CharField(_("Arabic name"), max_length=120, blank=True)
    order = models.PositiveIntegerField(
        _("order"), default=100, help_text=_("Policies are tried from low to high.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Each condition is a list of accepted values; an empty list matches all.
    channels = models.JSONField(_("channels"), default=list, blank=True)
    customer_kinds = models.JSONField(_("customer kinds"), default=list, blank=True)
    ticket_kinds = models.JSONField(_("ticket kinds"), default=list, blank=True)
    priorities = models.JSONField(_("priorities"), default=list, blank=True)
    tiers = models.ManyToManyField(
        ServiceTier,
        blank=True,
        related_name="+",
        verbose_name=_("service tiers"),
        db_table="tickets_slapolicy_tiers",
    )
    first_response = models.DurationField(
        _("first response within"), null=True, blank=True
    )
    next_response = models.DurationField(
        _("next response within"), null=True, blank=True
    )
    resolution = models.DurationField(_("resolution within"), null=True, blank=True)
    appeal_resolution = models.DurationField(
        _("resolve an appeal within"),
        null=True,
        blank=True,
        help_text=_("For complaints the customer appeals; empty: no appeal target."),
    )
    calendar = models.ForeignKey(
        BusinessCalendar,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="policies",
        verbose_name=_("business calendar"),
        help_text=_("Empty: targets run round the clock."),
    )
    warning_thresholds = models.JSONField(
        _("warn at (percent of the target)"),
        default=list,
        blank=True,
        help_text=_("For example 50, 75, 90. Empty: warn at 75 percent."),
    )

    class Meta:
        # The table kept its name when the model moved from `tickets`.
        db_table = "tickets_slapolicy"
        ordering = ["order", "id"]
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")

    def __str__(self):
        return self.name

    def clean(self):
        """Every condition names known values; thresholds are 1-99 percent."""
        known = {
            "channels": Channel.values,
            "customer_kinds": Customer.Kind.values,
            "ticket_kinds": Ticket.Kind.values,
            "priorities": Ticket.Priority.values,
        }
        errors = {}
        for field, allowed in known.items():
            value = getattr(self, field)
            if not isinstance(value, list) or any(v not in allowed for v in value):
                errors[field] = _(
                    "Give a list of these values, or [] for any: %(allowed)s."
                ) % {"allowed": ", ".join(str(v) for v in allowed)}
        percents = self.warning_thresholds
        if not isinstance(percents, list) or not all(
            isinstance(p, int) and 0 < p < 100 for p in percents
        ):
            errors["warning_thresholds"] = _(
                "Give a list of whole percentages between 1 and 99, e.g. [50, 75, 90]."
            )
        if not (self.first_response or self.next_response or self.resolution):
            errors["first_response"] = _("Set at least one target (e.g. 48:00:00).")
        for field in ("first_response", "next_response", "resolution"):
            limit = getattr(self, field)
            if limit is not None and limit <= timedelta(0):
                errors[field] = _("A target must be longer than zero.")
        if errors:
            raise ValidationError(errors)

    @property
    def thresholds(self) -> list[int]:
        """Warning thresholds in percent, ascending (75 when none are set)."""
        return list(rules.thresholds(self.warning_thresholds))


class SLAClock(models.Model):
    """One target's clock on one ticket: running, paused, met or missed.

    `used` is the business time spent before `running_since`, so a clock that
    pauses and resumes keeps what it used. `due_at` and `warn_at` are stored
    while it runs, so watching clocks needs no calendar arithmetic.
    """

    class Target(models.TextChoices):
        FIRST_RESPONSE = "first_response", _("First response")
        NEXT_RESPONSE = "next_response", _("Next response")
        RESOLUTION = "resolution", _("Resolution")
        # A memo another queue owes an answer to; its queue is `queue`.
        MEMO = "memo", _("Memo answer")
        # A complaint the customer appealed: resolve the appeal within.
        APPEAL = "appeal", _("Appeal")

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        PAUSED = "paused", _("Paused")
        MET = "met", _("Met")
        MISSED = "missed", _("Missed")

    ticket = models.ForeignKey(
        "tickets.Ticket",
        on_delete=models.CASCADE,
        related_name="clocks",
        verbose_name=_("ticket"),
    )
    target = models.CharField(_("target"), max_length=16, choices=Target.choices)
    status = models.CharField(_("state"), max_length=8, choices=Status.choices)
    # The next-response clock starts a new cycle at each answered customer message.
    cycle = models.PositiveIntegerField(_("cycle"), default=1)
    # Who owes this target when it is not the ticket's own queue (a memo).
    queue = models.ForeignKey(
        "tickets.Queue",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owed by"),
    )
    # A clock owed by another queue: who waits for the answer (told when it is
    # overdue) and what it answers (a memo's number), for the ledger and sweep.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    reference = models.CharField(_("reference"), max_length=20, blank=True)
    started_at = models.DateTimeField(_("started"))
    running_since = models.DateTimeField(_("running since"), null=True, blank=True)
    used = models.DurationField(_("business time used"), default=timedelta(0))
    limit = models.DurationField(_("target time"))
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    warn_at = models.DateTimeField(_("at risk from"), null=True, blank=True)
    stopped_at = models.DateTimeField(_("stopped"), null=True, blank=True)

    class Meta:
        # The table kept its name when the model moved from `tickets`.
        db_table = "tickets_slaclock"
        ordering = ["ticket", "target"]
        verbose_name = _("SLA clock")
        verbose_name_plural = _("SLA clocks")
        constraints = [
            # A ticket may send many memos, each with its own clock.
            models.UniqueConstraint(
                fields=["ticket", "target"],
                condition=~Q(target="memo"),
                name="sla_clock_once_per_target",
            ),
            models.CheckConstraint(
                condition=~Q(status="running")
                | Q(running_since__isnull=False, due_at__isnull=False),
                name="sla_clock_running_has_due",
            ),
        ]
        indexes = [
            # Which open tickets wait on the customer (dashboard "paused").
            models.Index(
                fields=["ticket"],
                condition=Q(status="paused"),
                name="sla_clock_paused_idx",
            ),
        ]

    def __str__(self):
        return f"{self.ticket_id} {self.target} {self.status}"

    @property
    def is_running(self) -> bool:
        return self.status == self.Status.RUNNING

    @property
    def is_counting(self) -> bool:
        """Running or paused: the target is not settled yet."""
        return self.status in (self.Status.RUNNING, self.Status.PAUSED)


class SLAMilestone(models.Model):
    """A moment a clock reaches a share of its target: a warning, or at 100 %
    the breach. The sweep records each exactly once by setting `reached_at`;
    the unique constraint keeps a cycle from ever having two of a kind."""

    BREACH = 100

    clock = models.ForeignKey(
        SLAClock, on_delete=models.CASCADE, related_name="milestones"
    )
    cycle = models.PositiveIntegerField()
    percent = models.PositiveSmallIntegerField()
    at = models.DateTimeField()
    reached_at = models.DateTimeField(null=True, blank=True)
    # Which sweep recorded it, so that sweep can find the rows it claimed.
    sweep = models.UUIDField(null=True, blank=True)

    class Meta:
        # The table kept its name when the model moved from `tickets`.
        db_table = "tickets_slamilestone"
        ordering = ["at"]
        verbose_name = _("SLA milestone")
        verbose_name_plural = _("SLA milestones")
        constraints = [
            models.UniqueConstraint(
                fields=["clock", "cycle", "percent"], name="sla_milestone_once"
            ),
            models.CheckConstraint(
                condition=Q(percent__gt=0, percent__lte=100),
                name="sla_milestone_percent_range",
            ),
        ]
        indexes = [
            # The sweep's only scan: pending milestones by time.
            models.Index(
                fields=["at"],
                condition=Q(reached_at__isnull=True),
                name="sla_milestone_pending_idx",
            ),
            models.Index(
                fields=["sweep"],
                condition=Q(sweep__isnull=False),
                name="sla_milestone_sweep_idx",
            ),
        ]

    def __str__(self):
        return f"{self.clock_id} {self.percent}% at {self.at}"

    @property
    def is_breach(self) -> bool:
        return self.percent == self.BREACH


class SLAChange(models.Model):
    """One change to an SLA policy or a business calendar: who made it, when,
    and each field's old and new value, for supervisors to read.

    What was changed is never edited afterwards; only the progress of
    re-planning the open tickets the change may affect moves on."""

    class Subject(models.TextChoices):
        POLICY = "policy", _("SLA policy")
        CALENDAR = "calendar", _("business calendar")

    class Action(models.TextChoices):
        CREATED = "created", pgettext_lazy("SLA change", "created")
        CHANGED = "changed", pgettext_lazy("SLA change", "changed")
        DELETED = "deleted", pgettext_lazy("SLA change", "deleted")

    subject = models.CharField(_("changed item"), max_length=8, choices=Subject.choices)
    # The policy's or calendar's id and name, kept after it is deleted.
    object_id = models.PositiveBigIntegerField(_("id"))
    name = models.CharField(_("name"), max_length=120)
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    # [{"field", "old", "new"}] for values, [{"field", "added", "removed"}] for
    # a calendar's hours, exceptions and holidays.
    changes = models.JSONField(_("changes"), default=list, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    created_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    # Which open tickets to re-plan: those on these policies, and those on none.
    replan_policies = models.JSONField(default=list, blank=True)
    replan_unmatched = models.BooleanField(default=False)
    # How far re-planning has walked (a ticket id), and where it ended.
    replanned_through = models.PositiveBigIntegerField(default=0)
    replanned = models.PositiveIntegerField(_("tickets re-planned"), default=0)
    replan_finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("SLA change")
        verbose_name_plural = _("SLA changes")

    def __str__(self):
        return f"{self.subject} {self.name} {self.action}"

    @property
    def replans(self) -> bool:
        """Whether open tickets may be affected and are re-planned."""
        return bool(self.replan_policies) or self.replan_unmatched
