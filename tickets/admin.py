from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sla.models import (
    SLAClock,
)
from tickets.models import (
    Attachment,
    CannedResponse,
    Category,
    CustomerEmail,
    Message,
    Notification,
    Queue,
    RootCause,
    Ticket,
    TicketEvent,
)

from . import services


@admin.register(Queue)
class QueueAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "name_ar",
        "slug",
        "email",
        "is_default",
        "escalate_to_supervisor",
    ]
    search_fields = ["name", "name_ar", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["agents", "supervisors", "integrations"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "name_ar", "slug", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "name_ar"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(RootCause)
class RootCauseAdmin(admin.ModelAdmin):
    """What complaints are traced back to; supervisors keep the list."""

    list_display = ["name", "name_ar", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "name_ar"]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class MessageInline(ReadOnlyInline):
    model = Message
    fields = readonly_fields = [
        "created_at",
        "direction",
        "channel",
        "author",
        "body_text",
    ]


class ClockInline(ReadOnlyInline):
    model = SLAClock
    fields = readonly_fields = [
        "target",
        "status",
        "cycle",
        "started_at",
        "due_at",
        "used",
        "limit",
        "stopped_at",
    ]
    show_change_link = False


class EventInline(ReadOnlyInline):
    model = TicketEvent
    fields = readonly_fields = [
        "created_at",
        "actor",
        "action",
        "old_value",
        "new_value",
    ]
    show_change_link = False


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    """Read-mostly: changes go through the agent screens and the domain functions,
    so that every change is recorded in the ticket's history."""

    list_display = [
        "number",
        "subject",
        "customer",
        "status",
        "priority",
        "kind",
        "channel",
        "queue",
        "assignee",
        "received_at",
    ]
    list_filter = ["status", "priority", "kind", "channel", "queue", "category"]
    search_fields = ["number", "subject", "customer__name", "customer__email"]
    list_select_related = ["customer", "queue", "assignee"]
    autocomplete_fields = ["customer", "assignee", "queue", "category"]
    date_hierarchy = "received_at"
    show_full_result_count = False
    readonly_fields = [
        "number",
        "status",
        "assignee",
        "priority",
        "queue",
        "kind",
        "channel",
        "category",
        "customer",
        "received_at",
        "first_responded_at",
        "resolved_at",
        "closed_at",
        "created_at",
        "updated_at",
        "sla_policy",
        "due_at",
        "at_risk_at",
        "rating",
        "rating_comment",
        "rated_at",
        # The complaint workflow records its changes from the agent's screen.
        "complaint_stage",
        "severity",
        "root_cause_category",
        "root_cause",
        "corrective_action",
        "resolution_summary",
        "resolution_accepted",
        "appealed_at",
        "appeal_reason",
    ]
    actions = ["renew_tracking_link", "revoke_tracking_link"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "number",
                    "subject",
                    "customer",
                    "status",
                    "priority",
                    "kind",
                    "channel",
                    "queue",
                    "category",
                    "assignee",
                ]
            },
        ),
        (
            _("Complaint"),
            {
                "fields": [
                    "complaint_stage",
                    "severity",
                    "root_cause_category",
                    "root_cause",
                    "corrective_action",
                    "resolution_summary",
                    "resolution_accepted",
                    "appealed_at",
                    "appeal_reason",
                    "is_escalated",
                ]
            },
        ),
        (
            _("Customer rating"),
            {"fields": ["rating", "rating_comment", "rated_at"]},
        ),
        (
            _("Dates"),
            {
                "fields": [
                    "received_at",
                    "sla_policy",
                    "due_at",
                    "at_risk_at",
                    "first_responded_at",
                    "resolved_at",
                    "closed_at",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]
    inlines = [ClockInline, MessageInline, EventInline]

    def has_add_permission(self, request):
        # New tickets are opened through the workspace so they get a number,
        # a first message and a history.
        return False

    @admin.action(description=_("Send the customer a new tracking link"))
    def renew_tracking_link(self, request, queryset):
        self._renew(request, queryset, notify=True)

    @admin.action(description=_("Revoke the tracking link"))
    def revoke_tracking_link(self, request, queryset):
        self._renew(request, queryset, notify=False)

    def _renew(self, request, queryset, *, notify):
        tickets = list(queryset.select_related("customer"))
        for ticket in tickets:
            services.renew_tracking_token(ticket, by=request.user, notify=notify)
        self.message_user(
            request,
            ngettext(
                "The tracking link of %(count)d ticket was replaced.",
                "The tracking links of %(count)d tickets were replaced.",
                len(tickets),
            )
            % {"count": len(tickets)},
            messages.SUCCESS,
        )


@admin.register(CustomerEmail)
class CustomerEmailAdmin(admin.ModelAdmin):
    """The outbox of emails to customers, to see what went out and what waits."""

    list_display = [
        "created_at",
        "kind",
        "to_email",
        "language",
        "sent_at",
        "failed_at",
        "bounced_at",
    ]
    list_filter = ["kind", "language"]
    # A bounce names the email by its Message-ID: found exactly, by its index.
    search_fields = ["to_email", "ticket__number", "=email_message_id"]
    list_select_related = ["ticket"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["ticket", "direction", "channel", "author", "created_at"]
    list_filter = ["direction", "channel"]
    search_fields = ["ticket__number", "email_message_id"]
    list_select_related = ["ticket", "author"]
    autocomplete_fields = ["ticket", "author", "to_queue"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "content_type", "size", "sha256", "created_at"]
    search_fields = ["original_name", "sha256"]
    readonly_fields = [
        "message",
        "file",
        "original_name",
        "content_type",
        "size",
        "sha256",
        "created_at",
    ]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False


@admin.register(TicketEvent)
class TicketEventAdmin(admin.ModelAdmin):
    """The history is append-only: nobody edits or deletes it here."""

    list_display = ["ticket", "action", "old_value", "new_value", "actor", "created_at"]
    list_filter = ["action"]
    search_fields = ["ticket__number"]
    list_select_related = ["ticket", "actor"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "recipient",
        "kind",
        "ticket",
        "created_at",
        "read_at",
        "emailed_at",
    ]
    list_filter = ["kind"]
    search_fields = ["ticket__number", "recipient__username"]
    list_select_related = ["recipient", "ticket"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CannedResponse)
class CannedResponseAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "language",
        "queue",
        "is_active",
        "policy",
        "policy_review_needed",
    ]
    list_filter = ["language", "queue", "is_active", "policy_review_needed"]
    search_fields = ["title", "body"]
    # Marked reviewed on the policy's page (policies.services.mark_reviewed).
    readonly_fields = ["policy_review_needed"]
    list_select_related = ["policy__current_version"]
