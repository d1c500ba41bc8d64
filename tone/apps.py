from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from helpdesk.reference import forget_on_change


class ToneConfig(AppConfig):
    name = "tone"
    verbose_name = _("Tone assistant")

    def ready(self):
        # Every check reads the phrase bank: from the cache, until it changes.
        forget_on_change(("tone-phrases",), self.get_model("Phrase"))
