from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import UserPreference


class LoginForm(AuthenticationForm):
    """Staff sign in with their username, customers with their email."""

    # Django's own wording, in our catalogue so that its Arabic says
    # "كلمة المرور" like every other page, not Django's "كلمة السر".
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Please enter a correct %(username)s and password. Note that both "
            "fields may be case-sensitive."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username or email")


class PreferencesForm(forms.Form):
    """The choices on "My preferences"."""

    hijri_dates = forms.ChoiceField(
        label=_("Show Hijri dates"),
        choices=UserPreference.HijriDates.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "The Umm al-Qura date beside each Gregorian one, on tickets, "
            "registers and your requests."
        ),
    )

    # Staff only (see `for_staff`): how notifications reach them.
    EMAIL, IN_APP = "email", "in_app"
    NOTIFICATION_CHOICES = [
        (EMAIL, _("In the helpdesk and by email")),
        (IN_APP, _("In the helpdesk only")),
    ]

    def __init__(self, *args, staff: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if staff:
            self.fields["notifications"] = forms.ChoiceField(
                label=_("Notifications"),
                choices=self.NOTIFICATION_CHOICES,
                widget=forms.RadioSelect,
                # Left out of a post, the choice stays as it was.
                required=False,
                help_text=_(
                    "Tickets assigned to you, customers' replies, mentions, "
                    "memos and service-level warnings."
                ),
            )
