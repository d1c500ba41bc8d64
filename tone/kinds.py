"""The kinds of finding the tone assistant reports, and why each matters.

Messages are lazy: they are read in the language active when a finding is
shown, which is the agent's, whatever the language of the text checked.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

NEGATIVE = "negative"
REFUSAL = "refusal"
PROMISE = "promise"
VAGUE_TIME = "vague_time"
JARGON = "jargon"
LONG_SENTENCE = "long_sentence"
GREETING = "greeting"
CLOSING = "closing"

# In the order the findings list shows them.
KINDS = (
    NEGATIVE,
    REFUSAL,
    PROMISE,
    VAGUE_TIME,
    JARGON,
    LONG_SENTENCE,
    GREETING,
    CLOSING,
)

LABELS = {
    NEGATIVE: pgettext_lazy("tone kind", "Blaming or negative"),
    REFUSAL: pgettext_lazy("tone kind", "Refusal without a way forward"),
    PROMISE: pgettext_lazy("tone kind", "Promise without a date"),
    VAGUE_TIME: pgettext_lazy("tone kind", "Vague time"),
    JARGON: pgettext_lazy("tone kind", "Jargon or internal code"),
    LONG_SENTENCE: pgettext_lazy("tone kind", "Long sentence"),
    GREETING: pgettext_lazy("tone kind", "Missing greeting"),
    CLOSING: pgettext_lazy("tone kind", "Missing closing"),
}

MESSAGES = {
    NEGATIVE: _(
        "This reads as blaming or negative: say what happened and what you "
        "can do, not what the customer did wrong."
    ),
    REFUSAL: _(
        "A refusal with no reason and no next step: say why, and what the "
        "customer can do instead."
    ),
    PROMISE: _(
        "A promise with no date: tell the customer when to expect it, so they "
        "can hold you to it."
    ),
    VAGUE_TIME: _("A vague time: give a day or an hour the customer can hold you to."),
    JARGON: _(
        "An internal term or code the customer may not know: say it in plain words."
    ),
    LONG_SENTENCE: _("A long sentence: split it so it reads at a glance."),
    GREETING: _("The letter has no greeting: open by addressing the customer."),
    CLOSING: _("The letter has no closing: end it courteously, with your name."),
}

PAST_PROMISE = _(
    "This promise names a date that has already passed: give a new date, and "
    "say sorry for the delay."
)
