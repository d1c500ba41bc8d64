from django.conf import settings
from django.db import migrations, models


def create_groups(apps, schema_editor):
    # The two kinds of integration account (helpdesk.roles): membership
    # decides the kind, as it decides agents and supervisors.
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name="Integrations")
    Group.objects.get_or_create(name="Customer-facing integrations")


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0022_notification_kinds"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="queue",
            name="integrations",
            field=models.ManyToManyField(
                blank=True,
                related_name="integration_queues",
                to=settings.AUTH_USER_MODEL,
                verbose_name="integration accounts",
            ),
        ),
        migrations.RunPython(create_groups, migrations.RunPython.noop),
    ]
