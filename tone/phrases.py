"""The supervisors' phrase bank, read once and kept in the reference cache."""

from helpdesk.reference import cached

from .bank import PhraseBank
from .models import Phrase


def phrase_bank() -> PhraseBank:
    """The current phrase bank, for the checks."""
    return cached("tone-phrases", _load)


def _load() -> PhraseBank:
    rows = Phrase.objects.values_list("language", "kind", "trigger", "text")
    return PhraseBank(list(rows))
