"""Forms of the knowledge base: validation only; services.py does the work."""

from django import forms
from django.utils.translation import gettext_lazy as _

from helpdesk.labels import LocalizedChoiceField
from tickets.forms import MultipleFileField
from tickets.uploads import check_uploads

from .models import Article, ArticleCategory

# What a search box or the web form's suggestion reads of what was typed.
MAX_QUERY = 200
MAX_SUGGEST_TEXT = 2000


class ArticleForm(forms.Form):
    """Writing or editing an article. On an edit, saying what changed is
    required: it is the version's note in the history."""

    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=300,
        required=False,
        help_text=_("One sentence shown in lists and suggestions."),
    )
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "A blank line starts a paragraph; “## ” starts a heading, “- ” a "
            "bullet and “1. ” a numbered step. Links become links."
        ),
    )
    language = forms.ChoiceField(label=_("Language"), choices=Article.Language.choices)
    category = LocalizedChoiceField(
        label=_("Category"), queryset=ArticleCategory.objects.all()
    )
    visibility = forms.ChoiceField(
        label=_("Who can read it"), choices=Article.Visibility.choices
    )
    translation_of = forms.ModelChoiceField(
        label=_("Translation of"),
        queryset=Article.objects.filter(archived_at=None).order_by("title"),
        required=False,
        help_text=_("The same article in the other language, if there is one."),
    )
    review_by = forms.DateField(
        label=_("Review by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("After this date the article is listed as needing a check."),
    )
    note = forms.CharField(label=_("What changed"), max_length=300, required=False)
    files = MultipleFileField(label=_("Files"))
    ask_review = forms.BooleanField(
        label=_("Ask a supervisor to publish this version"), required=False
    )
    publish = forms.BooleanField(label=_("Publish this version now"), required=False)

    def __init__(self, *args, editing: bool = False, may_publish: bool = False, **kw):
        super().__init__(*args, **kw)
        self.editing = editing
        if editing:
            self.fields["note"].required = True
        if may_publish:
            del self.fields["ask_review"]
        else:
            del self.fields["publish"]

    def clean_files(self):
        return check_uploads(self.cleaned_data["files"])

    def clean(self):
        cleaned = super().clean()
        original = cleaned.get("translation_of")
        if original is not None and original.language == cleaned.get("language"):
            self.add_error(
                "translation_of", _("A translation is in the other language.")
            )
        return cleaned


class FeedbackForm(forms.Form):
    helpful = forms.TypedChoiceField(
        label=_("Was this article helpful?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
    )
    comment = forms.CharField(
        label=_("What was missing or unclear? (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SuggestForm(forms.Form):
    """What the web form sends while the customer types."""

    subject = forms.CharField(max_length=MAX_QUERY, required=False)
    message = forms.CharField(max_length=MAX_SUGGEST_TEXT, required=False)


class SearchForm(forms.Form):
    q = forms.CharField(max_length=MAX_QUERY, required=False)
    category = forms.SlugField(required=False)
