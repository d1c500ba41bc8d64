"""Letter templates in the admin, for supervisors: the text with its
placeholders checked on save, and a preview filled with sample values."""

from django.contrib import admin
from django.utils.html import format_html, format_html_join, linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from . import placeholders
from .models import LetterTemplate


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "language", "needs_approval", "is_active",
                    "updated_at", "updated_by"]  # fmt: skip
    list_filter = ["kind", "language", "is_active"]
    search_fields = ["title", "body"]
    readonly_fields = ["vocabulary", "preview", "updated_by", "updated_at"]
    fields = ["kind", "language", "title", "body", "vocabulary", "needs_approval",
              "is_active", "preview", "updated_by", "updated_at"]  # fmt: skip

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if "kind" in initial:
            initial["needs_approval"] = LetterTemplate.approval_by_default(
                initial["kind"]
            )
        return initial

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("placeholders"))
    def vocabulary(self, obj):
        return format_html(
            "<dl>{}</dl>",
            format_html_join(
                "",
                "<dt><code>{{{{ {} }}}}</code></dt><dd>{}</dd>",
                placeholders.VOCABULARY.items(),
            ),
        )

    @admin.display(description=_("preview with sample values"))
    def preview(self, obj):
        if obj is None or not obj.pk:
            return _("Save the template to see it filled with sample values.")
        filled = obj.render(placeholders.sample_context(obj.language))
        direction = "rtl" if obj.language == "ar" else "ltr"
        return format_html(
            '<div dir="{}" lang="{}" class="letter-preview">'
            "<p><strong>{}</strong></p>{}</div>",
            direction,
            obj.language,
            obj.title,
            # linebreaks escaped the text before adding its paragraphs.
            mark_safe(linebreaks(filled, autoescape=True)),  # noqa: S308
        )
