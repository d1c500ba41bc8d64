"""Form fields in Bootstrap 5's markup, without crispy-forms.

crispy-forms renders each field through a dozen templates; on the ticket page,
with about forty fields, that was a third of the page's CPU time (measured
with bench/ticket_page_bench.py). This writes the same markup (label, widget,
help, errors) in one pass:

    {% load form_fields %}{% field form.body_text %}
    {% field form.channel wrapper="mb-2" %}
"""

from django import forms, template
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

REQUIRED = mark_safe('<span class="asteriskField">*</span>')


def _widget_class(widget) -> str:
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


def _described_by(bound) -> list[str]:
    ids = []
    if bound.help_text:
        ids.append(f"{bound.auto_id}_helptext")
    if bound.errors:
        ids.append(f"{bound.auto_id}_error")
    return ids


@register.simple_tag
def widget(bound):
    """`bound`'s widget alone, with Bootstrap's class, marked invalid when its
    value was refused, and pointing at its help and errors."""
    css = [bound.field.widget.attrs.get("class", ""), _widget_class(bound.field.widget)]
    attrs = {}
    if bound.errors:
        css.append("is-invalid")
        attrs["aria-invalid"] = "true"
    attrs["class"] = " ".join(c for c in css if c)
    if described := _described_by(bound):
        attrs["aria-describedby"] = " ".join(described)
    return _render_widget(bound, attrs)


# Django's own widget templates, for which _render_widget writes the same
# HTML directly: through the template engine, one select of a dozen options
# costs a dozen template renders, and the ticket page has forty fields.
INPUTS = {
    f"django/forms/widgets/{name}.html"
    for name in [
        *("input", "checkbox", "date", "datetime", "email", "file", "hidden"),
        *("number", "password", "search", "tel", "text", "time", "url"),
    ]
}
SELECT = "django/forms/widgets/select.html"
TEXTAREA = "django/forms/widgets/textarea.html"
CLEARABLE_FILE = "django/forms/widgets/clearable_file_input.html"


def _attrs(attrs: dict) -> str:
    """HTML attributes as Django's widgets/attrs.html writes them."""
    return mark_safe(
        "".join(
            f" {name}" if value is True else f' {name}="{conditional_escape(value)}"'
            for name, value in attrs.items()
            if value is not False and value is not None
        )
    )


def _render_widget(bound, attrs: dict) -> str:
    """What `bound.as_widget(attrs=attrs)` returns, for the common widgets
    without the template engine; any other widget through it."""
    widget = bound.field.widget
    name = widget.template_name
    if name == CLEARABLE_FILE and not bound.value():
        name = "django/forms/widgets/file.html"
    if name not in INPUTS and name not in (SELECT, TEXTAREA):
        return bound.as_widget(attrs=attrs)
    if bound.field.localize:
        widget.is_localized = True
    attrs = bound.build_widget_attrs(attrs, widget)
    if bound.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound.auto_id)
    context = widget.get_context(bound.html_name, bound.value(), attrs)["widget"]
    if name == TEXTAREA:
        return format_html(
            '<textarea name="{}"{}>\n{}</textarea>',
            context["name"],
            _attrs(context["attrs"]),
            context["value"] or "",
        )
    if name == SELECT:
        return format_html(
            '<select name="{}"{}>{}</select>',
            context["name"],
            _attrs(context["attrs"]),
            mark_safe("".join(_optgroup(*group) for group in context["optgroups"])),
        )
    value = context["value"]
    return format_html(
        '<input type="{}" name="{}"{}{}>',
        context["type"],
        context["name"],
        "" if value is None else format_html(' value="{}"', value),
        _attrs(context["attrs"]),
    )


def _optgroup(label, options, index) -> str:
    html = "".join(
        f'<option value="{conditional_escape(option["value"])}"'
        f"{_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>"
        for option in options
    )
    if label:
        return f'<optgroup label="{conditional_escape(label)}">{html}</optgroup>'
    return html


@register.simple_tag
def field(bound, wrapper="mb-3"):
    """`bound` with its label, widget, errors and help text."""
    if bound.field.widget.is_hidden:
        return _render_widget(bound, {})
    checkbox = isinstance(bound.field.widget, forms.CheckboxInput)
    caption = ""
    if bound.label:
        caption = format_html(
            '<label for="{}" class="{}">{}{}</label>',
            bound.id_for_label,
            "form-check-label" if checkbox else "form-label",
            bound.label,
            REQUIRED if bound.field.required else "",
        )
    errors = ""
    if bound.errors:
        errors = format_html(
            '<div id="{}_error" class="invalid-feedback">{}</div>',
            bound.auto_id,
            format_html_join(mark_safe("<br>"), "{}", ((e,) for e in bound.errors)),
        )
    help_text = ""
    if bound.help_text:
        help_text = format_html(
            '<div id="{}_helptext" class="form-text">{}</div>',
            bound.auto_id,
            bound.help_text,
        )
    parts = (widget(bound), caption) if checkbox else (caption, widget(bound))
    return format_html(
        '<div class="{}">{}{}{}{}</div>',
        f"{wrapper} form-check" if checkbox else wrapper,
        *parts,
        errors,
        help_text,
    )


@register.simple_tag
def non_field_errors(form):
    """The errors of `form` as a whole, as an alert read out when it appears."""
    errors = form.non_field_errors()
    if not errors:
        return ""
    return format_html(
        '<div class="alert alert-danger" role="alert">{}</div>',
        format_html_join(mark_safe("<br>"), "{}", ((e,) for e in errors)),
    )


@register.simple_tag
def fields(form, wrapper="mb-3"):
    """Every field of `form` in order, hidden ones included."""
    return mark_safe("".join(field(bound, wrapper) for bound in form))
