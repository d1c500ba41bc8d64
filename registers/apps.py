from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "registers"
    verbose_name = _("Registers")

    def ready(self):
        # Django's documented place to connect receivers: the models (and the
        # tickets' hook) exist only once the app registry is ready.
        import_module(f"{self.name}.receivers")
