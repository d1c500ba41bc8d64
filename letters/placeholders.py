"""The placeholders a letter template may use: a fixed vocabulary, checked when
a template is saved and filled when a letter is written.

Supervisors write the templates, so their text is never run as a Django
template: `{{ name }}` is replaced by a plain substitution of known names only,
and everything else is left as it was written.
"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import dateformat, translation
from django.utils.translation import gettext_lazy as _

from helpdesk.hijri import hijri_label

# Every name a template may use, with what it stands for. A date's Hijri
# (Umm al-Qura) twin is `<name>_hijri`, filled from the same date.
VOCABULARY = {
    "customer_name": _("the customer's name"),
    "ticket_number": _("the ticket's number, e.g. HD-2026-000123"),
    "subject": _("the ticket's subject"),
    "incoming_number": _("the incoming register number of the customer's letter"),
    "outgoing_number": _("the outgoing register number of this letter"),
    "today": _("the date of the letter"),
    "today_hijri": _("the date of the letter, Hijri"),
    "received_on": _("the date the customer's request was received"),
    "received_on_hijri": _("the date the customer's request was received, Hijri"),
    "due_on": _("the date promised or asked for"),
    "due_on_hijri": _("the date promised or asked for, Hijri"),
    "agent_name": _("the name of the agent who writes the letter"),
    "department": _("the department's name"),
    "requested_information": _("the information or documents asked for"),
    "reasons": _("the reasons for the decision"),
    "appeal_route": _("how and by when the customer may appeal"),
    "decision": _("the decision taken"),
    "summary": _("what was done"),
}
DATES = ["today", "received_on", "due_on"]
HIJRI_SUFFIX = "_hijri"

PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
# A lone brace pair left after the well-formed ones are taken out.
STRAY_BRACES = re.compile(r"\{\{|\}\}")


def allowed() -> str:
    return ", ".join(f"{{{{ {name} }}}}" for name in VOCABULARY)


def validate(text: str) -> None:
    """Refuse `text` if it names a placeholder outside the vocabulary or has
    braces that do not pair up; the message names the culprit and lists the
    allowed names."""
    errors = []
    unknown = []
    for match in PLACEHOLDER.finditer(text):
        name = match.group(1)
        if name not in VOCABULARY and name not in unknown:
            unknown.append(name)
    for name in unknown:
        errors.append(
            ValidationError(
                _("Unknown placeholder {{ %(name)s }}. Allowed: %(allowed)s."),
                code="unknown_placeholder",
                params={"name": name, "allowed": allowed()},
            )
        )
    # Blanked rather than removed, so that the position points into `text`.
    blanked = PLACEHOLDER.sub(lambda match: " " * len(match.group(0)), text)
    stray = STRAY_BRACES.search(blanked)
    if stray:
        start = max(stray.start() - 15, 0)
        errors.append(
            ValidationError(
                _(
                    "Unbalanced braces near “%(near)s”: write a placeholder as "
                    "{{ name }}. Allowed: %(allowed)s."
                ),
                code="malformed_placeholder",
                params={"near": text[start : stray.end() + 15], "allowed": allowed()},
            )
        )
    if errors:
        raise ValidationError(errors)


def used(text: str) -> list[str]:
    """The placeholder names in `text`, in order, once each."""
    return list(dict.fromkeys(m.group(1) for m in PLACEHOLDER.finditer(text)))


def gregorian_date(day: date, language: str) -> str:
    """7 December 2026 / 7 ديسمبر 2026م"""
    with translation.override(language):
        text = dateformat.format(day, "j F Y")
    return f"{text}م" if language == "ar" else text


def hijri_date(day: date, language: str) -> str:
    """The Umm al-Qura date of `day`: 27 Jumada al-Akhirah 1448 AH /
    27 جمادى الآخرة 1448هـ"""
    return hijri_label(day, language)


def values(context: dict, language: str) -> dict[str, str]:
    """The text of every placeholder `context` gives: dates are formatted in
    `language`, and each date also fills its Hijri twin."""
    filled = {}
    for name, value in context.items():
        if isinstance(value, date):
            filled[name] = gregorian_date(value, language)
            filled[name + HIJRI_SUFFIX] = hijri_date(value, language)
        else:
            filled[name] = str(value)
    return filled


def render(template_text: str, context: dict, language: str = "en") -> str:
    """Fill the known placeholders of `template_text` from `context` (strings
    and dates); one `context` lacks stays visible, braces and all, for the
    writer to fill in by hand."""
    filled = values(context, language)

    def fill(match):
        name = match.group(1)
        if name in VOCABULARY and name in filled:
            return filled[name]
        return match.group(0)

    return PLACEHOLDER.sub(fill, template_text)


def sample_context(language: str) -> dict:
    """Example values, for the preview a supervisor sees beside the text."""
    if language == "ar":
        names = {
            "customer_name": "أحمد العتيبي",
            "agent_name": "سارة القحطاني",
            "department": "إدارة خدمة العملاء",
            "subject": "طلب استرداد رسوم",
            "requested_information": "صورة من الإيصال وصورة الهوية الوطنية",
            "reasons": "مضى على سداد الرسوم أكثر من تسعين يومًا، وهي مدة الاسترداد.",
            "appeal_route": (
                "بخطاب إلى لجنة التظلمات خلال ثلاثين يومًا من تاريخ هذا الخطاب"
            ),
            "decision": "الموافقة على استرداد الرسوم كاملة.",
            "summary": "أُعيد المبلغ إلى حسابكم وصُحّح قيد الفاتورة.",
        }
    else:
        names = {
            "customer_name": "Ahmed Al-Otaibi",
            "agent_name": "Sara Al-Qahtani",
            "department": "Customer Service Department",
            "subject": "Request for a refund of fees",
            "requested_information": "a copy of the receipt and of your national ID",
            "reasons": "The fees were paid more than ninety days ago, beyond the "
            "period within which they can be refunded.",
            "appeal_route": "a letter to the Appeals Committee within thirty days "
            "of the date of this letter",
            "decision": "The fees are refunded in full.",
            "summary": "The amount was returned to your account and the invoice "
            "corrected.",
        }
    return {
        **names,
        "ticket_number": "HD-2026-000123",
        "incoming_number": "IN-2026-000045",
        "outgoing_number": "OUT-2026-000067",
        "today": date(2026, 12, 7),
        "received_on": date(2026, 11, 30),
        "due_on": date(2026, 12, 21),
    }
