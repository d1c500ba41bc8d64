"""`{% link 'name' %}`: `{% url 'name' %}` for an address without
arguments, reversed once per process (and script prefix) instead of on every
page. The navigation bar alone names twenty-seven of them; reversing each on
every page was a few per cent of a queue page's time."""

from functools import lru_cache

from django import template
from django.urls import get_script_prefix, reverse

register = template.Library()


@lru_cache(maxsize=256)
def _reversed(name: str, prefix: str) -> str:
    return reverse(name)


@register.simple_tag
def link(name: str) -> str:
    """The address of the URL pattern `name`, which takes no arguments."""
    return _reversed(name, get_script_prefix())
