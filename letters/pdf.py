"""STUB: a letter as an A4 page (HTML) and as a PDF. The pdf branch replaces
this module with the real letterhead; the interface stays the same."""

import datetime
from dataclasses import dataclass

import weasyprint
from django.utils.html import escape, linebreaks


@dataclass(frozen=True)
class LetterPage:
    language: str
    subject: str
    body: str
    dated: datetime.date
    addressee_name: str
    addressee_organisation: str = ""
    addressee_address: str = ""
    outgoing_number: str = ""
    ticket_number: str = ""
    their_reference: str = ""
    signatory_name: str = ""
    signatory_title: str = ""
    draft: bool = False
    show_hijri: bool = True


def letter_html(page: LetterPage) -> str:
    """The full HTML document of the letter's A4 page."""
    direction = "rtl" if page.language == "ar" else "ltr"
    number = escape(page.outgoing_number)
    return (
        f'<!DOCTYPE html><html lang="{page.language}" dir="{direction}">'
        '<head><meta charset="utf-8"><style>@page { size: A4; margin: 2cm }'
        "body { font-family: 'Amiri', 'DejaVu Sans', serif }</style></head><body>"
        f"{'<p><strong>DRAFT</strong></p>' if page.draft else ''}"
        f"<p>{number}</p><p>{page.dated.isoformat()}</p>"
        f"<p>{escape(page.addressee_name)}<br>{escape(page.addressee_organisation)}"
        f"</p><h1>{escape(page.subject)}</h1>{linebreaks(page.body, autoescape=True)}"
        f"<p>{escape(page.signatory_name)}<br>{escape(page.signatory_title)}</p>"
        "</body></html>"
    )


def letter_pdf(page: LetterPage) -> bytes:
    """The letter as a PDF, rendered by WeasyPrint."""
    return weasyprint.HTML(string=letter_html(page)).write_pdf()
