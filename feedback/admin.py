from django.contrib import admin

from .models import FollowUp


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ["ticket", "rating", "assignee", "status", "due_at", "done_at"]
    list_filter = ["status", "rating"]
    list_select_related = ["ticket", "assignee"]
    search_fields = ["ticket__number", "comment"]
    raw_id_fields = ["ticket", "assignee", "done_by"]
