from django import forms
from django.utils.translation import gettext_lazy as _

from .engine import CONTEXTS
from .models import Phrase

# A long letter is a few thousand characters; a check is for what is typed.
MAX_TEXT = 20000


class CheckForm(forms.Form):
    """What a composer sends: the text, its language, and what it is."""

    text = forms.CharField(max_length=MAX_TEXT, required=False, strip=False)
    language = forms.ChoiceField(
        choices=[("auto", "auto"), ("ar", "ar"), ("en", "en")], required=False
    )
    context = forms.ChoiceField(choices=[(c, c) for c in CONTEXTS], required=False)


class PhraseForm(forms.ModelForm):
    class Meta:
        model = Phrase
        fields = ["language", "kind", "trigger", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2, "dir": "auto"})}
        help_texts = {
            "text": _(
                "Write [brackets] around what the agent must fill in, and {} "
                "where the flagged words go (e.g. “by [date], {}”)."
            )
        }
