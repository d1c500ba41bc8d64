from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PolicyVersion

RESERVED_SLUGS = frozenset({"new", "acknowledge"})


class VersionForm(forms.ModelForm):
    """A policy's wording in both languages, and what changed."""

    class Meta:
        model = PolicyVersion
        fields = [
            "title",
            "title_ar",
            "body",
            "body_ar",
            "change_summary",
            "change_summary_ar",
        ]
        widgets = {
            "title_ar": forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
            "body": forms.Textarea(attrs={"rows": 10, "dir": "ltr", "lang": "en"}),
            "body_ar": forms.Textarea(attrs={"rows": 10, "dir": "rtl", "lang": "ar"}),
            "change_summary": forms.Textarea(attrs={"rows": 2, "dir": "ltr"}),
            "change_summary_ar": forms.Textarea(attrs={"rows": 2, "dir": "rtl"}),
        }
        help_texts = {
            "body": _("Plain text; a blank line starts a new paragraph."),
            "change_summary": _("Shown to staff when they acknowledge it."),
        }


class NewPolicyForm(VersionForm):
    slug = forms.SlugField(
        label=_("Short name"),
        max_length=60,
        help_text=_("Latin letters, digits and hyphens, e.g. response-times."),
    )

    class Meta(VersionForm.Meta):
        fields = ["slug", *VersionForm.Meta.fields]

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        # The policies' pages of their own (policies.urls) take these names.
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(
                _("This short name is taken by a page: choose another.")
            )
        return slug


class AcknowledgeForm(forms.Form):
    """ "I have read and understood", for the versions the page showed."""

    versions = forms.ModelMultipleChoiceField(
        queryset=PolicyVersion.objects.filter(published_at__isnull=False),
        widget=forms.MultipleHiddenInput,
    )
    understood = forms.BooleanField(
        label=_("I have read and understood these policies."),
        error_messages={"required": _("Tick the box to confirm you have read them.")},
    )


class ReviewForm(forms.Form):
    """Which text a supervisor has read against the policy in force."""

    kind = forms.ChoiceField(choices=[("canned", "canned"), ("letter", "letter")])
    pk = forms.IntegerField(min_value=1)
