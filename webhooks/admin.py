from django.contrib import admin

from .models import Delivery, Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    """Read-mostly: supervisors manage webhooks on their own pages, where the
    URL is checked and changes are announced to the relay."""

    list_display = ["name", "url", "owner", "is_active", "failure_count"]
    list_filter = ["is_active"]
    exclude = ["secret"]
    readonly_fields = [
        "owner",
        "url",
        "events",
        "is_active",
        "paused_at",
        "paused_for_failures",
        "failure_count",
        "after_event_id",
        "last_success_at",
        "last_failure_at",
    ]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["event_type", "subscription", "state", "attempts", "response_code"]
    list_filter = ["state", "event_type"]
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request):
        return False
