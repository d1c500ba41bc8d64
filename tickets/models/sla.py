"""Service levels: business calendars with their exceptions, and SLA policies."""

import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from customers.models import ServiceTier

from .. import business_calendar as bc


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


class BusinessCalendar(models.Model):
    """When the department works: weekly hours, holidays and exceptions."""

    name = models.CharField(_("name"), max_length=120, unique=True)
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
        ordering = ["name"]
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendars")

    def __str__(self):
        return self.name

    def to_calendar(self) -> bc.BusinessCalendar:
        """The pure calendar for arithmetic (reads hours, holidays, exceptions)."""
        week: dict[int, list] = {day: [] for day in range(7)}
        for hours in self.hours.all():
            week[hours.weekday].append((hours.start, hours.end))
        days: dict = {}
        periods: dict[tuple, dict[int, list]] = {}
        for exception in self.exceptions.all():
            interval = (exception.start_time, exception.end_time)
            if exception.kind == CalendarException.Kind.PERIOD:
                period = periods.setdefault(
                    (exception.start_date, exception.end_date),
                    {day: [] for day in range(7)},
                )
                for weekday in exception.weekdays:
                    period[weekday].append(interval)
            else:
                day = days.setdefault(exception.start_date, [])
                if exception.kind != CalendarException.Kind.CLOSED:
                    day.append(interval)
        return bc.BusinessCalendar(
            tz=zoneinfo.ZoneInfo(self.timezone),
            week=week,
            holidays=frozenset(holiday.date for holiday in self.holidays.all()),
            periods=tuple(
                bc.Period(start=start, end=end, week=week)
                for (start, end), week in sorted(periods.items())
            ),
            days={day: tuple(hours) for day, hours in days.items()},
        )


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
    is_imported = models.BooleanField(
        _("imported"),
        default=False,
        help_text=_("Imported from the public holidays of the calendar's country."),
    )

    class Meta:
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
        help_text=_("For a period: the weekdays these hours apply to (0 = Monday)."),
    )
    start_time = models.TimeField(_("from"), null=True, blank=True)
    end_time = models.TimeField(_("until"), null=True, blank=True)

    class Meta:
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
        ServiceTier, blank=True, related_name="+", verbose_name=_("service tiers")
    )
    first_response = models.DurationField(_("first response within"), null=True)
    next_response = models.DurationField(_("next response within"), null=True)
    resolution = models.DurationField(_("resolution within"), null=True)
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
        ordering = ["order", "id"]
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")

    def __str__(self):
        return self.name

    @property
    def thresholds(self) -> list[int]:
        """Warning thresholds in percent, ascending (75 when none are set)."""
        chosen = {int(t) for t in self.warning_thresholds if 0 < int(t) < 100}
        return sorted(chosen) or [75]
