"""Forms customers fill in: the web form, replies, ratings, the sign-in link.

Validation only; the views hand the cleaned data to tickets.services.
"""

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from customers.models import Customer
from portal.services import new_form_token
from tickets.models import Category, Ticket
from tickets.services.complaints import APPEAL_REASON_MAX
from tickets.uploads import allowed_types_text, check_uploads, human_size


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files in one input, checked by count, size and content."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Attachments"))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            files = [single(f, initial) for f in data if f]
        else:
            files = [single(data, initial)] if data else []
        return check_uploads(files)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs["aria-describedby"] = "id_attachments_helptext"
        return attrs


def attachments_help() -> str:
    return _("Up to %(count)d files, %(size)s each: %(types)s.") % {
        "count": settings.ATTACHMENT_MAX_COUNT,
        "size": human_size(settings.ATTACHMENT_MAX_BYTES),
        "types": allowed_types_text(),
    }


class SupportRequestForm(forms.Form):
    """The public web form. Nothing here sets priority, queue, assignee, due
    times or the received date: those are the department's to decide."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("We send the acknowledgement and our answers here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone (optional)"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    language = forms.ChoiceField(
        label=_("Language for our answers"), choices=Customer.Language.choices
    )
    kind = forms.ChoiceField(
        label=_("What is it?"),
        choices=Ticket.Kind.choices,
        initial=Ticket.Kind.INQUIRY,
    )
    category = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("Not sure"),
    )
    subject = forms.CharField(label=_("Subject"), max_length=250)
    message = forms.CharField(
        label=_("Your message"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    attachments = AttachmentsField()
    # The form's one-time token: a double click sends it twice, and the
    # second request gets the first one's ticket (portal/services.py).
    form_token = forms.CharField(
        required=False, max_length=64, widget=forms.HiddenInput
    )
    # A field people never see: bots that fill every input give themselves away.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(is_active=True)
        self.fields["category"].label_from_instance = _category_label
        self.fields["attachments"].help_text = attachments_help()
        if not self.is_bound:
            self.fields["form_token"].initial = new_form_token()
            language = (get_language() or "").split("-")[0]
            if language in Customer.Language.values:
                self.fields["language"].initial = language

    def clean_email(self):
        return self.cleaned_data["email"].strip()

    def clean_subject(self):
        subject = " ".join(self.cleaned_data["subject"].split())
        if not subject:
            raise forms.ValidationError(_("Please write a subject."))
        return subject

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if len(message) < 10:
            raise forms.ValidationError(
                _("Please tell us a little more (at least 10 characters).")
            )
        return message

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise forms.ValidationError(
                _("Your request could not be sent. Please try again.")
            )
        return ""


def _category_label(category: Category) -> str:
    if get_language() == "ar" and category.name_ar:
        return category.name_ar
    return category.name


class ReplyForm(forms.Form):
    """The customer writes again on their request."""

    message = forms.CharField(
        label=_("Your reply"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Please write your reply.")},
    )
    attachments = AttachmentsField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = attachments_help()


class RatingForm(forms.Form):
    """How the customer rates the service, after resolution."""

    # From 1 to 5, the order people count stars in (right to left in Arabic).
    SCORES = [
        (1, _("Very poor")),
        (2, _("Poor")),
        (3, _("Fair")),
        (4, _("Good")),
        (5, _("Excellent")),
    ]

    score = forms.TypedChoiceField(
        label=_("Your rating (5 is best)"),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "rating-input"}),
        error_messages={"required": _("Please choose from 1 to 5 stars.")},
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AppealForm(forms.Form):
    """The customer does not accept the resolution of their complaint."""

    reason = forms.CharField(
        label=_("Why do you not accept the resolution?"),
        min_length=10,
        max_length=APPEAL_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Please give the reason for your appeal."),
            "min_length": _("Please tell us a little more (at least 10 characters)."),
        },
        help_text=_("A supervisor reviews your complaint again."),
    )

    def clean_reason(self):
        return self.cleaned_data["reason"].strip()


class SignInLinkForm(forms.Form):
    """Ask for a sign-in link to the portal by email."""

    email = forms.EmailField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip()
