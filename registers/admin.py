from django.contrib import admin

from .models import RegisterEntry


@admin.register(RegisterEntry)
class RegisterEntryAdmin(admin.ModelAdmin):
    """Read-only: numbers are handed out by the verbs, never typed."""

    list_display = ["number", "dated", "channel", "party_name", "subject", "ticket"]
    list_filter = ["direction", "channel"]
    search_fields = ["number", "party_name", "their_reference"]
    raw_id_fields = ["ticket", "message", "created_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
