"""The demo's written correspondence: a request by letter refused by an
Arabic rejection letter (approved, dispatched by post with its PDF, its
delivery recorded) and a memo to the billing department still awaiting its
answer."""

from datetime import timedelta

from django.utils import timezone

from helpdesk.channels import Channel
from letters import services as letters
from letters.models import Letter, LetterTemplate, Method
from memos.models import Memo
from memos.services import send_memo
from registers.services import register_logged_contact
from tickets import services
from tickets.models import Ticket

REFUSED_SUBJECT = "طلب الإعفاء من رسوم إعادة توصيل الخدمة"
REFUSED_REQUEST = (
    "يطلب العميل في خطابه إعفاءه من رسوم إعادة توصيل الخدمة بعد فصلها لتأخر "
    "السداد، لأنه سدد المبلغ المتأخر كاملًا."
)
REASONS = (
    "- فُصلت الخدمة بعد إرسال إشعارين بالسداد في 2 و9 نوفمبر دون رد.\n"
    "- رسوم إعادة التوصيل مقابل زيارة الفني، ولائحة الرسوم لا تجيز الإعفاء "
    "منها إلا عند خطأ من الشركة، ولم يثبت لنا خطأ في هذه الحالة."
)
APPEAL_ROUTE = (
    "خلال ثلاثين يومًا من تاريخ هذا الخطاب بخطاب موجّه إلى إدارة الشكاوى، "
    "أو عبر رابط متابعة الطلب"
)
DELIVERY_PROOF = "بريد مسجل رقم RR482913375SA، استلمه العميل بنفسه"

MEMO_ON = "خطاب اعتراض على رسوم التأخير"
MEMO_TEXT = (
    "نرجو التحقق من تاريخ وصول دفعة العميل خالد لشهر أكتوبر، فالعميل يذكر "
    "أنها وصلت في موعدها، وإفادتنا بإمكانية إلغاء رسوم التأخير المضافة."
)


def seed_correspondence(report, *, users: dict, queues: dict, customers: dict):
    """Add the demo's rejection letter and open memo unless already there."""
    _rejection_letter(report, users=users, queues=queues, customers=customers)
    _open_memo(report, users=users, queues=queues)


def _rejection_letter(report, *, users: dict, queues: dict, customers: dict):
    customer = customers["khalid"]
    if Letter.objects.filter(ticket__subject=REFUSED_SUBJECT).exists():
        report.add("letters", False)
        return
    writer, supervisor = users["agent2"], users["supervisor"]
    ticket = services.open_ticket(
        customer=customer,
        subject=REFUSED_SUBJECT,
        body_text=REFUSED_REQUEST,
        channel=Channel.LETTER,
        queue=queues["billing"],
        kind=Ticket.Kind.REQUEST,
        received_at=timezone.now() - timedelta(hours=40),
        details={"reference": "خ/ع/1448/12"},
    )
    register_logged_contact(
        ticket, ticket.messages.get(), received_at=ticket.received_at, by=writer
    )
    services.assign_ticket(ticket, agent=writer, by=supervisor)
    template = LetterTemplate.objects.get(
        kind=LetterTemplate.Kind.REJECTION, language="ar", is_active=True
    )
    letter = letters.start_letter(ticket, template, by=writer)
    body = letter.body.replace("{{ reasons }}", REASONS).replace(
        "{{ appeal_route }}", APPEAL_ROUTE
    )
    letters.save_letter(
        letter,
        subject=letter.subject,
        body=body,
        addressee_name=letter.addressee_name,
        addressee_organisation=letter.addressee_organisation,
        addressee_address=letter.addressee_address,
        by=writer,
    )
    letters.submit_for_approval(letter, by=writer)
    letters.approve(letter, by=supervisor)
    letter = letters.dispatch(letter, method=Method.POST, by=writer)
    letters.record_delivery(
        letter, delivered_at=timezone.now(), proof=DELIVERY_PROOF, by=writer
    )
    services.change_status(ticket, status=Ticket.Status.RESOLVED, by=writer)
    report.add("letters", True)


def _open_memo(report, *, users: dict, queues: dict):
    ticket = Ticket.objects.filter(subject=MEMO_ON).first()
    if ticket is None or Memo.objects.filter(ticket=ticket).exists():
        report.add("memos", False)
        return
    send_memo(
        ticket, to_queue=queues["billing"], body_text=MEMO_TEXT, by=users["agent1"]
    )
    report.add("memos", True)
