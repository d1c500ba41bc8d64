"""The email channel in the admin: what was received and what became of it,
and the quarantine administrators work through."""

from django.contrib import admin, messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import quarantine
from .models import InboundEmail, QuarantinedEmail

# How much of a quarantined message the admin page shows.
PREVIEW_BYTES = 4096


@admin.register(InboundEmail)
class InboundEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "sender", "subject", "outcome", "ticket", "mailbox"]
    list_filter = ["outcome", "source", "mailbox"]
    search_fields = ["sender", "subject", "email_message_id"]
    list_select_related = ["ticket", "mailbox"]
    readonly_fields = [
        "created_at", "mailbox", "source", "outcome", "reason", "email_message_id",
        "sender", "subject", "ticket", "message",
    ]  # fmt: skip
    exclude = ["dedupe_key", "content_hash"]
    date_hierarchy = "created_at"
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class WaitingFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("waiting", _("Waiting")), ("resolved", _("Resolved"))]

    def queryset(self, request, queryset):
        if self.value() == "waiting":
            return queryset.waiting()
        if self.value() == "resolved":
            return queryset.filter(resolved_at__isnull=False)
        return queryset


@admin.register(QuarantinedEmail)
class QuarantinedEmailAdmin(admin.ModelAdmin):
    list_display = [
        "created_at", "sender", "subject", "reason", "size", "ticket", "resolution",
    ]  # fmt: skip
    list_filter = [WaitingFilter, "source", "mailbox"]
    search_fields = ["sender", "subject", "reason"]
    list_select_related = ["ticket", "mailbox"]
    readonly_fields = [
        "created_at", "mailbox", "source", "reason", "size", "sender", "subject",
        "ticket", "resolved_at", "resolved_by", "resolution", "download", "preview",
    ]  # fmt: skip
    exclude = ["raw"]
    actions = ["reprocess", "discard"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "<int:object_id>/raw/",
                self.admin_site.admin_view(self.raw_view),
                name="mail_quarantinedemail_raw",
            ),
            *super().get_urls(),
        ]

    def raw_view(self, request, object_id):
        if not self.has_view_permission(request):
            raise Http404
        item = get_object_or_404(QuarantinedEmail, pk=object_id)
        if not item.raw:
            raise Http404
        return FileResponse(
            item.raw.open("rb"),
            as_attachment=True,
            filename=f"quarantine-{item.pk}.eml",
            content_type="message/rfc822",
        )

    @admin.display(description=_("raw message"))
    def download(self, item):
        if not item.raw:
            return _("discarded")
        url = reverse("admin:mail_quarantinedemail_raw", args=[item.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download (.eml)"))

    @admin.display(description=_("beginning of the message"))
    def preview(self, item):
        if not item.raw:
            return "—"
        with item.raw.open("rb") as handle:
            head = handle.read(PREVIEW_BYTES)
        return format_html(
            '<pre dir="auto" style="white-space: pre-wrap">{}</pre>',
            head.decode("utf-8", "replace"),
        )

    @admin.action(
        description=_("Take the selected emails in again"), permissions=["delete"]
    )
    def reprocess(self, request, queryset):
        for item in queryset.waiting():
            result = quarantine.reprocess(item, by=request.user)
            self.message_user(
                request,
                _("%(sender)s: %(outcome)s")
                % {"sender": item.sender or item.pk, "outcome": result.describe()},
                messages.SUCCESS,
            )

    @admin.action(description=_("Discard the selected emails"), permissions=["delete"])
    def discard(self, request, queryset):
        items = list(queryset.waiting())
        for item in items:
            quarantine.discard(item, by=request.user)
        self.message_user(
            request, _("%(count)d discarded.") % {"count": len(items)}, messages.SUCCESS
        )
