"""Calendars get an Arabic name, as queues, categories and tiers have; the
default calendar (made by tickets 0006) gets its own."""

from django.db import migrations, models


def name_the_default_calendar(apps, schema_editor):
    calendars = apps.get_model("sla", "BusinessCalendar")
    calendars.objects.filter(name="Head office", name_ar="").update(
        name_ar="المكتب الرئيسي"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("sla", "0006_appeal_targets"),
    ]

    operations = [
        migrations.AddField(
            model_name="businesscalendar",
            name="name_ar",
            field=models.CharField(
                blank=True, max_length=120, verbose_name="Arabic name"
            ),
        ),
        migrations.RunPython(name_the_default_calendar, migrations.RunPython.noop),
    ]
