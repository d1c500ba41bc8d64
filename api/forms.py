from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from helpdesk.labels import LocalizedMultipleChoiceField
from tickets.models import Queue

from .integrations import Kind
from .tokens import default_days, lifetimes

# The choice that makes a token that never expires.
NEVER = "never"


def _lifetime_label(days: int | None) -> str:
    if days is None:
        return _("Never expires")
    return ngettext("%(days)d day", "%(days)d days", days) % {"days": days}


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What uses it, e.g. “Phone system” or “Reporting”."),
    )
    days = forms.TypedChoiceField(
        label=_("Expires after"),
        coerce=lambda value: None if value == NEVER else int(value),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read now, not at import: the cap is a setting (API_TOKEN_MAX_DAYS).
        self.fields["days"].choices = [
            (NEVER if days is None else str(days), _lifetime_label(days))
            for days in lifetimes()
        ]
        self.fields["days"].initial = str(default_days())


class IntegrationForm(forms.Form):
    """An integration account's kind and queues; its name when it is new."""

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=Kind.choices,
        help_text=_(
            "An integration works tickets as an agent does; a customer-facing "
            "one (a portal, a chat widget) never reads or writes internal notes."
        ),
    )
    queues = LocalizedMultipleChoiceField(
        label=_("Queues"),
        queryset=Queue.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("It sees and changes the tickets of these queues only."),
    )

    def __init__(self, *args, queues, **kwargs):
        super().__init__(*args, **kwargs)
        # Only queues the supervisor supervises (all, for an administrator).
        self.fields["queues"].queryset = queues.order_by("name")


class NewIntegrationForm(IntegrationForm):
    username = forms.CharField(
        label=_("Account name"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("The system it stands for, e.g. “phone-system”."),
    )
    field_order = ["username", "kind", "queues"]

    def clean_username(self):
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This name is taken."))
        return username


class IntegrationChangeForm(IntegrationForm):
    is_active = forms.BooleanField(
        label=pgettext_lazy("integration account", "Active"),
        required=False,
        help_text=_("An inactive account's tokens are refused."),
    )
