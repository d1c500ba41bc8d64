"""The root causes complaints are traced back to, in English and Arabic, and
the supervisors' right to keep them (the admin's root cause pages)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROOT_CAUSES = [
    ("Staff conduct", "سلوك الموظفين"),
    ("Delay", "التأخير"),
    ("Wrong information", "معلومات غير صحيحة"),
    ("Process or policy", "الإجراءات أو السياسات"),
    ("System fault", "عطل في الأنظمة"),
    ("Billing error", "خطأ في الفوترة"),
    ("Other", "أخرى"),
]

# Deleting a root cause stays an administrator's decision: one in use cannot
# be deleted, and deactivating it keeps the complaints' history readable.
SUPERVISOR_PERMISSIONS = ["view_rootcause", "add_rootcause", "change_rootcause"]


def add_root_causes(apps, schema_editor):
    RootCause = apps.get_model("tickets", "RootCause")
    for name, name_ar in ROOT_CAUSES:
        RootCause.objects.get_or_create(name=name, defaults={"name_ar": name_ar})


def grant_supervisors(apps, schema_editor):
    # Permissions are normally created after all migrations; make them now.
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


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0020_complaints_report_index"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(add_root_causes, migrations.RunPython.noop),
        migrations.RunPython(grant_supervisors, migrations.RunPython.noop),
    ]
