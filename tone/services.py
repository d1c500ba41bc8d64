"""Changes to the phrase bank, and a check with it as the composers ask."""

from datetime import date

from django.contrib.auth.models import AbstractBaseUser

from .engine import Finding, check
from .models import Phrase
from .phrases import phrase_bank


def save_phrase(phrase: Phrase, *, by: AbstractBaseUser) -> Phrase:
    """Save a new or edited phrase, noting who changed it."""
    phrase.updated_by = by
    phrase.save()
    return phrase


def delete_phrase(phrase: Phrase) -> None:
    """Take a phrase out of the bank."""
    phrase.delete()


def check_text(text: str, *, language: str, context: str, today: date) -> list[Finding]:
    """The findings in `text`, with suggestions from the supervisors' bank."""
    return check(
        text, language=language, context=context, today=today, bank=phrase_bank()
    )
