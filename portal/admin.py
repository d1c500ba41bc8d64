"""Web form requests in the admin: those still waiting for their ticket,
and why, for the administrator who set up no queue or a worker."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import WebSubmission


class WaitingFilter(admin.SimpleListFilter):
    title = _("ticket")
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        return [("yes", _("Not opened yet")), ("no", _("Opened"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(ticket__isnull=True)
        if self.value() == "no":
            return queryset.filter(ticket__isnull=False)
        return queryset


@admin.register(WebSubmission)
class WebSubmissionAdmin(admin.ModelAdmin):
    list_display = ["created_at", "ticket", "email", "subject", "attempts"]
    list_filter = [WaitingFilter]
    list_select_related = ["ticket"]
    search_fields = ["email", "subject", "ticket__number"]
    readonly_fields = [field.name for field in WebSubmission._meta.fields]
    ordering = ["-id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
