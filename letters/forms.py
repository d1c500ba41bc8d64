"""The forms of a letter's life: start one, edit it, decide on it, send it,
and note its delivery."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tickets.uploads import check_uploads

from .models import Letter, LetterTemplate, Method


class NewLetterForm(forms.Form):
    """The kind of letter and its language; the active template of that kind
    and language is the letter's start. Prefixed, as the ticket page's other
    forms have a `kind` of their own."""

    prefix = "letter"
    kind = forms.ChoiceField(label=_("Letter"), choices=LetterTemplate.Kind.choices)
    language = forms.ChoiceField(
        label=_("Language"), choices=LetterTemplate.Language.choices
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        template = LetterTemplate.objects.filter(
            is_active=True, kind=data["kind"], language=data["language"]
        ).first()
        if template is None:
            raise forms.ValidationError(
                _("There is no active template of this kind in this language."),
                code="no_template",
            )
        data["template"] = template
        return data


class LetterForm(forms.ModelForm):
    """The writer's text and the address the letter goes to."""

    class Meta:
        model = Letter
        fields = [
            "subject",
            "body",
            "addressee_name",
            "addressee_organisation",
            "addressee_address",
        ]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 18}),
            "addressee_address": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        direction = "rtl" if self.instance.language == "ar" else "ltr"
        for name in ("subject", "body", "addressee_name", "addressee_organisation",
                     "addressee_address"):  # fmt: skip
            self.fields[name].widget.attrs["dir"] = direction


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What should change"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class DispatchForm(forms.Form):
    method = forms.ChoiceField(label=_("Send by"), choices=Method.choices)


class DeliveryForm(forms.Form):
    delivered_at = forms.DateTimeField(
        label=_("Delivered on"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    proof = forms.CharField(
        label=_("Proof of delivery"),
        max_length=250,
        help_text=_("A tracking number, a fax report, or who signed for it."),
    )
    scan = forms.FileField(label=_("Scanned receipt"), required=False)

    def clean_delivered_at(self):
        value = self.cleaned_data["delivered_at"]
        if value > timezone.now():
            raise forms.ValidationError(_("The delivery cannot be in the future."))
        return value

    def clean_scan(self):
        scan = self.cleaned_data.get("scan")
        return check_uploads([scan])[0] if scan else None
