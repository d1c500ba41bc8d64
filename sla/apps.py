from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _

from helpdesk.reference import forget_on_change


class SlaConfig(AppConfig):
    name = "sla"
    verbose_name = _("Service levels")

    def ready(self):
        # The tier names of sla.explain.
        forget_on_change(
            ("tiers", "standard-tier"), apps.get_model("customers", "ServiceTier")
        )
