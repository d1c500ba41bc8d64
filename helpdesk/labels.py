"""Names and labels in the reader's language, for pages and for code that
writes sentences (the SLA explanations)."""

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
