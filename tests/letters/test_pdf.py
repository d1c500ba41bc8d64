"""Letters as A4 pages and PDFs: right in Arabic and in English, read back
as a reader's tools read them (poppler's pdftotext, pdffonts, pdfinfo and a
page rendered to PNG by pdftoppm)."""

import io
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date

import pytest
from django.utils import translation
from PIL import Image

from letters import pdf
from letters.pdf import LetterPage, letter_html, letter_pdf

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils is not installed"
)
# pdftotext marks the direction of each line with these; a reader never sees them.
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")

ARABIC = LetterPage(
    language="ar",
    subject="الرد على طلبكم رقم HD-2026-000045",
    body=(
        "السادة/ أحمد العتيبي المحترمين،\n\n"
        "السلام عليكم ورحمة الله وبركاته، وبعد:\n\n"
        "نشكركم على طلبكم المؤرخ في 2026-11-30 (رقم التذكرة HD-2026-000045)، "
        "ونفيدكم بأننا راجعناه بعناية، ويمكنكم مراسلتنا على info@example.org.\n\n"
        "وتفضلوا بقبول فائق الاحترام والتقدير،"
    ),
    dated=date(2026, 12, 7),
    addressee_name="أحمد العتيبي",
    addressee_organisation="شركة المثال للتجارة",
    addressee_address="ص.ب 555\nجدة 21411",
    outgoing_number="OUT-2026-000123",
    ticket_number="HD-2026-000045",
    their_reference="REF/77-2026",
    signatory_name="سارة القحطاني",
    signatory_title="مديرة خدمة العملاء",
)
ENGLISH = replace(
    ARABIC,
    language="en",
    subject="Our answer to your request",
    body=(
        "Dear Mr Al-Otaibi,\n\n"
        "Thank you for your request of 30 November 2026 (ticket HD-2026-000045).\n\n"
        "Yours sincerely,"
    ),
    addressee_name="Ahmed Al-Otaibi",
    addressee_organisation="Example Trading Company",
    addressee_address="P.O. Box 555\nJeddah 21411",
    signatory_name="Sara Al-Qahtani",
    signatory_title="Head of Customer Service",
)


def run(tool: str, *args: str, data: bytes) -> str:
    result = subprocess.run(
        [tool, *args, "-", "-"] if tool == "pdftotext" else [tool, *args, "-"],
        input=data,
        capture_output=True,
        check=True,
        timeout=60,
    )
    return result.stdout.decode()


def text_of(data: bytes, *args: str) -> str:
    return BIDI_CONTROLS.sub("", run("pdftotext", *args, data=data))


def line_with(text: str, needle: str) -> str:
    found = [line for line in text.splitlines() if needle in line]
    assert found, f"{needle!r} is on no line of:\n{text}"
    return found[0]


def squeezed(text: str) -> str:
    """Without spaces: pdftotext puts the space beside a number on either side."""
    return re.sub(r"\s+", "", text)


def ink_centre(data: bytes) -> float:
    """Where page 1's ink sits across the page: 0 at the left edge, 1 at the
    right, rendered by pdftoppm at 50 dpi."""
    png = subprocess.run(
        ["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", "-"],
        input=data,
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout
    image = Image.open(io.BytesIO(png)).convert("L")
    width, height = image.size
    pixels = image.load()
    columns = [x for y in range(height) for x in range(width) if pixels[x, y] < 128]
    return sum(columns) / len(columns) / width


@pytest.fixture(scope="module")
def arabic_pdf():
    return letter_pdf(ARABIC)


@pytest.fixture(scope="module")
def english_pdf():
    return letter_pdf(ENGLISH)


# The HTML page (also the preview in the browser).


def test_an_arabic_letter_is_a_right_to_left_page_with_arabic_labels():
    with translation.override("en"):
        html = letter_html(ARABIC)

    assert '<html lang="ar" dir="rtl">' in html
    assert "الموضوع" in html
    assert "مرجعنا" in html
    assert "Subject" not in html
    assert translation.get_language() == "en"


def test_an_english_letter_has_english_labels_for_an_arabic_speaking_agent():
    with translation.override("ar"):
        html = letter_html(ENGLISH)

    assert '<html lang="en" dir="ltr">' in html
    assert "Subject" in html
    assert "Our reference" in html
    assert "الموضوع" not in html


def test_latin_runs_in_an_arabic_line_are_isolated_left_to_right():
    html = pdf.isolate("رقم التذكرة HD-2026-000045 بتاريخ 2026-12-07", "rtl")

    assert html == (
        'رقم التذكرة <bdi dir="ltr">HD-2026-000045</bdi> بتاريخ '
        '<bdi dir="ltr">2026-12-07</bdi>'
    )


def test_an_arabic_run_in_an_english_line_stays_whole():
    html = pdf.isolate("P.O. Box / ص.ب 555, Riyadh", "ltr")

    assert '<bdi dir="rtl">ص.ب</bdi>' in html


def test_a_line_takes_the_direction_of_its_first_letter():
    (english, arabic, number) = pdf.lines(
        "Example Trading Co.\nشركة المثال\n21411", "rtl"
    )

    assert (english.dir, arabic.dir, number.dir) == ("ltr", "rtl", "rtl")


def test_the_body_is_shown_as_text_never_run_as_html():
    page = replace(
        ENGLISH,
        body='<script>alert(1)</script>\n\n<img src="http://example.com/x.png">',
        addressee_name="<b>Bold</b>",
    )

    html = letter_html(page)

    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=&quot;http" not in html
    assert 'src="http://example.com' not in html
    assert "&lt;b&gt;Bold&lt;/b&gt;" in html


def test_paragraphs_are_split_at_blank_lines_and_keep_their_line_breaks():
    typed = replace(ENGLISH, body="One\ntwo\n\n\n  \nThree")
    posted = replace(ENGLISH, body="One\r\ntwo\r\n\r\nThree")

    for html in (letter_html(typed), letter_html(posted)):
        assert "<p>One<br>two</p>" in html
        assert "<p>Three</p>" in html


def test_the_letterhead_comes_from_the_settings_in_the_letters_language(settings):
    settings.LETTERHEAD_NAME = "Department of Examples"
    settings.LETTERHEAD_NAME_AR = "إدارة الأمثلة"
    settings.LETTERHEAD_ADDRESS_AR = "ص.ب 1|الرياض"
    settings.LETTERHEAD_PHONE = "+966 11 222 3333"
    settings.LETTERHEAD_EMAIL = "letters@example.org"

    arabic = letter_html(ARABIC)
    english = letter_html(ENGLISH)

    assert "إدارة الأمثلة" in arabic
    assert "Department of Examples" not in arabic
    assert '<div dir="rtl">الرياض</div>' in arabic
    assert '<bdi dir="ltr">+966 11 222 3333</bdi>' in arabic
    assert "letters@example.org" in arabic
    assert "Department of Examples" in english


def test_the_hijri_date_can_be_left_out():
    html = letter_html(replace(ARABIC, show_hijri=False))

    assert "جمادى" not in html
    assert "ديسمبر" in html


# What WeasyPrint may read.


def test_the_fetcher_serves_the_letterhead_logo_from_static():
    response = pdf.static_only_fetcher(pdf.PDF_BASE_URL + "static/img/letterhead.svg")

    assert response.content_type == "image/svg+xml"
    assert b"<svg" in response.read()


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/static/img/letterhead.svg",
        "https://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
        "file:///static/img/letterhead.svg",
        pdf.PDF_BASE_URL + "static/../../../etc/passwd",
        pdf.PDF_BASE_URL + "static/%2e%2e/%2e%2e/etc/passwd",
        pdf.PDF_BASE_URL + "etc/passwd",
        pdf.PDF_BASE_URL + "static/img/missing.svg",
        "data:text/plain,hello",
    ],
)
def test_the_fetcher_refuses_everything_else(url):
    with pytest.raises(ValueError, match="only static files"):
        pdf.static_only_fetcher(url)


def test_a_pdf_fetches_nothing_but_the_logo(monkeypatch):
    asked = []
    fetch = pdf.static_only_fetcher

    def spy(url):
        asked.append(url)
        return fetch(url)

    monkeypatch.setattr(pdf, "static_only_fetcher", spy)
    page = replace(
        ENGLISH,
        body='<img src="http://example.com/x.png"> <link rel=stylesheet '
        'href="file:///etc/passwd"> url(http://example.com/y.css)',
    )

    letter_pdf(page)

    assert asked == [pdf.PDF_BASE_URL + "static/img/letterhead.svg"]


# The PDF, read back.


@needs_poppler
def test_the_page_is_a4(arabic_pdf):
    info = run("pdfinfo", data=arabic_pdf)

    width, height = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups()
    assert (round(float(width), 2), round(float(height), 2)) == (595.28, 841.89)


@needs_poppler
def test_the_fonts_are_embedded_amiri_among_them(arabic_pdf):
    rows = run("pdffonts", data=arabic_pdf).splitlines()[2:]
    fonts = {row.split()[0].split("+")[-1]: row.split()[-5] for row in rows}

    assert "Amiri-Bold" in fonts
    assert "Noto-Naskh-Arabic" in fonts
    assert set(fonts.values()) == {"yes"}


@needs_poppler
@pytest.mark.parametrize("layout", [["-layout"], []], ids=["layout", "raw"])
def test_arabic_words_numbers_and_dates_come_out_in_reading_order(arabic_pdf, layout):
    text = text_of(arabic_pdf, *layout)

    assert "السلام عليكم ورحمة الله وبركاته" in text
    assert "وتفضلوا بقبول فائق الاحترام والتقدير" in text
    assert "إدارة خدمة العملاء" in text
    assert "OUT-2026-000123" in text
    assert "info@example.org" in text
    # The Hijri date first, then the Gregorian one it corresponds to.
    assert "27جمادىالآخرة1448هـالموافق7ديسمبر2026م" in squeezed(
        line_with(text, "جمادى")
    )
    # A date written in the Latin way inside Arabic keeps its order.
    assert "2026-11-30" in text
    assert "30-11-2026" not in text


@needs_poppler
def test_each_reference_is_on_the_line_of_its_label(arabic_pdf):
    text = text_of(arabic_pdf, "-layout")

    assert "الرقم:" in line_with(text, "OUT-2026-000123")
    assert "مرجعكم:" in line_with(text, "REF/77-2026")
    assert "التاريخ:" in line_with(text, "جمادى")


@needs_poppler
def test_an_english_letter_reads_left_to_right_with_its_hijri_date(english_pdf):
    text = text_of(english_pdf, "-layout")

    assert "7 December 2026 (27 Jumada al-Akhirah 1448 AH)" in text
    assert "Number:" in line_with(text, "OUT-2026-000123")
    assert "(ticket HD-2026-000045)" in text
    assert "Page 1 of 1" in text


@needs_poppler
def test_an_arabic_letter_is_aligned_right_and_an_english_one_left(
    arabic_pdf, english_pdf
):
    assert ink_centre(arabic_pdf) > 0.55
    assert ink_centre(english_pdf) < 0.45


@needs_poppler
@pytest.mark.parametrize(
    "page, footer",
    [(ARABIC, "صفحة {page} من {pages}"), (ENGLISH, "Page {page} of {pages}")],
    ids=["ar", "en"],
)
def test_a_long_letter_runs_onto_more_pages_numbered_in_its_language(page, footer):
    paragraph = page.body.split("\n\n")[2]
    long = replace(page, body="\n\n".join([paragraph] * 30))

    data = letter_pdf(long)

    pages = int(re.search(r"Pages:\s+(\d+)", run("pdfinfo", data=data)).group(1))
    text = squeezed(text_of(data))
    assert pages >= 2
    for number in range(1, pages + 1):
        assert squeezed(footer.format(page=number, pages=pages)) in text


@needs_poppler
def test_injected_html_is_printed_as_the_text_it_is():
    page = replace(
        ENGLISH, body='<script>alert(1)</script> <img src="http://example.com/x.png">'
    )

    text = text_of(letter_pdf(page))

    assert '<script>alert(1)</script> <img src="http://example.com/x.png">' in text


@needs_poppler
@pytest.mark.parametrize(
    "page, mark", [(ARABIC, "مسودة"), (ENGLISH, "DRAFT")], ids=["ar", "en"]
)
def test_only_a_draft_carries_the_draft_mark(page, mark):
    draft = text_of(letter_pdf(replace(page, draft=True, outgoing_number="")))
    final = text_of(letter_pdf(page))

    assert mark in draft
    assert mark not in final
