from django.contrib.auth.management import create_permissions
from django.db import migrations

# What each role may do in the admin; ticket changes go through the workspace.
SUPERVISOR_PERMISSIONS = [
    ("customers", "view_customer"),
    ("customers", "change_customer"),
    ("customers", "add_customer"),
    ("customers", "view_servicetier"),
    ("customers", "view_tag"),
    ("customers", "add_tag"),
    ("tickets", "view_queue"),
    ("tickets", "change_queue"),
    ("tickets", "view_category"),
    ("tickets", "add_category"),
    ("tickets", "change_category"),
    ("tickets", "view_ticket"),
    ("tickets", "view_ticketevent"),
]


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; make them now.
    for app_label in ("customers", "tickets"):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.get_or_create(name="Agents")
    supervisors, _ = Group.objects.get_or_create(name="Supervisors")
    for app_label, codename in SUPERVISOR_PERMISSIONS:
        supervisors.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0001_initial"),
        ("customers", "0002_default_tiers"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
