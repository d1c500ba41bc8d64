"""The SLA defaults the product ships with (SPEC, "Service levels").

A head-office calendar (Sunday to Thursday, 08:00-16:00, Riyadh, Saudi public
holidays for three years) and policies tried in this order:

1. VIP complaints: first response 4 working hours, resolution 2 working days.
2. Complaints: first response 1 working day, resolution 5 working days.
3. VIP, live channels: follow-up within half a working day.
4. VIP, written channels: first response 24 hours.
5. Live channels (phone, chat, walk-in): answered during the contact; any
   follow-up within one working day.
6. Written channels (email, letter, fax, web form): first response 48 hours.
7. Everything else: first response 48 hours.
"""

from datetime import time, timedelta

import holidays
from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.utils import timezone

WRITTEN = ["web", "email", "fax", "letter"]
LIVE = ["phone", "chat", "walk_in"]
DAY = timedelta(hours=8)  # one working day of the head-office calendar

POLICIES = [
    # name, name_ar, order, conditions, (first, next, resolution), on calendar?, warn
    ("VIP complaints", "شكاوى كبار العملاء", 10,
     {"ticket_kinds": ["complaint"], "tiers": ["vip"]},
     (timedelta(hours=4), timedelta(hours=4), 2 * DAY), True, [50, 75, 90]),
    ("Complaints", "الشكاوى", 20,
     {"ticket_kinds": ["complaint"]},
     (DAY, DAY, 5 * DAY), True, [50, 75, 90]),
    ("VIP, live channels", "كبار العملاء - القنوات المباشرة", 30,
     {"channels": LIVE, "tiers": ["vip"]},
     (timedelta(minutes=30), DAY / 2, 2 * DAY), True, [50, 75, 90]),
    ("VIP, written channels", "كبار العملاء - المراسلات المكتوبة", 40,
     {"channels": WRITTEN, "tiers": ["vip"]},
     (timedelta(hours=24), timedelta(hours=24), timedelta(days=5)), False,
     [50, 75, 90]),
    ("Live channels", "القنوات المباشرة", 50,
     {"channels": LIVE},
     (timedelta(hours=1), DAY, 5 * DAY), True, [75]),
    ("Written channels", "المراسلات المكتوبة", 60,
     {"channels": WRITTEN},
     (timedelta(hours=48), timedelta(hours=48), timedelta(days=10)), False, [75]),
    ("Everything else", "سائر الطلبات", 1000,
     {},
     (timedelta(hours=48), timedelta(hours=48), timedelta(days=10)), False, [75]),
]  # fmt: skip


# Supervisors keep the service levels: policies, calendars and holidays.
SUPERVISOR_PERMISSIONS = [
    f"{verb}_{model}"
    for model in (
        "slapolicy",
        "businesscalendar",
        "workinghours",
        "holiday",
        "calendarexception",
    )
    for verb in ("view", "add", "change", "delete")
] + ["view_slaclock"]


def grant_supervisors(apps, schema_editor):
    app_config = apps.get_app_config("tickets")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    supervisors, _ = Group.objects.get_or_create(name="Supervisors")
    supervisors.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="tickets", codename__in=SUPERVISOR_PERMISSIONS
        )
    )


def create_defaults(apps, schema_editor):
    BusinessCalendar = apps.get_model("tickets", "BusinessCalendar")
    WorkingHours = apps.get_model("tickets", "WorkingHours")
    Holiday = apps.get_model("tickets", "Holiday")
    SLAPolicy = apps.get_model("tickets", "SLAPolicy")
    ServiceTier = apps.get_model("customers", "ServiceTier")

    calendar, made = BusinessCalendar.objects.get_or_create(
        name="Head office", defaults={"timezone": "Asia/Riyadh", "country": "SA"}
    )
    if made:
        for weekday in (6, 0, 1, 2, 3):  # Sunday to Thursday
            WorkingHours.objects.create(
                calendar=calendar, weekday=weekday, start=time(8), end=time(16)
            )
        this_year = timezone.now().year
        years = range(this_year, this_year + 3)
        english = holidays.country_holidays("SA", years=years, language="en_US")
        arabic = holidays.country_holidays("SA", years=years, language="ar")
        for day, name in sorted(english.items()):
            Holiday.objects.get_or_create(
                calendar=calendar,
                date=day,
                defaults={
                    "name": name[:200],
                    "name_ar": arabic.get(day, "")[:200],
                    "is_imported": True,
                },
            )
    if SLAPolicy.objects.exists():
        return
    tiers = {tier.code: tier for tier in ServiceTier.objects.all()}
    for name, name_ar, order, conditions, targets, on_calendar, warn in POLICIES:
        first, following, resolution = targets
        policy = SLAPolicy.objects.create(
            name=name,
            name_ar=name_ar,
            order=order,
            channels=conditions.get("channels", []),
            ticket_kinds=conditions.get("ticket_kinds", []),
            first_response=first,
            next_response=following,
            resolution=resolution,
            calendar=calendar if on_calendar else None,
            warning_thresholds=warn,
        )
        policy.tiers.set([tiers[c] for c in conditions.get("tiers", []) if c in tiers])


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0002_default_tiers"),
        ("tickets", "0005_sla_clocks"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_defaults, migrations.RunPython.noop),
        migrations.RunPython(grant_supervisors, migrations.RunPython.noop),
    ]
