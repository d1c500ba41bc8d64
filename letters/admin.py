"""Letter templates in the admin, for supervisors: the text with its
placeholders checked on save, and a preview filled with sample values, also
as the A4 PDF a letter from it would be."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join, linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from . import placeholders
from .models import LetterTemplate
from .pdf import LetterPage, letter_pdf


def sample_letter(template: LetterTemplate) -> LetterPage:
    """A draft letter from `template`, filled with the sample values."""
    context = placeholders.sample_context(template.language)
    return LetterPage(
        language=template.language,
        subject=template.title,
        body=template.render(context),
        dated=context["today"],
        addressee_name=context["customer_name"],
        ticket_number=context["ticket_number"],
        draft=True,
    )


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "language", "needs_approval", "is_active",
                    "policy", "policy_review_needed", "updated_at",
                    "updated_by"]  # fmt: skip
    list_filter = ["kind", "language", "is_active", "policy_review_needed"]
    search_fields = ["title", "body"]
    # Marked reviewed on the policy's page (policies.services.mark_reviewed).
    readonly_fields = ["vocabulary", "preview", "policy_review_needed", "updated_by",
                       "updated_at"]  # fmt: skip
    list_select_related = ["policy__current_version"]
    fields = ["kind", "language", "title", "body", "vocabulary", "needs_approval",
              "is_active", "policy", "policy_review_needed", "preview", "updated_by",
              "updated_at"]  # fmt: skip

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if "kind" in initial:
            initial["needs_approval"] = LetterTemplate.approval_by_default(
                initial["kind"]
            )
        return initial

    def get_urls(self):
        sample = path(
            "<path:object_id>/pdf/",
            self.admin_site.admin_view(self.sample_pdf),
            name="letters_lettertemplate_pdf",
        )
        return [sample, *super().get_urls()]

    def sample_pdf(self, request, object_id):
        """The template filled with sample values, as an A4 PDF."""
        template = self.get_object(request, unquote(object_id))
        if template is None:
            raise Http404
        if not self.has_view_permission(request, template):
            raise PermissionDenied
        return HttpResponse(
            letter_pdf(sample_letter(template)),
            content_type="application/pdf",
            headers={
                "Content-Disposition": (
                    f'inline; filename="sample-{template.kind}-{template.language}.pdf"'
                )
            },
        )

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
            "<p><strong>{}</strong></p>{}</div>"
            '<p><a href="{}" target="_blank">{}</a></p>',
            direction,
            obj.language,
            obj.title,
            # linebreaks escaped the text before adding its paragraphs.
            mark_safe(linebreaks(filled, autoescape=True)),  # noqa: S308
            reverse("admin:letters_lettertemplate_pdf", args=[obj.pk]),
            _("See a sample as an A4 PDF"),
        )
