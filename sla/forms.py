"""The supervisors' forms for SLA policies and business calendars: real
fields (checkboxes, hours and minutes, percentages) instead of the raw JSON
and "04:00:00" durations of the admin. The forms only validate; saving goes
through the verbs in `sla.services`, as the admin's does."""

from __future__ import annotations

import re
from datetime import timedelta

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from customers.models import Customer, ServiceTier
from helpdesk.channels import Channel
from helpdesk.labels import localized_name
from helpdesk.numbers import whole_number
from sla.models import (
    BusinessCalendar,
    CalendarException,
    HijriRule,
    Holiday,
    SLAPolicy,
    Weekday,
    WorkingHours,
)
from tickets.models import Ticket

# Arabic-Indic and Eastern Arabic-Indic digits, as an Arabic keyboard types them.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# A target longer than this is a typo (a year of working hours is ~2,000).
MAX_TARGET_HOURS = 9999
TARGETS = ("first_response", "next_response", "resolution", "appeal_resolution")
# The week as the department reads it, Sunday first.
WEEK_ORDER = [6, 0, 1, 2, 3, 4, 5]


def weekday_choices():
    return [(day, Weekday(day).label) for day in WEEK_ORDER]


class HoursMinutesWidget(forms.MultiWidget):
    """Two number inputs, hours and minutes, read as one duration."""

    template_name = "sla/widgets/hours_minutes.html"

    def __init__(self, attrs=None):
        base = {"class": "form-control", "inputmode": "numeric", "min": "0"}
        super().__init__(
            [
                forms.NumberInput(
                    {**base, "max": str(MAX_TARGET_HOURS), "aria-label": _("hours")}
                ),
                forms.NumberInput({**base, "max": "59", "aria-label": _("minutes")}),
            ],
            attrs,
        )

    def decompress(self, value):
        if not value:
            return [None, None]
        minutes = int(value.total_seconds() // 60)
        return list(divmod(minutes, 60))


class HoursMinutesField(forms.MultiValueField):
    """A target as whole hours and minutes of (working) time; empty: no target."""

    widget = HoursMinutesWidget

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(
            fields=[
                # An empty part reads as 0: "4" hours and no minutes is 4:00.
                forms.IntegerField(
                    min_value=0, max_value=MAX_TARGET_HOURS, required=False
                ),
                forms.IntegerField(min_value=0, max_value=59, required=False),
            ],
            require_all_fields=False,
            **kwargs,
        )

    def clean(self, value):
        # Arabic digits are numbers too.
        if isinstance(value, list | tuple):
            value = [v.translate(_DIGITS) if isinstance(v, str) else v for v in value]
        return super().clean(value)

    def compress(self, data_list):
        if not data_list or all(v in (None, "") for v in data_list):
            return None
        hours, minutes = (v or 0 for v in data_list)
        duration = timedelta(hours=hours, minutes=minutes)
        if duration <= timedelta(0):
            raise forms.ValidationError(
                _("A target must be longer than zero; leave both empty for none.")
            )
        return duration


class ThresholdsField(forms.CharField):
    """Warning thresholds typed as "50, 75, 90": whole percentages 1-99."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(str(p) for p in value)
        return value

    def to_python(self, value):
        text = (value or "").translate(_DIGITS).replace("،", ",").replace("%", "")
        parts = [part for part in re.split(r"[,\s]+", text.strip()) if part]
        percents = []
        for part in parts:
            percent = whole_number(part, max_digits=2)
            if percent is None or percent == 0:
                raise forms.ValidationError(
                    _(
                        "“%(value)s” is not a whole percentage from 1 to 99. "
                        "Write them like 50, 75, 90."
                    ),
                    params={"value": part},
                    code="percent",
                )
            percents.append(percent)
        return sorted(set(percents))


class PolicyForm(forms.Form):
    """An SLA policy as a supervisor sets it; `apply` copies it onto a policy."""

    name = forms.CharField(label=_("Name"), max_length=120)
    name_ar = forms.CharField(label=_("Arabic name"), max_length=120, required=False)
    channels = forms.MultipleChoiceField(
        label=_("Channels"),
        choices=Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tiers = forms.ModelMultipleChoiceField(
        label=_("Service tiers"),
        queryset=ServiceTier.objects.order_by("-rank", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    customer_kinds = forms.MultipleChoiceField(
        label=_("Customer kinds"),
        choices=Customer.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    ticket_kinds = forms.MultipleChoiceField(
        label=_("Ticket kinds"),
        choices=Ticket.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    priorities = forms.TypedMultipleChoiceField(
        label=_("Priorities"),
        choices=Ticket.Priority.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    first_response = HoursMinutesField(label=_("First response within"))
    next_response = HoursMinutesField(label=_("Each later customer message within"))
    resolution = HoursMinutesField(label=_("Resolution within"))
    appeal_resolution = HoursMinutesField(
        label=_("An appealed complaint resolved within")
    )
    calendar = forms.ModelChoiceField(
        label=_("Business calendar"),
        queryset=BusinessCalendar.objects.order_by("name"),
        required=False,
        empty_label=_("None: round the clock"),
    )
    warning_thresholds = ThresholdsField(
        label=_("Warn at (percent of each target)"),
        help_text=_("Whole percentages from 1 to 99, e.g. 50, 75, 90. Empty: 75."),
    )
    order = forms.IntegerField(
        label=_("Order"),
        min_value=0,
        max_value=2_147_483_647,
        help_text=_(
            "Policies are tried from low to high; the first that matches wins."
        ),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False)

    def __init__(self, *args, instance: SLAPolicy | None = None, **kwargs):
        self.instance = instance or SLAPolicy()
        if instance is not None and instance.pk and "initial" not in kwargs:
            kwargs["initial"] = self._initial(instance)
        kwargs.setdefault("initial", {"order": 100, "is_active": True})
        super().__init__(*args, **kwargs)
        self.fields["tiers"].label_from_instance = localized_name
        self.fields["calendar"].label_from_instance = localized_name
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select"
            elif not isinstance(widget, HoursMinutesWidget):
                widget.attrs["class"] = "form-control"
        # Read left to right in Arabic too, like the numbers it holds.
        self.fields["warning_thresholds"].widget.attrs.update(
            {"inputmode": "numeric", "dir": "ltr"}
        )

    @staticmethod
    def _initial(policy: SLAPolicy) -> dict:
        initial = {
            field: getattr(policy, field)
            for field in (
                "name",
                "name_ar",
                "channels",
                "customer_kinds",
                "ticket_kinds",
                "order",
                "is_active",
                "warning_thresholds",
                "calendar",
                *TARGETS,
            )
        }
        initial["priorities"] = [int(p) for p in policy.priorities]
        initial["tiers"] = list(policy.tiers.all())
        return initial

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = SLAPolicy.objects.filter(name__iexact=name)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Another policy already has this name."))
        return name

    def clean(self):
        data = super().clean()
        targets = ("first_response", "next_response", "resolution")
        if not self.errors and not any(data.get(field) for field in targets):
            self.add_error(
                "first_response",
                _(
                    "Set at least one target: first response, later messages "
                    "or resolution."
                ),
            )
        return data

    def apply(self, policy: SLAPolicy | None = None) -> SLAPolicy:
        """`policy` (default: the form's) with the form's values, unsaved."""
        policy = policy or self.instance
        data = self.cleaned_data
        for field in (
            "name",
            "name_ar",
            "channels",
            "customer_kinds",
            "ticket_kinds",
            "priorities",
            "order",
            "is_active",
            "warning_thresholds",
            "calendar",
            *TARGETS,
        ):
            setattr(policy, field, data.get(field))
        return policy

    @property
    def tier_codes(self) -> list[str]:
        return [tier.code for tier in self.cleaned_data.get("tiers") or []]


# Calendars ------------------------------------------------------------------


class CalendarForm(forms.ModelForm):
    class Meta:
        model = BusinessCalendar
        fields = ["name", "timezone", "country"]
        widgets = {
            "name": forms.TextInput({"class": "form-control"}),
            "timezone": forms.TextInput(
                {"class": "form-control", "list": "time-zones", "dir": "ltr"}
            ),
            "country": forms.TextInput(
                {"class": "form-control", "maxlength": 2, "dir": "ltr"}
            ),
        }

    def clean_country(self):
        return self.cleaned_data["country"].strip().upper()


def _time_input():
    return forms.TimeInput({"class": "form-control", "type": "time"}, format="%H:%M")


def _date_input():
    return forms.DateInput({"class": "form-control", "type": "date"}, format="%Y-%m-%d")


class WeekdaysField(forms.TypedMultipleChoiceField):
    """Weekdays as checkboxes, stored as the model's list of 0 (Monday) to 6."""

    def __init__(self, **kwargs):
        super().__init__(
            choices=weekday_choices,
            coerce=int,
            required=False,
            widget=forms.CheckboxSelectMultiple({"class": "form-check-input"}),
            label=_("Weekdays"),
            help_text=_("None ticked: the usual working days."),
            **kwargs,
        )


# "from" alone is also a change's old value in the history: say it is a time.
TIME_LABELS = {
    "start": pgettext_lazy("time of day", "From"),
    "end": pgettext_lazy("time of day", "Until"),
    "start_time": pgettext_lazy("time of day", "From"),
    "end_time": pgettext_lazy("time of day", "Until"),
}


class WorkingHoursForm(forms.ModelForm):
    weekday = forms.TypedChoiceField(
        label=_("Weekday"),
        choices=weekday_choices,
        coerce=int,
        widget=forms.Select({"class": "form-select"}),
    )

    class Meta:
        model = WorkingHours
        fields = ["weekday", "start", "end"]
        widgets = {"start": _time_input(), "end": _time_input()}
        labels = TIME_LABELS

    def clean(self):
        data = super().clean()
        if data.get("start") is not None and data.get("start") == data.get("end"):
            self.add_error("end", _("The hours end when they start: give an end."))
        return data


class HolidayForm(forms.ModelForm):
    class Meta:
        model = Holiday
        fields = ["date", "name", "name_ar"]
        widgets = {
            "date": _date_input(),
            "name": forms.TextInput({"class": "form-control"}),
            "name_ar": forms.TextInput({"class": "form-control", "dir": "rtl"}),
        }


class ExceptionForm(forms.ModelForm):
    weekdays = WeekdaysField()

    class Meta:
        model = CalendarException
        fields = [
            "name",
            "kind",
            "start_date",
            "end_date",
            "weekdays",
            "start_time",
            "end_time",
        ]
        widgets = {
            "name": forms.TextInput({"class": "form-control"}),
            "kind": forms.Select({"class": "form-select"}),
            "start_date": _date_input(),
            "end_date": _date_input(),
            "start_time": _time_input(),
            "end_time": _time_input(),
        }
        labels = TIME_LABELS

    def clean(self):
        # The table's check constraints, as form errors rather than a 500.
        data = super().clean()
        first, last = data.get("start_date"), data.get("end_date")
        if first and last and last < first:
            self.add_error("end_date", _("The last date cannot come before the first."))
        if data.get("kind") and data["kind"] != CalendarException.Kind.CLOSED:
            for field in ("start_time", "end_time"):
                if data.get(field) is None and field not in self.errors:
                    self.add_error(field, _("Give the hours worked on these days."))
        return data


class HijriRuleForm(forms.ModelForm):
    weekdays = WeekdaysField()

    class Meta:
        model = HijriRule
        fields = [
            "name",
            "name_ar",
            "kind",
            "month",
            "first_day",
            "last_day",
            "weekdays",
            "start_time",
            "end_time",
        ]
        widgets = {
            "name": forms.TextInput({"class": "form-control"}),
            "name_ar": forms.TextInput({"class": "form-control", "dir": "rtl"}),
            "kind": forms.Select({"class": "form-select"}),
            "month": forms.Select({"class": "form-select"}),
            "first_day": forms.NumberInput({"class": "form-control", "min": 1}),
            "last_day": forms.NumberInput({"class": "form-control", "min": 1}),
            "start_time": _time_input(),
            "end_time": _time_input(),
        }
        labels = TIME_LABELS


class RowsFormSet(BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"


def _formset(model, form):
    return inlineformset_factory(
        BusinessCalendar,
        model,
        form=form,
        formset=RowsFormSet,
        extra=1,
        can_delete=True,
    )


CALENDAR_ROWS = {
    "hours": _formset(WorkingHours, WorkingHoursForm),
    "exceptions": _formset(CalendarException, ExceptionForm),
    "hijri_rules": _formset(HijriRule, HijriRuleForm),
    "holidays": _formset(Holiday, HolidayForm),
}
