"""The subscription form: a name, a URL the SSRF guard accepts, the events."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .addresses import UnsafeURL, check_url
from .events import EventType
from .models import Subscription


class SubscriptionForm(forms.ModelForm):
    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "Where the helpdesk sends each event as a signed JSON POST; "
            "http:// or https:// on a public address."
        ),
        widget=forms.URLInput(attrs={"dir": "ltr"}),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=EventType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one event.")},
    )

    class Meta:
        model = Subscription
        fields = ["name", "url", "events"]
        help_texts = {"name": _("What receives the events, for example “CRM”.")}

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        try:
            check_url(url, allow_private=settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS)
        except UnsafeURL as error:
            raise forms.ValidationError(str(error), code="unsafe_url") from error
        return url
