from django.db import migrations

TIERS = [
    {
        "code": "standard",
        "name": "Standard",
        "name_ar": "عادي",
        "rank": 0,
        "is_vip": False,
    },
    {
        "code": "vip",
        "name": "VIP",
        "name_ar": "كبار العملاء",
        "rank": 10,
        "is_vip": True,
    },
]


def create_tiers(apps, schema_editor):
    ServiceTier = apps.get_model("customers", "ServiceTier")
    for tier in TIERS:
        ServiceTier.objects.get_or_create(code=tier["code"], defaults=tier)


class Migration(migrations.Migration):
    dependencies = [("customers", "0001_initial")]

    operations = [migrations.RunPython(create_tiers, migrations.RunPython.noop)]
