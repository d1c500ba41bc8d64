from django.contrib.auth.management import create_permissions
from django.db import migrations

# Supervisors word the letters of their department; deleting a template
# stays an administrator's decision (deactivating it keeps the old wording).
SUPERVISOR_PERMISSIONS = [
    "view_lettertemplate",
    "add_lettertemplate",
    "change_lettertemplate",
]


def grant_supervisors(apps, schema_editor):
    # Permissions are normally created after all migrations; make them now.
    app_config = apps.get_app_config("letters")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    supervisors, _ = Group.objects.get_or_create(name="Supervisors")
    supervisors.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="letters", codename__in=SUPERVISOR_PERMISSIONS
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("letters", "0002_shipped_templates"),
        ("tickets", "0002_role_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_supervisors, migrations.RunPython.noop)]
