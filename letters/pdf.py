"""A letter as an A4 page with the department's letterhead: HTML for the
preview in the browser, and the same page as PDF (WeasyPrint, with Pango
shaping the Arabic and laying out the bidirectional text).

The letter's own language decides the direction, the fonts, the labels and
the date formats, whatever language the person writing it reads the site in.
The body is the agent's plain text: it is escaped, never run as HTML. A PDF
reads nothing but the fonts installed on the system and the letterhead logo
under static/ (`static_only_fetcher`): no network, no other file.
"""

import datetime
import functools
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from .placeholders import gregorian_date, hijri_date


@dataclass(frozen=True)
class LetterPage:
    """Everything printed on a letter, already decided: the letters workflow
    fills it in, this module only lays it out."""

    language: str  # "ar" or "en": direction, fonts, labels, date formats
    subject: str
    body: str  # plain text as the agent wrote it; blank lines separate paragraphs
    dated: datetime.date  # the letter's date (dispatch day, or today for a draft)
    addressee_name: str
    addressee_organisation: str = ""
    addressee_address: str = ""  # multi-line
    outgoing_number: str = ""  # e.g. "OUT-2026-000123"; empty on a draft
    ticket_number: str = ""  # "our reference"
    their_reference: str = ""  # the customer's own reference, if any
    signatory_name: str = ""
    signatory_title: str = ""
    draft: bool = False  # a visible "DRAFT"/"مسودة" mark on previews before dispatch
    show_hijri: bool = True  # Umm al-Qura date beside the Gregorian one

    @property
    def direction(self) -> str:
        return "rtl" if self.language == "ar" else "ltr"


# Runs of the other script inside a line. Left alone, the Unicode bidi
# algorithm lets the hyphens of "HD-2026-000123" or a date's dashes take the
# direction of the Arabic around them and prints "000123-2026-HD" or
# "07-12-2026"; set apart in an isolate (<bdi>), each run keeps its own order.
# A Latin run: words, numbers, references, emails and dates, with the spaces
# between them, and a leading "+" (phone numbers).
_LATIN_WORD = r"\+?[A-Za-z0-9](?:[A-Za-z0-9@._:/+\-]*[A-Za-z0-9])?"
LATIN_RUN = re.compile(rf"{_LATIN_WORD}(?: +{_LATIN_WORD})*")
# An Arabic run, from its first Arabic letter to its last, with the spaces,
# digits and punctuation between them ("ص.ب", "شارع 15 الملك فهد").
_ARABIC_LETTER = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
ARABIC_RUN = re.compile(
    rf"[{_ARABIC_LETTER}](?:[{_ARABIC_LETTER}0-9 .,/\-]*[{_ARABIC_LETTER}])?"
)
STRONG = re.compile(rf"(?P<rtl>[{_ARABIC_LETTER}])|(?P<ltr>[A-Za-z])")
# A blank line, also as a browser sends it ("\r\n\r\n").
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")

# Where the page's relative URLs point while WeasyPrint lays it out. The
# reserved .invalid domain never resolves: a URL the fetcher does not
# recognise has nowhere to go.
PDF_BASE_URL = "https://letterhead.invalid/"


# WeasyPrint (and Pango behind it) is imported when the first letter is
# rendered, not when the site starts: it costs over a second, which every
# web worker would otherwise pay before its first request.
@functools.cache
def font_config():
    """One per process: the fonts Pango has loaded stay loaded, which halves
    the time of every letter after the first. Web and Celery workers render
    one letter at a time per process (sync gunicorn workers, prefork Celery)."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def direction(text: str, default: str) -> str:
    """The direction of the first letter of `text`, "rtl" or "ltr" (what
    HTML's dir="auto" does), or `default` when it has no letter."""
    match = STRONG.search(text)
    if match is None:
        return default
    return "rtl" if match.group("rtl") else "ltr"


def isolate(text: str, line_dir: str) -> SafeString:
    """`text` escaped, with each run in the other script (Latin in a
    right-to-left line, Arabic in a left-to-right one) in an isolate of its
    own direction."""
    run, other = (LATIN_RUN, "ltr") if line_dir == "rtl" else (ARABIC_RUN, "rtl")
    pieces = []
    end = 0
    for match in run.finditer(text):
        pieces.append(escape(text[end : match.start()]))
        pieces.append(f'<bdi dir="{other}">{escape(match.group(0))}</bdi>')
        end = match.end()
    pieces.append(escape(text[end:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece is escaped


@dataclass(frozen=True)
class Line:
    """One line of a name or an address, in the direction of its own first
    letter: an English organisation in an Arabic letter reads left to right."""

    dir: str
    html: SafeString


def line(text: str, default: str) -> Line:
    """`text` on one line, escaped and isolated, in its own direction."""
    text = " ".join(text.split())
    line_dir = direction(text, default)
    return Line(line_dir, isolate(text, line_dir))


def lines(text: str, default: str) -> list[Line]:
    """The non-empty lines of `text`, each escaped and isolated."""
    return [line(each, default) for each in text.splitlines() if each.strip()]


def paragraphs(body: str, letter_dir: str) -> list[SafeString]:
    """The body's paragraphs, split at blank lines, in the letter's direction;
    the lines of one paragraph are kept apart by line breaks."""
    return [
        mark_safe(  # noqa: S308 - isolate escaped every line
            "<br>".join(
                isolate(line.strip(), letter_dir) for line in paragraph.splitlines()
            )
        )
        for paragraph in PARAGRAPH_BREAK.split(body.strip())
        if paragraph.strip()
    ]


def page_counter_css() -> str:
    """The footer's "Page 1 of 2" in the active language, as a CSS `content`
    value with the page counters in place of the numbers."""
    text = gettext("Page %(page)s of %(pages)s")
    parts = re.split(r"(%\(page\)s|%\(pages\)s)", text)
    css = []
    for part in parts:
        if part == "%(page)s":
            css.append("counter(page)")
        elif part == "%(pages)s":
            css.append("counter(pages)")
        elif part:
            css.append('"' + part.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return " ".join(css)


def letter_date(page: LetterPage) -> SafeString:
    """The letter's date, Gregorian, with its Umm al-Qura twin unless the
    letter leaves it out. The order is the translation's: Arabic
    correspondence writes the Hijri date first, "corresponding to" the
    Gregorian one."""
    gregorian = gregorian_date(page.dated, page.language)
    hijri = hijri_date(page.dated, page.language) if page.show_hijri else ""
    if not hijri:
        return isolate(gregorian, page.direction)
    # Translators: a letter's date, Gregorian then Hijri (Umm al-Qura).
    text = gettext("%(gregorian)s (%(hijri)s)") % {
        "gregorian": gregorian,
        "hijri": hijri,
    }
    return isolate(text, page.direction)


def letterhead(language: str) -> dict:
    """The department's name, address lines, phone and email from settings,
    in `language`."""
    arabic = language == "ar"
    letter_dir = "rtl" if arabic else "ltr"
    name = settings.LETTERHEAD_NAME_AR if arabic else settings.LETTERHEAD_NAME
    address = settings.LETTERHEAD_ADDRESS_AR if arabic else settings.LETTERHEAD_ADDRESS
    return {
        "name": isolate(name, letter_dir),
        "address_lines": lines(address.replace("|", "\n"), letter_dir),
        "phone": settings.LETTERHEAD_PHONE,
        "email": settings.LETTERHEAD_EMAIL,
        "logo_url": static(settings.LETTERHEAD_LOGO),
    }


def letter_html(page: LetterPage) -> str:
    """The letter as a complete HTML document: the A4 page, also shown in
    the browser as the preview."""
    letter_dir = page.direction
    with translation.override(page.language):
        context = {
            "page": page,
            "direction": letter_dir,
            "letterhead": letterhead(page.language),
            "dated": letter_date(page),
            "subject": isolate(page.subject, letter_dir),
            "addressee_lines": lines(
                "\n".join(
                    [
                        page.addressee_name,
                        page.addressee_organisation,
                        page.addressee_address,
                    ]
                ),
                letter_dir,
            ),
            "their_reference": line(page.their_reference, letter_dir),
            "paragraphs": paragraphs(page.body, letter_dir),
            "signatory_lines": lines(
                f"{page.signatory_name}\n{page.signatory_title}", letter_dir
            ),
            "page_counter": mark_safe(page_counter_css()),  # noqa: S308 - quoted
        }
        return render_to_string("letters/a4.html", context)


def letter_pdf(page: LetterPage) -> bytes:
    """The same page as PDF, fonts embedded."""
    from weasyprint import HTML

    document = HTML(
        string=letter_html(page),
        base_url=PDF_BASE_URL,
        url_fetcher=static_only_fetcher,
    )
    return document.write_pdf(font_config=font_config())


def static_file(url: str) -> Path | None:
    """The file under the project's static directories that `url` (as the
    page links it, under STATIC_URL) names, or None."""
    static_prefix = urlsplit(urljoin("/", settings.STATIC_URL)).path
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}/" != PDF_BASE_URL or parts.query:
        return None
    if not parts.path.startswith(static_prefix):
        return None
    relative = unquote(parts.path.removeprefix(static_prefix))
    if not relative or ".." in Path(relative).parts or relative.startswith("/"):
        return None
    found = finders.find(relative)
    if found is None:
        # Collected (and, in production, renamed with its hash) under STATIC_ROOT.
        root = Path(settings.STATIC_ROOT).resolve()
        candidate = (root / relative).resolve()
        if candidate.is_relative_to(root) and candidate.is_file():
            return candidate
        return None
    return Path(found)


def static_only_fetcher(url: str):
    """WeasyPrint's fetcher for letters: a file from the static directories
    (the letterhead logo), and nothing else; any other URL is refused, so a
    letter never reaches the network or the rest of the file system."""
    from weasyprint.urls import URLFetcherResponse

    path = static_file(url)
    if path is None:
        raise ValueError(f"A letter reads only static files, not {url[:200]}")
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return URLFetcherResponse(
        url, path.read_bytes(), headers={"Content-Type": content_type}
    )
