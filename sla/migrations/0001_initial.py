"""The SLA models move here from `tickets`: only Django's idea of them moves.

The tables keep their names (`db_table`), so no row is copied and a database of
any size migrates in milliseconds. Content types follow the models, so
permissions already granted (the Supervisors group edits policies) still hold.
"""

import datetime

import django.db.models.deletion
from django.db import migrations, models

import sla.models

MOVED = [
    "businesscalendar",
    "workinghours",
    "holiday",
    "calendarexception",
    "slapolicy",
    "slaclock",
    "slamilestone",
]


def _relabel(apps, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label=old, model__in=MOVED).update(app_label=new)


def move_content_types(apps, schema_editor):
    _relabel(apps, "tickets", "sla")


def restore_content_types(apps, schema_editor):
    _relabel(apps, "sla", "tickets")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("customers", "0003_customer_search_text"),
        ("tickets", "0012_sla_targets_optional"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="BusinessCalendar",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "name",
                            models.CharField(
                                max_length=120, unique=True, verbose_name="name"
                            ),
                        ),
                        (
                            "timezone",
                            models.CharField(
                                default="Asia/Riyadh",
                                max_length=64,
                                validators=[sla.models.validate_timezone],
                                verbose_name="time zone",
                            ),
                        ),
                        (
                            "country",
                            models.CharField(
                                blank=True,
                                help_text="ISO code (SA, EG, AE, JO, GB…) for importing public holidays.",
                                max_length=2,
                                verbose_name="country",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "business calendar",
                        "verbose_name_plural": "business calendars",
                        "db_table": "tickets_businesscalendar",
                        "ordering": ["name"],
                    },
                ),
                migrations.CreateModel(
                    name="SLAClock",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "target",
                            models.CharField(
                                choices=[
                                    ("first_response", "First response"),
                                    ("next_response", "Next response"),
                                    ("resolution", "Resolution"),
                                ],
                                max_length=16,
                                verbose_name="target",
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("running", "Running"),
                                    ("paused", "Paused"),
                                    ("met", "Met"),
                                    ("missed", "Missed"),
                                ],
                                max_length=8,
                                verbose_name="state",
                            ),
                        ),
                        (
                            "cycle",
                            models.PositiveIntegerField(
                                default=1, verbose_name="cycle"
                            ),
                        ),
                        ("started_at", models.DateTimeField(verbose_name="started")),
                        (
                            "running_since",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="running since"
                            ),
                        ),
                        (
                            "used",
                            models.DurationField(
                                default=datetime.timedelta(0),
                                verbose_name="business time used",
                            ),
                        ),
                        ("limit", models.DurationField(verbose_name="target time")),
                        (
                            "due_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="due"
                            ),
                        ),
                        (
                            "warn_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="at risk from"
                            ),
                        ),
                        (
                            "stopped_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="stopped"
                            ),
                        ),
                        (
                            "ticket",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="clocks",
                                to="tickets.ticket",
                                verbose_name="ticket",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "SLA clock",
                        "verbose_name_plural": "SLA clocks",
                        "db_table": "tickets_slaclock",
                        "ordering": ["ticket", "target"],
                    },
                ),
                migrations.CreateModel(
                    name="SLAMilestone",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("cycle", models.PositiveIntegerField()),
                        ("percent", models.PositiveSmallIntegerField()),
                        ("at", models.DateTimeField()),
                        ("reached_at", models.DateTimeField(blank=True, null=True)),
                        ("sweep", models.UUIDField(blank=True, null=True)),
                        (
                            "clock",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="milestones",
                                to="sla.slaclock",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "SLA milestone",
                        "verbose_name_plural": "SLA milestones",
                        "db_table": "tickets_slamilestone",
                        "ordering": ["at"],
                    },
                ),
                migrations.CreateModel(
                    name="SLAPolicy",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "name",
                            models.CharField(
                                max_length=120, unique=True, verbose_name="name"
                            ),
                        ),
                        (
                            "name_ar",
                            models.CharField(
                                blank=True, max_length=120, verbose_name="Arabic name"
                            ),
                        ),
                        (
                            "order",
                            models.PositiveIntegerField(
                                default=100,
                                help_text="Policies are tried from low to high.",
                                verbose_name="order",
                            ),
                        ),
                        (
                            "is_active",
                            models.BooleanField(default=True, verbose_name="active"),
                        ),
                        (
                            "channels",
                            models.JSONField(
                                blank=True, default=list, verbose_name="channels"
                            ),
                        ),
                        (
                            "customer_kinds",
                            models.JSONField(
                                blank=True, default=list, verbose_name="customer kinds"
                            ),
                        ),
                        (
                            "ticket_kinds",
                            models.JSONField(
                                blank=True, default=list, verbose_name="ticket kinds"
                            ),
                        ),
                        (
                            "priorities",
                            models.JSONField(
                                blank=True, default=list, verbose_name="priorities"
                            ),
                        ),
                        (
                            "first_response",
                            models.DurationField(
                                blank=True,
                                null=True,
                                verbose_name="first response within",
                            ),
                        ),
                        (
                            "next_response",
                            models.DurationField(
                                blank=True,
                                null=True,
                                verbose_name="next response within",
                            ),
                        ),
                        (
                            "resolution",
                            models.DurationField(
                                blank=True, null=True, verbose_name="resolution within"
                            ),
                        ),
                        (
                            "warning_thresholds",
                            models.JSONField(
                                blank=True,
                                default=list,
                                help_text="For example 50, 75, 90. Empty: warn at 75 percent.",
                                verbose_name="warn at (percent of the target)",
                            ),
                        ),
                        (
                            "calendar",
                            models.ForeignKey(
                                blank=True,
                                help_text="Empty: targets run round the clock.",
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="policies",
                                to="sla.businesscalendar",
                                verbose_name="business calendar",
                            ),
                        ),
                        (
                            "tiers",
                            models.ManyToManyField(
                                blank=True,
                                db_table="tickets_slapolicy_tiers",
                                related_name="+",
                                to="customers.servicetier",
                                verbose_name="service tiers",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "SLA policy",
                        "verbose_name_plural": "SLA policies",
                        "db_table": "tickets_slapolicy",
                        "ordering": ["order", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="WorkingHours",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "weekday",
                            models.PositiveSmallIntegerField(
                                choices=[
                                    (0, "Monday"),
                                    (1, "Tuesday"),
                                    (2, "Wednesday"),
                                    (3, "Thursday"),
                                    (4, "Friday"),
                                    (5, "Saturday"),
                                    (6, "Sunday"),
                                ],
                                verbose_name="weekday",
                            ),
                        ),
                        ("start", models.TimeField(verbose_name="from")),
                        ("end", models.TimeField(verbose_name="until")),
                        (
                            "calendar",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="hours",
                                to="sla.businesscalendar",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "working hours",
                        "verbose_name_plural": "working hours",
                        "db_table": "tickets_workinghours",
                        "ordering": ["weekday", "start"],
                    },
                ),
                migrations.CreateModel(
                    name="CalendarException",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("name", models.CharField(max_length=200, verbose_name="name")),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    (
                                        "period",
                                        "Other hours for a period (e.g. Ramadan)",
                                    ),
                                    ("extra_day", "Extra working day"),
                                    ("half_day", "Half day"),
                                    ("closed", "Closed day"),
                                ],
                                max_length=10,
                                verbose_name="kind",
                            ),
                        ),
                        ("start_date", models.DateField(verbose_name="from date")),
                        ("end_date", models.DateField(verbose_name="until date")),
                        (
                            "weekdays",
                            models.JSONField(
                                blank=True,
                                default=list,
                                help_text="For a period: the weekdays these hours apply to (0 = Monday); empty: the usual working days.",
                                verbose_name="weekdays",
                            ),
                        ),
                        (
                            "start_time",
                            models.TimeField(
                                blank=True, null=True, verbose_name="from"
                            ),
                        ),
                        (
                            "end_time",
                            models.TimeField(
                                blank=True, null=True, verbose_name="until"
                            ),
                        ),
                        (
                            "calendar",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="exceptions",
                                to="sla.businesscalendar",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "calendar exception",
                        "verbose_name_plural": "calendar exceptions",
                        "db_table": "tickets_calendarexception",
                        "ordering": ["start_date", "start_time"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("end_date__gte", models.F("start_date"))
                                ),
                                name="calendar_exception_dates_in_order",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("kind", "closed"),
                                    models.Q(
                                        ("end_time__isnull", False),
                                        ("start_time__isnull", False),
                                    ),
                                    _connector="OR",
                                ),
                                name="calendar_exception_has_hours",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="Holiday",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("date", models.DateField(verbose_name="date")),
                        ("name", models.CharField(max_length=200, verbose_name="name")),
                        (
                            "name_ar",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="Arabic name"
                            ),
                        ),
                        (
                            "is_imported",
                            models.BooleanField(
                                default=False,
                                help_text="Imported from the public holidays of the calendar's country.",
                                verbose_name="imported",
                            ),
                        ),
                        (
                            "calendar",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="holidays",
                                to="sla.businesscalendar",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "holiday",
                        "verbose_name_plural": "holidays",
                        "db_table": "tickets_holiday",
                        "ordering": ["date"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("calendar", "date"), name="holiday_once_per_day"
                            )
                        ],
                    },
                ),
                migrations.AddIndex(
                    model_name="slaclock",
                    index=models.Index(
                        condition=models.Q(("status", "paused")),
                        fields=["ticket"],
                        name="sla_clock_paused_idx",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="slaclock",
                    constraint=models.UniqueConstraint(
                        fields=("ticket", "target"), name="sla_clock_once_per_target"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="slaclock",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("status", "running"), _negated=True),
                            models.Q(
                                ("due_at__isnull", False),
                                ("running_since__isnull", False),
                            ),
                            _connector="OR",
                        ),
                        name="sla_clock_running_has_due",
                    ),
                ),
                migrations.AddIndex(
                    model_name="slamilestone",
                    index=models.Index(
                        condition=models.Q(("reached_at__isnull", True)),
                        fields=["at"],
                        name="sla_milestone_pending_idx",
                    ),
                ),
                migrations.AddIndex(
                    model_name="slamilestone",
                    index=models.Index(
                        condition=models.Q(("sweep__isnull", False)),
                        fields=["sweep"],
                        name="sla_milestone_sweep_idx",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="slamilestone",
                    constraint=models.UniqueConstraint(
                        fields=("clock", "cycle", "percent"), name="sla_milestone_once"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="slamilestone",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("percent__gt", 0), ("percent__lte", 100)),
                        name="sla_milestone_percent_range",
                    ),
                ),
            ],
        ),
        migrations.RunPython(move_content_types, restore_content_types),
    ]
