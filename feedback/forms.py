from django import forms
from django.utils.translation import gettext_lazy as _


class DoneForm(forms.Form):
    outcome = forms.CharField(
        label=_("What was done"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say what was done for the customer.")},
    )
