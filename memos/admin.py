from django.contrib import admin

from .models import Memo


@admin.register(Memo)
class MemoAdmin(admin.ModelAdmin):
    """Read-only: memos are sent and answered from the ticket page."""

    list_display = ["number", "ticket", "from_queue", "to_queue", "status", "due_at"]
    list_filter = ["status", "to_queue"]
    search_fields = ["number", "ticket__number"]
    raw_id_fields = ["ticket", "message", "answer", "clock", "sent_by", "answered_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
