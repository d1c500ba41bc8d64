"""What complaints are traced back to: data supervisors keep."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RootCause(models.Model):
    """A category of root cause for complaints (data, staff, process...)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    name_ar = models.CharField(_("Arabic name"), max_length=120, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("root cause")
        verbose_name_plural = _("root causes")

    def __str__(self):
        return self.name
