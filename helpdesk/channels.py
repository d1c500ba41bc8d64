"""The ways a customer reaches the department; shared by customers and tickets."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")
    FAX = "fax", _("Fax")
    LETTER = "letter", _("Postal letter")
    CHAT = "chat", _("Chat")
    WALK_IN = "walk_in", _("In person")

    @classmethod
    def written(cls) -> list[str]:
        """Channels answered later in writing (first response within 48 hours)."""
        return [cls.WEB, cls.EMAIL, cls.FAX, cls.LETTER]

    @classmethod
    def live(cls) -> list[str]:
        """Channels answered during the contact itself."""
        return [cls.PHONE, cls.CHAT, cls.WALK_IN]
