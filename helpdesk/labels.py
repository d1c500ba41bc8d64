"""Names and labels in the reader's language, for pages and for code that
writes sentences (the SLA explanations)."""

from django import forms
from django.utils.translation import get_language


def localized_name(obj) -> str:
    """`name_ar` when the page is in Arabic and the object has one, else `name`."""
    if obj is None:
        return ""
    if get_language() == "ar" and getattr(obj, "name_ar", ""):
        return obj.name_ar
    return obj.name


def choice_label(choices, value):
    """The label of `value` among `choices`, or the value itself when unknown."""
    try:
        return choices(value).label
    except ValueError:
        return value


def person_name(user) -> str:
    """How a person is shown to others: the full name, else the login name.

    Login names (`agent1`) are for signing in; every page, export and
    notification that shows who did something uses this instead."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


class PersonChoiceField(forms.ModelChoiceField):
    """A choice of people labelled by their display name."""

    def label_from_instance(self, obj):
        return person_name(obj)


class LocalizedChoiceField(forms.ModelChoiceField):
    """A choice of named records (queues, categories, tiers, calendars) labelled
    in the page's language."""

    def label_from_instance(self, obj):
        return localized_name(obj)


class LocalizedMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return localized_name(obj)
