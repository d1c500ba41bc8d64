"""The email channel in the admin: the mailboxes and how their reading goes
(administrators and supervisors), what was received and what became of it,
and the quarantine administrators work through."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from helpdesk import background

from . import quarantine, secrets, tasks
from .models import InboundEmail, Mailbox, QuarantinedEmail

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


class MailboxForm(forms.ModelForm):
    # Write-only: never rendered back, not even after a form error.
    password = forms.CharField(
        label=_("password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(
            render_value=False, attrs={"autocomplete": "new-password"}
        ),
    )

    class Meta:
        model = Mailbox
        fields = [
            "name",
            "email_address",
            "queue",
            "is_active",
            "imap_host",
            "imap_port",
            "imap_security",
            "imap_user",
            "imap_secret_env",
            "imap_folder",
            "processed_folder",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.imap_secret_encrypted:
            help_text = _("A password is stored: leave empty to keep the current one.")
        elif secrets.can_store_passwords():
            help_text = _("Stored encrypted with MAIL_SECRET_KEY, never shown again.")
        else:
            help_text = _(
                "MAIL_SECRET_KEY is not set, so no password can be stored here: "
                "name an environment variable that holds it instead."
            )
        self.fields["password"].help_text = help_text

    def clean_password(self):
        password = self.cleaned_data["password"]
        if password:
            # Encrypted onto the instance now; saved with the rest of the form.
            try:
                secrets.set_password(self.instance, password)
            except secrets.PasswordUnavailable as error:
                raise ValidationError(str(error)) from None
        return password

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("imap_host"):
            if not cleaned.get("imap_user"):
                self.add_error(
                    "imap_user", _("Give the user name to sign in to the server.")
                )
            has_password = (
                cleaned.get("password")
                or cleaned.get("imap_secret_env")
                or self.instance.imap_secret_encrypted
            )
            if not has_password and "password" not in self.errors:
                self.add_error(
                    "password",
                    _(
                        "Give the password, or the name of an environment variable "
                        "that holds it."
                    ),
                )
        return cleaned


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    form = MailboxForm
    list_display = [
        "email_address",
        "name",
        "queue",
        "is_active",
        "last_polled_at",
        "failures",
        "short_error",
        "status",
    ]
    list_filter = ["is_active", "queue"]
    list_select_related = ["queue"]
    search_fields = ["name", "email_address", "imap_host", "imap_user"]
    actions = ["read_now"]
    readonly_fields = [
        "status",
        "last_polled_at",
        "failures",
        "last_error",
        "last_error_at",
        "uidvalidity",
        "last_uid",
    ]
    fieldsets = [
        (None, {"fields": ["name", "email_address", "queue", "is_active"]}),
        (
            _("IMAP server"),
            {
                "fields": [
                    "imap_host",
                    "imap_port",
                    "imap_security",
                    "imap_user",
                    "password",
                    "imap_secret_env",
                    "imap_folder",
                    "processed_folder",
                ],
                "description": _(
                    "Leave the host empty for a mailbox your mail server "
                    "delivers to the helpdesk itself."
                ),
            },
        ),
        (
            _("Reading"),
            {
                "fields": [
                    "status",
                    "last_polled_at",
                    "failures",
                    "last_error",
                    "last_error_at",
                    ("uidvalidity", "last_uid"),
                ]
            },
        ),
    ]

    @admin.display(description=_("last error"))
    def short_error(self, obj):
        return Truncator(obj.last_error).chars(80)

    @admin.display(description=_("status"))
    def status(self, obj):
        if not obj.imap_host:
            return _("Not read over IMAP")
        if not obj.is_active:
            return _("Off")
        if obj.failures:
            return ngettext(
                "Failing: the last attempt went wrong",
                "Failing: the last %(count)d attempts went wrong",
                obj.failures,
            ) % {"count": obj.failures}
        if obj.last_polled_at is None:
            return _("Waiting for the first read")
        return _("Reading normally")

    @admin.action(description=_("Read now"))
    def read_now(self, request, queryset):
        started = 0
        for mailbox in queryset:
            if mailbox.reads_imap:
                background.start(tasks.poll_mailbox, mailbox.pk)
                started += 1
        if started:
            self.message_user(
                request,
                ngettext(
                    "Reading %(count)d mailbox now; reload the page in a moment.",
                    "Reading %(count)d mailboxes now; reload the page in a moment.",
                    started,
                )
                % {"count": started},
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request,
                _("None of these mailboxes is active with an IMAP host."),
                messages.WARNING,
            )
