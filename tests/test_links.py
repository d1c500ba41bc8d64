import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, set_script_prefix

LINKS = "{% load links %}{% link 'tickets:list' %} {% link 'home' %}"
URLS = "{% url 'tickets:list' %} {% url 'home' %}"


def render(text: str) -> str:
    return Template(text).render(Context())


def test_a_link_is_the_address_url_gives():
    assert render(LINKS) == render(URLS) == "/agent/ /"


def test_a_link_follows_the_script_prefix_it_is_served_under():
    try:
        set_script_prefix("/helpdesk/")
        under_prefix = render(LINKS)
    finally:
        set_script_prefix("/")

    assert under_prefix == "/helpdesk/agent/ /helpdesk/"
    assert render(LINKS) == "/agent/ /"


def test_an_unknown_name_fails_as_url_does():
    with pytest.raises(NoReverseMatch):
        render("{% load links %}{% link 'no-such-page' %}")
