"""Form fields in Bootstrap's markup without crispy-forms: the widgets are
Django's own HTML, and each field says which help and errors describe it."""

import re

import pytest
from django import forms

from tickets.forms import LogContactForm, NoteForm
from tickets.templatetags.form_fields import _render_widget, field, widget


class Everything(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"dir": "auto"}))
    choice = forms.ChoiceField(
        choices=[("1", "One"), ("Group", [("2", "Two"), ("3", "<b>Three</b>")])]
    )
    several = forms.MultipleChoiceField(choices=[("1", "x"), ("2", "y")])
    agreed = forms.BooleanField(required=False, help_text="Tick it & go.")
    when = forms.DateTimeField(
        required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    count = forms.IntegerField(min_value=0, max_value=5)
    files = forms.FileField(required=False)


def same_html(html):
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", str(html))).strip()


@pytest.mark.parametrize(
    "form",
    [
        Everything(initial={"text": 'a "quote" <tag>', "choice": "3", "agreed": True}),
        Everything({"text": "", "choice": "9", "several": ["2"], "count": "z"}),
        LogContactForm(),
        NoteForm(),
    ],
    ids=["initial", "refused", "log contact", "note"],
)
def test_widgets_are_written_as_djangos_own_templates_write_them(form):
    for bound in form:
        attrs = {"class": "form-control", "aria-describedby": "x"}

        fast = _render_widget(bound, dict(attrs))

        assert same_html(fast) == same_html(bound.as_widget(attrs=dict(attrs)))


def test_a_refused_field_is_marked_and_points_at_its_error():
    form = Everything({"count": "9"})

    html = field(form["count"])

    assert 'class="form-control is-invalid"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_count_error"' in html
    assert re.search(r'<div id="id_count_error" class="invalid-feedback">[^<]*5', html)
    assert '<label for="id_count" class="form-label">Count<span' in html


def test_a_checkbox_sits_before_its_label_with_its_help():
    html = field(Everything()["agreed"])

    assert html.startswith('<div class="mb-3 form-check"><input type="checkbox"')
    assert 'class="form-check-input"' in html
    assert 'aria-describedby="id_agreed_helptext"' in html
    assert "Tick it &amp; go." in html


def test_selects_get_bootstraps_select_class():
    assert 'class="form-select"' in widget(Everything()["choice"])
