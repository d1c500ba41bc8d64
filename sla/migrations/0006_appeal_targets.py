"""Appeal targets for the shipped complaint policies: an appealed complaint
is resolved again within five working days (two for a VIP's), on the
policy's calendar. A policy a supervisor already gave one keeps it."""

from datetime import timedelta

from django.db import migrations

DAY = timedelta(hours=8)  # one working day of the head-office calendar
APPEALS = {"Complaints": 5 * DAY, "VIP complaints": 2 * DAY}


def set_appeal_targets(apps, schema_editor):
    SLAPolicy = apps.get_model("sla", "SLAPolicy")
    for name, limit in APPEALS.items():
        SLAPolicy.objects.filter(name=name, appeal_resolution__isnull=True).update(
            appeal_resolution=limit
        )


class Migration(migrations.Migration):
    dependencies = [
        ("sla", "0005_hijri_rules"),
    ]

    operations = [
        migrations.RunPython(set_appeal_targets, migrations.RunPython.noop),
    ]
