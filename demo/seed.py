"""The demo data set loaded by `manage.py seed_demo`.

Plain data first, then one function that creates whatever is missing, so a
second run changes nothing.
"""

from dataclasses import dataclass, field
from datetime import time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models, transaction
from django.db.models import Max, Q
from django.utils import timezone

from api.integrations import Kind, create_integration
from customers.models import Customer, ServiceTier
from helpdesk.channels import Channel
from portal import services as portal_services
from registers.services import register_logged_contact
from sla import services as sla_services
from sla.models import BusinessCalendar, HijriRule
from sla.sweep import run_sweep
from tickets import services
from tickets.models import (
    CannedResponse,
    Category,
    Queue,
    RootCause,
    Ticket,
    TicketEvent,
)
from tickets.permissions import AGENTS, SUPERVISORS
from tickets.services import complaints
from webhooks.events import EventType
from webhooks.models import Delivery, Subscription

from .correspondence import seed_correspondence
from .emails import seed_email
from .knowledge import seed_knowledge
from .policies import seed_policies

DEFAULT_PASSWORD = "demo-pass-2026"

STAFF = [
    # username, first name, last name, group, is_staff
    ("supervisor", "Salma", "Al-Otaibi", SUPERVISORS, True),
    ("agent1", "Omar", "Haddad", AGENTS, False),
    ("agent2", "Emily", "Carter", AGENTS, False),
]

QUEUES = [
    # slug, name, Arabic name, agents, supervisors
    (
        "service",
        "Customer Service",
        "خدمة العملاء",
        ["agent1", "agent2"],
        ["supervisor"],
    ),
    ("complaints", "Complaints", "الشكاوى", ["agent1"], ["supervisor"]),
    ("billing", "Billing", "الفوترة", ["agent2"], ["supervisor"]),
]

INTEGRATIONS = [
    # account name, kind, queues: a phone system logging calls, and the
    # e-services portal customers follow their requests on.
    ("phone-system", Kind.INTEGRATION, ["service", "complaints"]),
    ("e-services-portal", Kind.CUSTOMER_FACING, ["service"]),
]

CATEGORIES = [
    ("billing", "Billing", "الفواتير"),
    ("product-support", "Product support", "الدعم الفني"),
    ("purchase", "Purchase", "المشتريات"),
    ("delivery", "Delivery", "التوصيل"),
    ("account", "Account", "الحساب"),
    ("general", "General inquiry", "استفسار عام"),
]

CUSTOMERS = {
    # key: fields. customer1 and customer2 have portal logins.
    "customer1": {
        "name": "نورة الحربي",
        "email": "customer1@example.com",
        "phone": "+966 50 123 4567",
        "kind": Customer.Kind.EXTERNAL,
        "tier": ServiceTier.VIP,
        "organisation": "شركة الأفق للتجارة",
        "preferred_language": "ar",
        "preferred_channel": Channel.EMAIL,
        "interests": "العروض الخاصة بكبار العملاء، خدمات الشحن السريع",
        "needs": "تفضّل التواصل صباحًا، وتحتاج فواتير مفصّلة لشركتها",
        "notes": "عميلة منذ 2019. أي شكوى منها تُرفع للمشرف مباشرة.",
        "consents_to_promotions": True,
    },
    "customer2": {
        "name": "James Whitfield",
        "email": "customer2@example.com",
        "phone": "+44 20 7946 0321",
        "kind": Customer.Kind.INTERNAL,
        "tier": ServiceTier.STANDARD,
        "department": "Finance",
        "preferred_language": "en",
        "preferred_channel": Channel.EMAIL,
        "needs": "Monthly statements for the finance department",
    },
    "khalid": {
        "name": "خالد العمري",
        "phone": "+966 55 987 6543",
        "kind": Customer.Kind.EXTERNAL,
        "tier": ServiceTier.STANDARD,
        "preferred_language": "ar",
        "preferred_channel": Channel.PHONE,
        "postal_address": "ص.ب 1234، الرياض 11564، المملكة العربية السعودية",
    },
    "fatima": {
        "name": "فاطمة الزهراني",
        "email": "fatima.z@example.net",
        "fax": "+966 11 465 0000",
        "kind": Customer.Kind.EXTERNAL,
        "tier": ServiceTier.VIP,
        "organisation": "مستشفى الشفاء",
        "preferred_language": "ar",
        "preferred_channel": Channel.FAX,
    },
    "ahmed": {
        "name": "أحمد منصور",
        "email": "ahmed.mansour@example.org",
        "kind": Customer.Kind.INTERNAL,
        "tier": ServiceTier.STANDARD,
        "department": "الموارد البشرية",
        "preferred_language": "ar",
        "preferred_channel": Channel.CHAT,
    },
    "sarah": {
        "name": "Sarah Mitchell",
        "email": "sarah.mitchell@example.com",
        "phone": "+971 4 555 0199",
        "kind": Customer.Kind.EXTERNAL,
        "tier": ServiceTier.STANDARD,
        "organisation": "Gulf Logistics LLC",
        "preferred_language": "en",
        "preferred_channel": Channel.WEB,
    },
    "david": {
        "name": "David Okafor",
        "phone": "+20 2 2735 0000",
        "kind": Customer.Kind.EXTERNAL,
        "tier": ServiceTier.STANDARD,
        "preferred_language": "en",
        "preferred_channel": Channel.WALK_IN,
        "postal_address": "12 Tahrir Street, Cairo, Egypt",
    },
}


@dataclass
class DemoTicket:
    customer: str
    subject: str
    body: str
    channel: str
    kind: str
    category: str
    queue: str
    hours_ago: float
    priority: int = Ticket.Priority.NORMAL
    assignee: str | None = None
    # Steps after creation: ("reply"|"note"|"inbound", text), ("status", value),
    # ("rate", "<1-5> <comment>") as the customer rating the service, and for
    # complaints ("complaint", stage) with `findings`, ("accept", "") and
    # ("appeal", reason) as the customer on the tracking page.
    steps: list[tuple[str, str]] = field(default_factory=list)
    # A complaint's findings: severity, root cause (its English name), root
    # cause details, corrective action, resolution summary.
    findings: dict = field(default_factory=dict)


S = Ticket.Status
Stage = Ticket.ComplaintStage
K = Ticket.Kind
P = Ticket.Priority

TICKETS = [
    DemoTicket(
        "customer1",
        "تأخر شحنة الطلب رقم 4471",
        "السلام عليكم، طلبت شحنة منذ عشرة أيام ولم تصل حتى الآن. "
        "أرجو إفادتي بموعد التسليم.",
        Channel.EMAIL,
        K.COMPLAINT,
        "delivery",
        "complaints",
        50,
        P.HIGH,
        "agent1",
    ),
    DemoTicket(
        "customer1",
        "طلب فاتورة ضريبية مفصلة",
        "نحتاج فاتورة ضريبية مفصلة لمشتريات الربع الماضي باسم الشركة.",
        Channel.WEB,
        K.REQUEST,
        "billing",
        "billing",
        30,
        P.NORMAL,
        "agent2",
        [
            (
                "reply",
                "شكرًا لتواصلك معنا. نعمل على إعداد الفاتورة وسنرسلها خلال يوم عمل.",
            )
        ],
    ),
    DemoTicket(
        "customer1",
        "اقتراح: خدمة التوصيل في نفس اليوم",
        "أقترح إضافة خيار التوصيل في نفس اليوم داخل الرياض لكبار العملاء.",
        Channel.CHAT,
        K.SUGGESTION,
        "delivery",
        "service",
        200,
        P.LOW,
        "agent1",
        [
            ("reply", "شكرًا على اقتراحك القيّم، تم رفعه إلى إدارة العمليات."),
            ("status", S.RESOLVED),
            ("rate", "5 سرعة في الاستجابة وتعامل راقٍ، شكرًا لكم."),
        ],
    ),
    DemoTicket(
        "customer2",
        "Monthly statement missing for October",
        "Hello, the October statement for the Finance department has not arrived.",
        Channel.EMAIL,
        K.INQUIRY,
        "billing",
        "billing",
        3,
        P.NORMAL,
    ),
    DemoTicket(
        "customer2",
        "Access to the supplier portal",
        "I need access to the supplier portal to approve invoices.",
        Channel.WEB,
        K.REQUEST,
        "account",
        "service",
        70,
        P.NORMAL,
        "agent2",
        [
            ("reply", "Could you confirm your employee number so we can set this up?"),
            ("status", S.PENDING),
        ],
    ),
    DemoTicket(
        "customer2",
        "Wrong amount on invoice INV-2026-118",
        "Invoice INV-2026-118 charges us twice for the same licence.",
        Channel.EMAIL,
        K.COMPLAINT,
        "billing",
        "complaints",
        400,
        P.HIGH,
        "agent1",
        [
            ("reply", "We are sorry for the error. A corrected invoice is attached."),
            ("complaint", Stage.RESOLVED),
            ("accept", ""),
            ("rate", "3 Fixed in the end, but it took far too long."),
        ],
        findings={
            "severity": Ticket.Severity.MODERATE,
            "root_cause_category": "Billing error",
            "root_cause": "The licence was entered twice when the order was amended.",
            "corrective_action": "Amended orders are now checked line by line "
            "before invoicing.",
            "resolution_summary": "Invoice INV-2026-118 was cancelled and a "
            "corrected invoice issued.",
        },
    ),
    DemoTicket(
        "khalid",
        "استفسار عن حالة طلب الصيانة",
        "اتصل العميل يسأل عن موعد زيارة فني الصيانة لجهاز التكييف.",
        Channel.PHONE,
        K.INQUIRY,
        "product-support",
        "service",
        5,
        P.NORMAL,
        "agent1",
        [("reply", "تم الرد على المكالمة وإبلاغ العميل بأن الفني سيزوره غدًا.")],
    ),
    DemoTicket(
        "khalid",
        "خطاب اعتراض على رسوم التأخير",
        "وصل خطاب بريدي من العميل يعترض فيه على رسوم التأخير المضافة إلى حسابه.",
        Channel.LETTER,
        K.COMPLAINT,
        "billing",
        "complaints",
        20,
        P.NORMAL,
        None,
        [("note", "تمت مراجعة السجل: الدفعة وصلت في موعدها، الرسوم أضيفت بالخطأ.")],
    ),
    DemoTicket(
        "fatima",
        "طلب عرض سعر لأجهزة طبية",
        "نرجو تزويدنا بعرض سعر لعدد 20 جهاز قياس ضغط مع الضمان.",
        Channel.FAX,
        K.REQUEST,
        "purchase",
        "service",
        20,  # at risk: 20 of its 24 hours gone
        P.HIGH,
        "agent2",
    ),
    DemoTicket(
        "fatima",
        "شكوى من سوء التعامل في الفرع",
        "تعرض موظفونا لمعاملة غير لائقة عند استلام الطلب من الفرع الرئيسي.",
        Channel.EMAIL,
        K.COMPLAINT,
        "general",
        "complaints",
        2,
        P.URGENT,
    ),
    DemoTicket(
        "ahmed",
        "تحديث بيانات الحساب",
        "أرجو تحديث رقم الجوال المسجل في حسابي.",
        Channel.CHAT,
        K.REQUEST,
        "account",
        "service",
        1,
        P.LOW,
        "agent1",
        [
            ("reply", "تم تحديث رقم الجوال بنجاح."),
            ("status", S.RESOLVED),
            ("inbound", "شكرًا، لكن البريد الإلكتروني أيضًا يحتاج تحديثًا."),
        ],
    ),
    DemoTicket(
        "sarah",
        "Bulk order discount",
        "We are planning to order 500 units next quarter. What discounts apply?",
        Channel.WEB,
        K.INQUIRY,
        "purchase",
        "service",
        12,
        P.NORMAL,
    ),
    DemoTicket(
        "sarah",
        "Damaged items in shipment",
        "Three boxes in our last delivery arrived crushed. Photos to follow.",
        Channel.EMAIL,
        K.COMPLAINT,
        "delivery",
        "complaints",
        90,
        P.HIGH,
        "agent1",
        [
            ("reply", "We are sorry. Could you send the photos and the delivery note?"),
            ("status", S.PENDING),
            ("inbound", "Photos attached, delivery note number DN-55812."),
            ("complaint", Stage.INVESTIGATING),
        ],
        findings={
            "severity": Ticket.Severity.MAJOR,
            "root_cause_category": "Delay",
            "root_cause": "Boxes were stacked beyond their limit at the depot.",
        },
    ),
    DemoTicket(
        "ahmed",
        "شكوى: انقطاع الخدمة دون إشعار مسبق",
        "انقطعت الخدمة عن منزلي يومين دون أي إشعار، وتضررت أعمالي بسبب ذلك.",
        Channel.WEB,
        K.COMPLAINT,
        "general",
        "complaints",
        120,
        P.HIGH,
        "agent1",
        [
            ("reply", "نعتذر عن الانقطاع، ونعمل على معرفة سببه وسنوافيك بالنتيجة."),
            ("complaint", Stage.RESOLVED),
        ],
        findings={
            "severity": Ticket.Severity.MAJOR,
            "root_cause_category": "Process or policy",
            "root_cause": "أُجريت صيانة مجدولة ولم يُرسل إشعار للعملاء المتأثرين.",
            "corrective_action": "أصبح إرسال الإشعار قبل الصيانة بيومين شرطًا "
            "لاعتماد أمر العمل.",
            "resolution_summary": "أُعيدت الخدمة، وأُضيف خصم يومين إلى فاتورة العميل.",
        },
    ),
    DemoTicket(
        "david",
        "Complaint: refund refused for a faulty heater",
        "The heater I bought stopped working after a week and the branch "
        "refused a refund.",
        Channel.EMAIL,
        K.COMPLAINT,
        "product-support",
        "complaints",
        160,
        P.NORMAL,
        "agent1",
        [
            ("reply", "We are sorry. We are looking into what happened at the branch."),
            ("complaint", Stage.RESOLVED),
            (
                "appeal",
                "A repair is not what I asked for: the heater failed within the "
                "return period, so I want my money back.",
            ),
        ],
        findings={
            "severity": Ticket.Severity.MODERATE,
            "root_cause_category": "Wrong information",
            "root_cause": "The branch applied the repair-only rule meant for "
            "items past their return period.",
            "corrective_action": "Branch staff were briefed on the return period.",
            "resolution_summary": "A free repair was offered.",
        },
    ),
    DemoTicket(
        "david",
        "Walk-in: warranty claim for a laptop",
        "Customer came to the counter with a laptop that will not charge.",
        Channel.WALK_IN,
        K.REQUEST,
        "product-support",
        "service",
        26,
        P.NORMAL,
        "agent2",
        [
            ("reply", "Laptop received at the counter; repair ticket printed for him."),
            ("note", "Sent to the repair workshop with serial SN-88213."),
        ],
    ),
    DemoTicket(
        "david",
        "Suggestion: longer opening hours",
        "Please open the service counter on Saturdays too.",
        Channel.LETTER,
        K.SUGGESTION,
        "general",
        "service",
        300,
        P.LOW,
        "agent2",
        [
            ("reply", "Thank you. We have forwarded your suggestion to management."),
            ("status", S.RESOLVED),
            ("status", S.CLOSED),
            ("rate", "4"),
        ],
    ),
]


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, made: bool) -> None:
        self.created[what] = self.created.get(what, 0) + int(made)


def _staff(report: SeedReport, password: str) -> dict:
    users = {}
    user_model = get_user_model()
    for username, first, last, group, is_staff in STAFF:
        user, made = user_model.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@helpdesk.example",
                "is_staff": is_staff,
            },
        )
        if made:
            user.set_password(password)
            user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=group))
        users[username] = user
        report.add("users", made)
    return users


def _named(model: type[models.Model], slug: str, name: str, defaults: dict):
    """The row with code `slug` or, failing that, named `name` (another data
    set, such as seed_volume's, may have made it under its own code), else a
    new one: both columns are unique. Returns (row, whether it was made)."""
    existing = (
        model.objects.filter(Q(slug=slug) | Q(name=name))
        .order_by(models.Case(models.When(slug=slug, then=0), default=1))
        .first()
    )
    if existing is not None:
        return existing, False
    return model.objects.create(slug=slug, name=name, **defaults), True


def _queues(report: SeedReport, users: dict) -> dict:
    queues = {}
    for slug, name, name_ar, agents, supervisors in QUEUES:
        queue, made = _named(
            Queue,
            slug,
            name,
            {
                "name_ar": name_ar,
                # Breached VIP tickets and complaints go to the supervisor.
                "escalate_to_supervisor": True,
                # Web-form requests land in Customer Service unless an
                # administrator chose another queue.
                "is_default": slug == "service"
                and not Queue.objects.filter(is_default=True).exists(),
            },
        )
        queue.agents.add(*(users[u] for u in agents))
        queue.supervisors.add(*(users[u] for u in supervisors))
        queues[slug] = queue
        report.add("queues", made)
    return queues


def _integrations(report: SeedReport, queues: dict) -> None:
    for username, kind, codes in INTEGRATIONS:
        made = not get_user_model().objects.filter(username=username).exists()
        if made:
            create_integration(
                username=username, kind=kind, queues=[queues[c] for c in codes]
            )
        report.add("integration accounts", made)


def _categories(report: SeedReport) -> dict:
    categories = {}
    for slug, name, name_ar in CATEGORIES:
        category, made = _named(Category, slug, name, {"name_ar": name_ar})
        categories[slug] = category
        report.add("categories", made)
    return categories


def _customers(report: SeedReport, password: str) -> dict:
    tiers = {tier.code: tier for tier in ServiceTier.objects.all()}
    user_model = get_user_model()
    customers = {}
    for key, data in CUSTOMERS.items():
        fields = {**data, "tier": tiers[data["tier"]]}
        lookup = (
            {"email": fields["email"]} if "email" in fields else {"name": data["name"]}
        )
        customer, made = Customer.objects.get_or_create(**lookup, defaults=fields)
        if made:
            customer.search_text = customer.build_search_text()
            customer.save(update_fields=["search_text"])
        if key in ("customer1", "customer2") and customer.user_id is None:
            user = user_model.objects.create_user(
                username=fields["email"], email=fields["email"], password=password
            )
            customer.user = user
            customer.save(update_fields=["user"])
        customers[key] = customer
        report.add("customers", made)
    return customers


def _apply(ticket: Ticket, step: tuple[str, str], agent, findings: dict) -> None:
    verb, value = step
    if verb == "reply":
        services.reply_to_ticket(ticket, body_text=value, by=agent)
    elif verb == "note":
        services.add_note(ticket, body_text=value, by=agent)
    elif verb == "inbound":
        services.add_message(
            ticket, direction="inbound", body_text=value, channel=ticket.channel
        )
    elif verb == "status":
        services.change_status(ticket, status=value, by=agent)
    elif verb == "complaint":
        _record_findings(ticket, value, agent, findings)
    elif verb == "accept":
        complaints.accept_resolution(ticket)
    elif verb == "appeal":
        complaints.appeal_complaint(ticket, reason=value)
    elif verb == "rate":
        score, _space, comment = value.partition(" ")
        portal_services.rate_ticket(ticket, score=int(score), comment=comment)


# The department's calendar (made by the default SLA migration) keeps the
# Eids and Ramadan by Hijri date, the same every year.
DEMO_CALENDAR = "Head office"
HIJRI_RULES = [
    # name, Arabic name, kind, month, first day, last day, hours
    ("Eid al-Fitr", "عيد الفطر", HijriRule.Kind.HOLIDAY, 10, 1, 3, None),
    ("Eid al-Adha", "عيد الأضحى", HijriRule.Kind.HOLIDAY, 12, 9, 13, None),
    (
        "Ramadan hours",
        "ساعات العمل في رمضان",
        HijriRule.Kind.PERIOD,
        9,
        1,
        None,
        (time(10), time(15)),
    ),
]
# The Eids as the `holidays` package estimates them, imported with the
# country's other public holidays: the Hijri rules above replace them, and the
# other imported days (Founding Day, National Day) stay.
IMPORTED_EIDS = ("Eid al-Fitr", "Eid al-Adha", "Day of Arafah")


def _hijri_rules(report: SeedReport) -> None:
    """Give the demo calendar its Eids and Ramadan hours by Hijri date, once."""
    calendar = BusinessCalendar.objects.filter(name=DEMO_CALENDAR).first()
    if calendar is None or calendar.hijri_rules.exists():
        report.add("Hijri rules", False)
        return
    rules = [
        HijriRule(
            name=name,
            name_ar=name_ar,
            kind=kind,
            month=month,
            first_day=first,
            last_day=last,
            start_time=hours[0] if hours else None,
            end_time=hours[1] if hours else None,
        )
        for name, name_ar, kind, month, first, last, hours in HIJRI_RULES
    ]
    holidays = [
        holiday
        for holiday in calendar.holidays.all()
        if not (holiday.is_imported and holiday.name.startswith(IMPORTED_EIDS))
    ]
    sla_services.save_calendar(calendar, by=None, holidays=holidays, hijri_rules=rules)
    report.add("Hijri rules", True)


def _memo_calendars(queues: dict) -> None:
    """Memos between the demo's departments count working hours, on the
    department's calendar, unless an administrator chose another."""
    calendar = BusinessCalendar.objects.filter(name=DEMO_CALENDAR).first()
    for queue in queues.values():
        if queue.calendar_id is None and calendar is not None:
            queue.calendar = calendar
            queue.save(update_fields=["calendar"])


def _record_findings(ticket: Ticket, stage: str, agent, findings: dict) -> None:
    """Move a complaint to `stage` through the investigation it needs, with
    the findings an agent would record."""
    fields = {
        "severity": None,
        "root_cause": "",
        "corrective_action": "",
        "resolution_summary": "",
        **findings,
    }
    fields["root_cause_category"] = RootCause.objects.filter(
        name=findings.get("root_cause_category", "")
    ).first()
    if ticket.complaint_stage == Stage.ACKNOWLEDGED:
        complaints.update_complaint(
            ticket, by=agent, **{**fields, "stage": Stage.INVESTIGATING}
        )
    if stage != Stage.INVESTIGATING:
        complaints.update_complaint(ticket, by=agent, stage=stage, **fields)


@transaction.atomic
def seed_demo(password: str = DEFAULT_PASSWORD) -> SeedReport:
    """Create the demo users, queues, customers, tickets, mailbox and email
    tickets that are missing."""
    report = SeedReport()
    users = _staff(report, password)
    queues = _queues(report, users)
    _integrations(report, queues)
    categories = _categories(report)
    customers = _customers(report, password)
    # Before the tickets, so that their due times keep the Eids.
    _hijri_rules(report)
    _memo_calendars(queues)
    now = timezone.now()
    for demo in TICKETS:
        customer = customers[demo.customer]
        if Ticket.objects.filter(customer=customer, subject=demo.subject).exists():
            report.add("tickets", False)
            continue
        agent = users.get(demo.assignee or "agent1")
        ticket = services.open_ticket(
            customer=customer,
            subject=demo.subject,
            body_text=demo.body,
            channel=demo.channel,
            queue=queues[demo.queue],
            kind=demo.kind,
            category=categories[demo.category],
            priority=demo.priority,
            received_at=now - timedelta(hours=demo.hours_ago),
            by=agent if demo.channel in Channel.live() else None,
        )
        # Letters and faxes are entered in the incoming register as logged.
        register_logged_contact(
            ticket,
            ticket.messages.get(),
            received_at=ticket.received_at,
            by=users["agent1"],
        )
        if demo.assignee:
            services.assign_ticket(
                ticket, agent=users[demo.assignee], by=users["supervisor"]
            )
        for step in demo.steps:
            _apply(ticket, step, agent, demo.findings)
        report.add("tickets", True)
    seed_email(report, queue=queues["service"], users=users)
    seed_correspondence(report, users=users, queues=queues, customers=customers)
    # Record the warnings and breaches the demo's past dates imply, as the
    # minute-by-minute sweep would have.
    run_sweep(timezone.now())
    _canned_responses(report)
    # After the canned responses, which some policies govern; acknowledged
    # by the demo's staff, so that signing in leads straight to work.
    seed_policies(report, users)
    _webhook(report, users)
    seed_knowledge(report, users=users)
    return report


def _webhook(report: SeedReport, users: dict) -> None:
    """A supervisor's webhook to a CRM, paused (the demo calls no one), with
    a delivery that went through and one the CRM refused."""
    supervisor = users["supervisor"]
    subscription, made = Subscription.objects.get_or_create(
        owner=supervisor,
        name="CRM",
        defaults={
            "url": "https://crm.example.com/helpdesk/events",
            "events": [EventType.TICKET_CREATED, EventType.SLA_BREACH],
            "is_active": False,
            "paused_at": timezone.now(),
            "after_event_id": TicketEvent.objects.aggregate(m=Max("id"))["m"] or 0,
        },
    )
    report.add("webhooks", made)
    if not made:
        return
    ticket = Ticket.objects.order_by("pk").first()
    now = timezone.now()
    outcomes = [
        (200, "delivered", ""),
        (503, "failed", "HTTP 503: Service Unavailable"),
    ]
    for minutes, (code, state, error) in enumerate(outcomes, start=1):
        Delivery.objects.create(
            subscription=subscription,
            event_type=EventType.TICKET_CREATED,
            ticket_number=ticket.number if ticket else "",
            payload={"type": EventType.TICKET_CREATED},
            state=state,
            attempts=1 if code == 200 else 10,
            response_code=code,
            error=error,
            duration_ms=120,
            created_at=now - timedelta(minutes=minutes),
            last_attempt_at=now - timedelta(minutes=minutes),
        )


CANNED = [
    (
        "ar",
        "شكر واستلام",
        "عزيزي/عزيزتي {customer_name}،\n\nشكرًا لتواصلك معنا. استلمنا طلبك رقم "
        "{ticket_number} وسنرد عليك قبل {due_date}.\n\nمع التحية،\n{agent}",
    ),
    (
        "en",
        "Thanks, received",
        "Dear {customer_name},\n\nThank you for contacting us. We have your "
        "request {ticket_number} and will answer by {due_date}.\n\n"
        "Kind regards,\n{agent}",
    ),
    (
        "ar",
        "طلب معلومات إضافية",
        "عزيزي/عزيزتي {customer_name}،\n\nلإكمال معالجة الطلب {ticket_number} "
        "نرجو تزويدنا بصورة من الفاتورة.\n\n{agent}",
    ),
]


def _canned_responses(report: SeedReport) -> None:
    for language, title, body in CANNED:
        _, made = CannedResponse.objects.get_or_create(
            title=title, defaults={"language": language, "body": body}
        )
        report.add("canned responses", made)
