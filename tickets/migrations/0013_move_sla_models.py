"""The SLA models now live in the `sla` app (see sla/migrations/0001_initial.py):
state only, the tables and their rows stay where they are."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sla", "0001_initial"),
        ("tickets", "0012_sla_targets_optional"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="slapolicy",
                    name="calendar",
                ),
                migrations.RemoveField(
                    model_name="calendarexception",
                    name="calendar",
                ),
                migrations.RemoveField(
                    model_name="holiday",
                    name="calendar",
                ),
                migrations.RemoveField(
                    model_name="slaclock",
                    name="ticket",
                ),
                migrations.RemoveField(
                    model_name="slamilestone",
                    name="clock",
                ),
                migrations.AlterField(
                    model_name="ticketevent",
                    name="milestone",
                    field=models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="event",
                        to="sla.slamilestone",
                    ),
                ),
                migrations.RemoveField(
                    model_name="slapolicy",
                    name="tiers",
                ),
                migrations.AlterField(
                    model_name="ticket",
                    name="sla_policy",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="tickets",
                        to="sla.slapolicy",
                        verbose_name="SLA policy",
                    ),
                ),
                migrations.DeleteModel(
                    name="WorkingHours",
                ),
                migrations.DeleteModel(
                    name="CalendarException",
                ),
                migrations.DeleteModel(
                    name="BusinessCalendar",
                ),
                migrations.DeleteModel(
                    name="Holiday",
                ),
                migrations.DeleteModel(
                    name="SLAClock",
                ),
                migrations.DeleteModel(
                    name="SLAMilestone",
                ),
                migrations.DeleteModel(
                    name="SLAPolicy",
                ),
            ],
        ),
    ]
