"""The email channel in the admin: the mailboxes, with how their reading
goes (administrators and supervisors)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from helpdesk import background
from mail import secrets, tasks
from mail.models import Mailbox


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
