"""Dates as each person wants them: Gregorian, and the Hijri date beside it
for those who show Hijri dates (customers.preferences)."""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import get_language_bidi

from customers.preferences import HijriDates, shows_hijri
from helpdesk.hijri import hijri_label

register = template.Library()


def _viewer_shows_hijri(context) -> bool:
    request = context.get("request")
    if request is None:
        return False
    return shows_hijri(
        getattr(request, "user", None), getattr(request, "session", None)
    )


@register.simple_tag(takes_context=True)
def dual_date(context, value, fmt="SHORT_DATE_FORMAT"):
    """`value` in `fmt` (a format name or string, as for `date`), with e.g.
    "(16 جمادى الآخرة 1448هـ)" beside it for people who show Hijri dates;
    isolated (<bdi>) so right-to-left pages keep the order; "—" for no date."""
    if value in (None, ""):
        return "—"
    if isinstance(value, datetime) and timezone.is_aware(value):
        # The viewer's day: the same one the Gregorian date shows.
        value = timezone.localtime(value)
    shown = format_html(
        '<time datetime="{}">{}</time>', value.isoformat(), date_format(value, fmt)
    )
    label = hijri_label(value) if _viewer_shows_hijri(context) else ""
    if label:
        shown = format_html(
            '{} <span class="hijri text-body-secondary" data-testid="hijri">'
            "(<bdi>{}</bdi>)</span>",
            shown,
            label,
        )
    # Isolated from the text around it, in the page's direction: the
    # Gregorian date is read first, in Arabic too.
    direction = "rtl" if get_language_bidi() else "ltr"
    return format_html('<bdi class="dual-date" dir="{}">{}</bdi>', direction, shown)


@register.inclusion_tag("customers/_hijri_toggle.html", takes_context=True)
def hijri_toggle(context):
    """A button that shows or hides Hijri dates on the customer's pages."""
    request = context.get("request")
    showing = _viewer_shows_hijri(context)
    return {
        "showing": showing,
        "choice": HijriDates.NO if showing else HijriDates.YES,
        "next": request.get_full_path() if request is not None else "/",
        "csrf_token": context.get("csrf_token"),
    }
