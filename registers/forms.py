from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from helpdesk.labels import LocalizedChoiceField
from tickets.models import Queue, Ticket

from .models import Direction, RegisterChannel


class RegisterFilterForm(forms.Form):
    """The register page's filters; every field optional."""

    direction = forms.ChoiceField(
        label=_("Register"), choices=Direction.choices, required=False
    )
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[("", _("Any"))] + RegisterChannel.choices,
        required=False,
    )
    queue = LocalizedChoiceField(
        label=_("Queue"),
        queryset=Queue.objects.all(),
        required=False,
        empty_label=_("Any"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any"))] + Ticket.Status.choices,
        required=False,
    )
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Number, sender or reference"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = "form-select" if select else "form-control"

    def filter(self, entries):
        data = self.cleaned_data
        entries = entries.filter(direction=data.get("direction") or Direction.INCOMING)
        if data.get("start"):
            entries = entries.filter(dated__gte=data["start"])
        if data.get("end"):
            entries = entries.filter(dated__lte=data["end"])
        if data.get("channel"):
            entries = entries.filter(channel=data["channel"])
        if data.get("queue"):
            entries = entries.filter(ticket__queue=data["queue"])
        if data.get("status"):
            entries = entries.filter(ticket__status=data["status"])
        text = (data.get("q") or "").strip()
        if text:
            entries = entries.filter(
                Q(number__iexact=text)
                | Q(party_name__icontains=text)
                | Q(party_organisation__icontains=text)
                | Q(their_reference__icontains=text)
            )
        return entries
