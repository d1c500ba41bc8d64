"""Large, realistic ticket volumes for benchmarks (`manage.py seed_volume`).

Rows are generated in plain Python from precomputed pools and written in
batches: COPY on PostgreSQL (a million tickets in about two minutes), executemany
on SQLite. Every batch is its own transaction, so an interrupted run leaves
whole tickets behind and the ticket-number counters stay consistent.
"""

import bisect
import math
import random
import secrets
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, models, transaction
from django.utils import timezone

from customers.models import Customer, ServiceTier
from demo.volume_sla import (
    CLOCK_COLUMNS,
    MILESTONE_COLUMNS,
    SLA_EVENT_COLUMNS,
    SLAFactory,
    traits,
)
from helpdesk import search
from helpdesk.channels import Channel
from sla.models import SLAClock, SLAMilestone
from tickets.models import (
    Category,
    Message,
    Queue,
    Ticket,
    TicketEvent,
    format_ticket_number,
    reserve_ticket_numbers,
)
from tickets.permissions import AGENTS, SUPERVISORS

DAY = 86400.0
HOUR = 3600.0
SPAN_DAYS = 730
CUSTOMERS_PER_TICKET = 0.25
VOLUME_AGENTS = 4
VOLUME_SUPERVISORS = 2
POOL_SIZE = 400
TABLE_SIZE = 1000

Status = Ticket.Status
Kind = Ticket.Kind
Priority = Ticket.Priority
IN = Message.Direction.INBOUND.value
OUT = Message.Direction.OUTBOUND.value
NOTE = Message.Direction.INTERNAL.value

# Weights are shares of all tickets; open states are about 30% overall, more
# among recent tickets (see `_open_share`).
KIND_WEIGHTS = {
    Kind.INQUIRY: 45,
    Kind.REQUEST: 30,
    Kind.COMPLAINT: 18,
    Kind.SUGGESTION: 7,
}
CHANNEL_WEIGHTS = {
    Channel.EMAIL: 34,
    Channel.WEB: 25,
    Channel.PHONE: 20,
    Channel.CHAT: 9,
    Channel.WALK_IN: 5,
    Channel.LETTER: 4,
    Channel.FAX: 3,
}
PRIORITY_WEIGHTS = {
    Priority.LOW: 20,
    Priority.NORMAL: 55,
    Priority.HIGH: 18,
    Priority.URGENT: 7,
}
SEVERITY_WEIGHTS = {1: 35, 2: 40, 3: 18, 4: 7}
OPEN_STATUS_WEIGHTS = {Status.NEW: 30, Status.OPEN: 50, Status.PENDING: 20}
DONE_STATUS_WEIGHTS = {Status.RESOLVED: 35, Status.CLOSED: 65}
# Conversation shapes per status: a new ticket has no reply yet (a reply
# opens it), a pending one waits on the customer after a reply.
PATTERNS = {
    Status.NEW: {(IN,): 6, (IN, NOTE): 2, (IN, IN): 1},
    Status.OPEN: {(IN, OUT, IN): 3, (IN, NOTE): 2, (IN, OUT, IN, NOTE): 2, (IN,): 2},
    Status.PENDING: {(IN, OUT): 5, (IN, NOTE, OUT): 2, (IN, OUT, IN, OUT): 2},
    Status.RESOLVED: {
        (IN, OUT): 5,
        (IN, OUT, IN, OUT): 2,
        (IN, NOTE, OUT): 2,
        (IN, OUT, NOTE): 1,
        (IN,): 1,
    },
}
PATTERNS[Status.CLOSED] = PATTERNS[Status.RESOLVED]
# Local-time shape of the traffic: office hours, quieter at the weekend
# (Friday and Saturday in the default Asia/Riyadh calendar).
HOUR_WEIGHTS = [
    1,
    1,
    1,
    1,
    1,
    2,
    4,
    8,
    14,
    16,
    16,
    15,
    12,
    13,
    14,
    13,
    10,
    7,
    5,
    4,
    3,
    2,
    2,
    1,
]
WEEKDAY_WEIGHTS = [10, 10, 10, 10, 4, 3, 10]  # Monday first

# Text pools. "{n}" becomes a plausible order, invoice or request number.
SUBJECTS = {
    "ar": {
        Kind.INQUIRY: [
            "استفسار عن حالة الطلب رقم {n}",
            "استفسار بخصوص الفاتورة رقم {n}",
            "سؤال عن مواعيد العمل خلال الإجازة",
            "استفسار عن رسوم الخدمة",
            "الاستفسار عن متطلبات تجديد الاشتراك",
            "كيف يمكنني تحديث بيانات الحساب؟",
            "استفسار عن مدة معالجة المعاملة {n}",
            "استفسار عن دعم المنتج بعد الشراء",
        ],
        Kind.REQUEST: [
            "طلب تحديث بيانات التواصل",
            "طلب نسخة من الفاتورة رقم {n}",
            "طلب تغيير موعد الزيارة",
            "طلب إلغاء الاشتراك رقم {n}",
            "طلب شهادة تعريف",
            "طلب استرداد المبلغ للطلب رقم {n}",
            "طلب صلاحية دخول إلى النظام",
            "طلب معلومات إضافية عن المعاملة {n}",
        ],
        Kind.COMPLAINT: [
            "شكوى بخصوص تأخر الرد على الطلب {n}",
            "شكوى من سوء التعامل في الفرع",
            "شكوى: خطأ في الفاتورة رقم {n}",
            "تأخر تسليم الطلب رقم {n}",
            "شكوى بخصوص انقطاع الخدمة",
            "لم يتم حل المشكلة رغم التواصل عدة مرات",
        ],
        Kind.SUGGESTION: [
            "اقتراح لتحسين خدمة العملاء",
            "اقتراح إضافة خدمة الدردشة المباشرة",
            "اقتراح تمديد ساعات العمل",
            "مقترح لتبسيط إجراءات التسجيل",
            "اقتراح إرسال إشعارات بحالة الطلب",
        ],
    },
    "en": {
        Kind.INQUIRY: [
            "Question about order {n}",
            "Status of my application {n}",
            "Opening hours during the holidays",
            "What are the service fees?",
            "How do I update my account details?",
            "Renewal requirements for subscription {n}",
            "Product support after purchase",
        ],
        Kind.REQUEST: [
            "Please update my contact details",
            "Copy of invoice {n}",
            "Reschedule my appointment",
            "Cancel subscription {n}",
            "Refund for order {n}",
            "Access to the staff portal",
            "Certificate of employment",
        ],
        Kind.COMPLAINT: [
            "No reply to my request {n}",
            "Wrong amount on invoice {n}",
            "Delivery of order {n} is late",
            "Rude treatment at the branch",
            "Service outage for three days",
            "Problem still not solved after several calls",
        ],
        Kind.SUGGESTION: [
            "Suggestion: live chat on the website",
            "Longer opening hours at the weekend",
            "Send text messages when a request changes",
            "Simplify the registration form",
        ],
    },
}
GREETINGS = {
    "ar": [
        "السلام عليكم ورحمة الله وبركاته،",
        "مرحباً،",
        "تحية طيبة وبعد،",
        "السادة إدارة خدمة العملاء المحترمين،",
        "صباح الخير،",
    ],
    "en": [
        "Hello,",
        "Dear support team,",
        "Hi,",
        "Good morning,",
        "To whom it may concern,",
    ],
}
PROBLEMS = {
    "ar": {
        Kind.INQUIRY: [
            "أود الاستفسار عن حالة طلبي رقم {n} حيث لم يصلني أي تحديث حتى الآن.",
            "أرجو إفادتي بالمستندات المطلوبة لإتمام المعاملة رقم {n}.",
            "هل يمكن معرفة الرسوم المترتبة على تجديد الاشتراك؟",
            "ما هي المدة المتوقعة لمعالجة الطلب المقدم الأسبوع الماضي؟",
            "أرغب في معرفة طريقة الاستفادة من الخدمة الجديدة وشروطها.",
        ],
        Kind.REQUEST: [
            "أرجو تحديث رقم الجوال المسجل لدي إلى الرقم الجديد.",
            "أرغب في الحصول على نسخة من الفاتورة رقم {n}.",
            "نرجو التكرم بإصدار شهادة تعريف باسم الموظف.",
            "أطلب استرداد المبلغ المدفوع عن الطلب رقم {n}.",
            "أرجو تغيير موعد الزيارة إلى الأسبوع القادم إن أمكن.",
        ],
        Kind.COMPLAINT: [
            "تقدمت بطلب منذ أسبوعين ولم أتلق أي رد رغم الاتصال عدة مرات.",
            "تم خصم مبلغ إضافي في الفاتورة رقم {n} دون توضيح.",
            "تعامل الموظف في الفرع لم يكن لائقاً، وأرجو اتخاذ الإجراء المناسب.",
            "الخدمة منقطعة منذ ثلاثة أيام ولم يتم حل المشكلة.",
            "تأخر تسليم الطلب رقم {n} عن الموعد المحدد دون أي إشعار.",
        ],
        Kind.SUGGESTION: [
            "أقترح إضافة خدمة الدردشة المباشرة على الموقع لتسهيل التواصل.",
            "يا حبذا لو تم تمديد ساعات العمل في نهاية الأسبوع.",
            "أقترح إرسال رسائل نصية لإبلاغ العملاء بحالة طلباتهم.",
            "أقترح تبسيط نموذج التسجيل وتقليل عدد الحقول المطلوبة.",
        ],
    },
    "en": {
        Kind.INQUIRY: [
            "Could you tell me the status of my order {n}? I have had no update yet.",
            "Which documents do I need to complete application {n}?",
            "How much does it cost to renew the subscription?",
            "How long does it usually take to process a request like mine?",
            "I would like to know how to use the new service.",
        ],
        Kind.REQUEST: [
            "Please change the mobile number on my account to my new one.",
            "I need a copy of invoice {n} for our accounts department.",
            "Please issue a certificate of employment in my name.",
            "I would like a refund for order {n}.",
            "Could we move the visit to next week?",
        ],
        Kind.COMPLAINT: [
            "I wrote two weeks ago and nobody has answered, despite several calls.",
            "Invoice {n} charges me an extra amount with no explanation.",
            "The staff member at the branch was rude; please look into it.",
            "The service has been down for three days and nothing has been fixed.",
            "Order {n} is late and nobody told me why.",
        ],
        Kind.SUGGESTION: [
            "A live chat on the website would make it easier to reach you.",
            "Please consider opening longer at the weekend.",
            "A text message when my request changes status would help a lot.",
            "The registration form asks for too much; it could be shorter.",
        ],
    },
}
CLOSINGS = {
    "ar": [
        "وشكراً لكم.",
        "مع خالص التحية،",
        "أرجو الرد في أقرب وقت.",
        "شاكر ومقدر تعاونكم.",
    ],
    "en": [
        "Thank you.",
        "Kind regards,",
        "Please reply soon.",
        "Many thanks for your help.",
    ],
}
REPLIES = {
    "ar": [
        "شكراً لتواصلك معنا. تمت مراجعة طلبك رقم {n} وسيتم الانتهاء منه خلال يومي عمل.",
        "نعتذر عن التأخير، وقد تم تصعيد الموضوع إلى القسم المختص.",
        "تم تحديث البيانات بنجاح. نسعد بخدمتك دائماً.",
        "نرجو تزويدنا بصورة من الفاتورة لنتمكن من متابعة الطلب.",
        "تم استرداد المبلغ إلى حسابك، وقد يستغرق ظهوره من ثلاثة إلى خمسة أيام عمل.",
        "شكراً على اقتراحك، تمت إحالته إلى الإدارة المعنية لدراسته.",
    ],
    "en": [
        "Thank you for contacting us. Request {n} has been reviewed and will be "
        "completed within two working days.",
        "We are sorry for the delay; the matter has been escalated to the team "
        "responsible.",
        "Your details have been updated. We are always happy to help.",
        "Could you send us a copy of the invoice so we can follow this up?",
        "The amount has been refunded; it may take three to five working days to "
        "appear.",
        "Thank you for the suggestion; it has been passed to the department concerned.",
    ],
}
SIGNATURES = {"ar": "فريق خدمة العملاء", "en": "Customer service team"}
NOTES = {
    "ar": [
        "تم التواصل مع العميل هاتفياً وأفاد بأن المشكلة مستمرة.",
        "بانتظار رد قسم الحسابات.",
        "العميل من كبار العملاء، يرجى إعطاء الأولوية.",
        "تمت إحالة الطلب إلى الدعم الفني للمراجعة.",
        "تم التحقق من الفاتورة رقم {n} ولا يوجد خطأ في النظام.",
    ],
    "en": [
        "Called the customer; the problem is still there.",
        "Waiting for the accounts team to confirm.",
        "VIP customer, please prioritise.",
        "Passed to technical support for review.",
        "Checked invoice {n}: the system shows no error.",
    ],
}
ROOT_CAUSES = {
    "ar": [
        "خطأ في إدخال البيانات",
        "تأخر من المورد",
        "عطل فني في النظام",
        "نقص في التدريب",
    ],
    "en": ["Data entry error", "Supplier delay", "System fault", "Training gap"],
}
RESOLUTIONS = {
    "ar": [
        "تم تصحيح الفاتورة وإشعار العميل",
        "تم الاعتذار وتعويض العميل",
        "تم إصلاح العطل",
    ],
    "en": [
        "Invoice corrected and customer told",
        "Apology and compensation",
        "Fault fixed",
    ],
}
# Arabic names carry a Latin spelling for the email address.
ARABIC_MEN = [
    ("محمد", "mohammed"),
    ("أحمد", "ahmed"),
    ("عبدالله", "abdullah"),
    ("خالد", "khalid"),
    ("فهد", "fahad"),
    ("سلطان", "sultan"),
    ("عبدالرحمن", "abdulrahman"),
    ("يوسف", "yousef"),
    ("عمر", "omar"),
    ("تركي", "turki"),
    ("نايف", "naif"),
    ("بدر", "badr"),
]
ARABIC_WOMEN = [
    ("سارة", "sara"),
    ("نورة", "noura"),
    ("فاطمة", "fatimah"),
    ("ريم", "reem"),
    ("منيرة", "munira"),
    ("هند", "hind"),
    ("مريم", "maryam"),
    ("لينا", "lina"),
    ("عائشة", "aisha"),
    ("أمل", "amal"),
]
ARABIC_FAMILY = [
    ("العتيبي", "alotaibi"),
    ("القحطاني", "alqahtani"),
    ("الشهري", "alshehri"),
    ("الحربي", "alharbi"),
    ("الغامدي", "alghamdi"),
    ("الزهراني", "alzahrani"),
    ("الدوسري", "aldosari"),
    ("المطيري", "almutairi"),
    ("السبيعي", "alsubaie"),
    ("العنزي", "alanazi"),
    ("الشمري", "alshammari"),
    ("المالكي", "almalki"),
    ("الحازمي", "alhazmi"),
    ("الجهني", "aljohani"),
]
ENGLISH_FIRST = [
    "James", "Mary", "John", "Sarah", "David", "Emma", "Michael", "Laura",
    "Daniel", "Olivia", "Priya", "Raj", "Anna", "Peter", "Grace", "Thomas",
]  # fmt: skip
ENGLISH_FAMILY = [
    "Smith", "Johnson", "Brown", "Taylor", "Wilson", "Khan", "Patel", "Martin",
    "Clarke", "Walker", "Hughes", "Fernandes", "Nair", "Okafor",
]  # fmt: skip
ORGANISATIONS = {
    "ar": [
        "شركة الأفق للتجارة",
        "مؤسسة النخبة للمقاولات",
        "مجموعة الريادة",
        "مستشفى النور",
    ],
    "en": ["Gulf Logistics Ltd", "Northwind Trading", "Al Noor Medical Center", "Acme"],
}
DEPARTMENTS = {
    "ar": [
        "إدارة الموارد البشرية",
        "الإدارة المالية",
        "إدارة تقنية المعلومات",
        "المشتريات",
    ],
    "en": ["Human Resources", "Finance", "Information Technology", "Procurement"],
}
CITIES = {"ar": ["الرياض", "جدة", "الدمام", "مكة المكرمة"], "en": ["Riyadh", "Jeddah"]}
DEFAULT_QUEUES = [
    ("General support", "الدعم العام", "general"),
    ("Billing", "الفواتير", "billing"),
    ("Technical support", "الدعم الفني", "technical"),
    ("Complaints", "الشكاوى", "complaints"),
]
DEFAULT_CATEGORIES = [
    ("Billing", "الفواتير", "billing"),
    ("Orders and delivery", "الطلبات والتوصيل", "orders"),
    ("Accounts", "الحسابات", "accounts"),
    ("Product support", "دعم المنتج", "product"),
    ("Staff services", "خدمات الموظفين", "staff"),
]

CUSTOMER_COLUMNS = (
    "id", "name", "kind", "tier_id", "organisation", "department", "email", "phone",
    "fax", "postal_address", "preferred_language", "preferred_channel",
    "consents_to_promotions", "search_text", "created_at", "updated_at",
)  # fmt: skip
TICKET_COLUMNS = (
    "id", "number", "subject", "kind", "category_id", "channel", "priority", "status",
    "queue_id", "assignee_id", "customer_id", "received_at", "tracking_token",
    "first_responded_at", "resolved_at", "closed_at", "severity", "root_cause",
    "resolution_summary", "resolution_accepted", "is_escalated", "sla_policy_id",
    "due_at", "at_risk_at", "search_text", "created_at", "updated_at",
)  # fmt: skip
MESSAGE_COLUMNS = (
    "ticket_id",
    "direction",
    "channel",
    "author_id",
    "body_text",
    "created_at",
)
EVENT_COLUMNS = ("ticket_id", "actor_id", "action", "new_value", "created_at")


@dataclass
class Reference:
    """Existing rows the generated tickets point at."""

    queue_ids: list[int]
    category_ids: list[int]
    agent_ids: list[int]
    vip_tier_id: int
    standard_tier_id: int


@dataclass
class Totals:
    """Rows added by one run, and how long it took."""

    customers: int = 0
    tickets: int = 0
    messages: int = 0
    events: int = 0
    clocks: int = 0
    milestones: int = 0
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        """All rows written."""
        return (
            self.customers
            + self.tickets
            + self.messages
            + self.events
            + self.clocks
            + self.milestones
        )


def prepare_reference() -> Reference:
    """Reuse queues, categories and agents, creating a few when there are none."""
    if not Queue.objects.exists():
        for name, name_ar, slug in DEFAULT_QUEUES:
            # Breached complaints go to a supervisor, as SPEC suggests.
            Queue.objects.create(
                name=name,
                name_ar=name_ar,
                slug=slug,
                escalate_to_supervisor=slug == "complaints",
            )
    if not Category.objects.exists():
        for name, name_ar, slug in DEFAULT_CATEGORIES:
            Category.objects.create(name=name, name_ar=name_ar, slug=slug)
    queues = list(Queue.objects.all())
    agents_group, _ = Group.objects.get_or_create(name=AGENTS)
    agent_ids = list(
        get_user_model()
        .objects.filter(groups=agents_group, is_active=True)
        .values_list("pk", flat=True)
    )
    if not agent_ids:
        agent_ids = [
            _create_volume_agent(n, agents_group, queues)
            for n in range(1, VOLUME_AGENTS + 1)
        ]
    ensure_supervisors(queues)
    tiers = dict(ServiceTier.objects.values_list("code", "pk"))
    return Reference(
        queue_ids=[queue.pk for queue in queues],
        category_ids=list(
            Category.objects.filter(is_active=True).values_list("pk", flat=True)
        ),
        agent_ids=sorted(agent_ids),
        vip_tier_id=tiers[ServiceTier.VIP],
        standard_tier_id=tiers[ServiceTier.STANDARD],
    )


def ensure_supervisors(queues: Sequence[Queue]) -> None:
    """Give every queue two supervisors when none has any: the SLA sweep
    notifies them of breaches, so the bench should see that work."""
    if not queues or Queue.supervisors.through.objects.exists():
        return
    group, _ = Group.objects.get_or_create(name=SUPERVISORS)
    for n in range(1, VOLUME_SUPERVISORS + 1):
        user, created = get_user_model().objects.get_or_create(
            username=f"volume-supervisor-{n}",
            defaults={"first_name": "Volume", "last_name": f"Supervisor {n}"},
        )
        if created:
            user.set_unusable_password()
            user.save()
        user.groups.add(group)
        for queue in queues:
            queue.supervisors.add(user)


def _create_volume_agent(n: int, group: Group, queues: Sequence[Queue]) -> int:
    """An agent in every queue, with no password: tickets need assignees."""
    user = get_user_model().objects.create_user(
        username=f"volume-agent-{n}", first_name="Volume", last_name=f"Agent {n}"
    )
    user.groups.add(group)
    for queue in queues:
        queue.agents.add(user)
    return user.pk


def _table(weights: dict, size: int = TABLE_SIZE) -> list:
    """A list of exactly `size` keys, each in proportion to its weight.

    Indexing it with `int(random() * size)` is several times faster than
    `random.choices`, which matters at millions of rows.
    """
    total = sum(weights.values())
    table, bound = [], 0.0
    for key, weight in weights.items():
        bound += weight
        table.extend([key] * (round(size * bound / total) - len(table)))
    return table


def _fill(rng: random.Random, template: str) -> str:
    """`template` with "{n}" replaced by a random reference number."""
    return template.replace("{n}", str(rng.randint(10000, 999999)))


class Pools:
    """Ready-made subjects and bodies, so the row loop only picks from lists."""

    def __init__(self, rng: random.Random):
        self.subjects = {}
        self.inbound = {}
        self.replies = {}
        self.notes = {}
        self.root_causes = ROOT_CAUSES
        self.resolutions = RESOLUTIONS
        for lang in ("ar", "en"):
            for kind in Kind.values:
                self.subjects[lang, kind] = [
                    _fill(rng, rng.choice(SUBJECTS[lang][kind]))
                    for _ in range(POOL_SIZE)
                ]
                self.inbound[lang, kind] = [
                    "\n\n".join(
                        (
                            rng.choice(GREETINGS[lang]),
                            _fill(rng, rng.choice(PROBLEMS[lang][kind])),
                            rng.choice(CLOSINGS[lang]),
                        )
                    )
                    for _ in range(POOL_SIZE)
                ]
            self.replies[lang] = [
                f"{_fill(rng, rng.choice(REPLIES[lang]))}\n\n{SIGNATURES[lang]}"
                for _ in range(POOL_SIZE)
            ]
            self.notes[lang] = [
                _fill(rng, rng.choice(NOTES[lang])) for _ in range(POOL_SIZE)
            ]


def customer_rows(
    rng: random.Random, ids: Sequence[int], ref: Reference, start: float
) -> tuple[list[tuple], bytearray, bytearray]:
    """Rows for new customers, each one's language (1 = Arabic), and each
    one's tier and kind for choosing SLA policies (`volume_sla.traits`)."""
    rows = []
    arabic = bytearray()
    kinds = bytearray()
    channel_table = _table(CHANNEL_WEIGHTS)
    random_ = rng.random
    for pk in ids:
        is_arabic = random_() < 0.65
        lang = "ar" if is_arabic else "en"
        if is_arabic:
            first, first_latin = rng.choice(
                ARABIC_MEN if random_() < 0.6 else ARABIC_WOMEN
            )
            family, family_latin = rng.choice(ARABIC_FAMILY)
            if random_() < 0.5:
                # The middle name is the father's.
                name = f"{first} {rng.choice(ARABIC_MEN)[0]} {family}"
            else:
                name = f"{first} {family}"
        else:
            first_latin = rng.choice(ENGLISH_FIRST)
            family_latin = rng.choice(ENGLISH_FAMILY)
            name = f"{first_latin} {family_latin}"
        internal = random_() < 0.25
        vip = random_() < 0.05
        domain = "staff.example.org" if internal else "example.com"
        # The id keeps addresses unique across runs (email is unique, ignoring case).
        email = (
            f"{first_latin.lower()}.{family_latin.lower()}.{pk}@{domain}"
            if random_() < 0.9
            else ""
        )
        created = datetime.fromtimestamp(start - random_() * 365 * DAY, UTC)
        # Drawn in column order, so a seed gives the same customers as before.
        organisation = "" if internal else rng.choice(ORGANISATIONS[lang])
        department = rng.choice(DEPARTMENTS[lang]) if internal else ""
        phone = f"+9665{rng.randrange(10**8):08d}" if random_() < 0.8 else ""
        rows.append(
            (
                pk,
                name,
                Customer.Kind.INTERNAL if internal else Customer.Kind.EXTERNAL,
                ref.vip_tier_id if vip else ref.standard_tier_id,
                organisation,
                department,
                email,
                phone,
                f"+96611{rng.randrange(10**7):07d}" if random_() < 0.05 else "",
                f"P.O. Box {rng.randrange(100, 99999)}, {rng.choice(CITIES[lang])}"
                if random_() < 0.1
                else "",
                lang if random_() < 0.9 else ("en" if is_arabic else "ar"),
                channel_table[int(random_() * TABLE_SIZE)],
                random_() < 0.3,
                search.customer_search_text(name, email, organisation, phone),
                created,
                created,
            )
        )
        arabic.append(is_arabic)
        kinds.append(traits(vip, internal))
    return rows, arabic, kinds


class TimeSlots:
    """Hours of the last two years, weighted by office hours and weekdays.

    Times are drawn by inverting the cumulative weight, each batch from its
    own slice of it, so tickets come out in time order across batches: ids
    and numbers then grow with `received_at`, as in a real helpdesk.
    """

    def __init__(self, now: float, zone: ZoneInfo):
        self.start = (now - SPAN_DAYS * DAY) // HOUR * HOUR
        self.hours = []
        self.lengths = []
        self.cumulative = [0.0]
        moment = self.start
        while moment < now:
            local = datetime.fromtimestamp(moment, zone)
            length = min(HOUR, now - moment)
            weight = HOUR_WEIGHTS[local.hour] * WEEKDAY_WEIGHTS[local.weekday()]
            self.hours.append(moment)
            self.lengths.append(length)
            self.cumulative.append(self.cumulative[-1] + weight * length / HOUR)
            moment += HOUR
        self.total = self.cumulative[-1]

    def draw(self, rng: random.Random, count: int, part: int, parts: int):
        """`count` sorted epoch seconds from the slice `part`/`parts` of time."""
        hours, lengths, cumulative = self.hours, self.lengths, self.cumulative
        last = len(hours) - 1
        low = self.total * part / parts
        width = self.total / parts
        times = []
        for u in sorted(low + rng.random() * width for _ in range(count)):
            i = min(bisect.bisect(cumulative, u) - 1, last)
            share = (u - cumulative[i]) / (cumulative[i + 1] - cumulative[i])
            times.append(hours[i] + min(share, 1.0) * lengths[i])
        return times


def _open_share(age_days: float) -> float:
    """The chance that a ticket received `age_days` ago is still open."""
    # Recent tickets are mostly still open; old ones mostly done. Over two
    # years of even traffic this averages to about 30%.
    return 0.27 + 0.65 * math.exp(-age_days / 20)


class TermCache(dict):
    """The search terms of texts, each text's worked out on first use."""

    def __missing__(self, text: str) -> list[str]:
        found = self[text] = search.terms(text)
        return found


class TicketFactory:
    """Makes the rows of one batch: tickets, their messages and events."""

    def __init__(self, rng: random.Random, ref: Reference, pools: Pools, now: float):
        self.rng = rng
        self.sla = SLAFactory(datetime.fromtimestamp(now, UTC))
        self.ref = ref
        self.pools = pools
        self.now = now
        self.kinds = _table(KIND_WEIGHTS)
        self.channels = _table(CHANNEL_WEIGHTS)
        self.priorities = _table(PRIORITY_WEIGHTS)
        self.severities = _table(SEVERITY_WEIGHTS)
        self.open_statuses = _table(OPEN_STATUS_WEIGHTS)
        self.done_statuses = _table(DONE_STATUS_WEIGHTS)
        self.patterns = {
            status: _table(weights) for status, weights in PATTERNS.items()
        }
        self.customer_ids: list[int] = []
        self.customer_arabic = bytearray()
        self.customer_traits = bytearray()
        # Subjects and bodies come from small pools: each one's search terms
        # are worked out once, not for every ticket that uses it.
        self.terms = TermCache()

    def add_customers(self, ids: Iterable[int], arabic: bytes, kinds: bytes) -> None:
        """Make these customers (languages, tiers and kinds) available to tickets."""
        self.customer_ids.extend(ids)
        self.customer_arabic.extend(arabic)
        self.customer_traits.extend(kinds)

    def rows(self, ids: Sequence[int], numbers: Sequence[str], times: Sequence[float]):
        """Ticket, message and event rows for tickets `ids`, received at `times`."""
        rng, ref, pools, now = self.rng, self.ref, self.pools, self.now
        random_ = rng.random
        token = secrets.token_urlsafe
        stamp = datetime.fromtimestamp
        kinds, channels, priorities = self.kinds, self.channels, self.priorities
        open_statuses, done_statuses = self.open_statuses, self.done_statuses
        patterns, severities = self.patterns, self.severities
        customer_ids, customer_arabic = self.customer_ids, self.customer_arabic
        customer_traits, sla = self.customer_traits, self.sla
        terms = self.terms
        n_customers = len(customer_ids)
        queue_ids, category_ids, agent_ids = (
            ref.queue_ids,
            ref.category_ids,
            ref.agent_ids,
        )
        live = set(Channel.live())
        logged = {Channel.PHONE, Channel.WALK_IN, Channel.LETTER, Channel.FAX}
        active = set(Status.active())
        tickets, messages, events = [], [], []
        for pk, number, received in zip(ids, numbers, times, strict=True):
            # Squaring skews the pick: a few customers write very often.
            c = int(random_() ** 2 * n_customers)
            lang = "ar" if customer_arabic[c] else "en"
            kind = kinds[int(random_() * TABLE_SIZE)]
            channel = channels[int(random_() * TABLE_SIZE)]
            if random_() < _open_share((now - received) / DAY):
                status = open_statuses[int(random_() * TABLE_SIZE)]
            else:
                status = done_statuses[int(random_() * TABLE_SIZE)]
            is_open = status in active
            agent = agent_ids[int(random_() * len(agent_ids))]
            assignee = agent if random_() < (0.7 if is_open else 0.95) else None
            staff = assignee or agent
            # Live channels are answered in minutes, written ones in hours; an
            # eighth of the ticket's age at most, so the whole conversation
            # (three gaps of up to 2.1 and one of 1) ends before now.
            gap = min(
                0.25 * HOUR if channel in live else 20 * HOUR, (now - received) / 8
            )
            received_at = stamp(received, UTC)
            author = staff if channel in logged else None
            priority = priorities[int(random_() * TABLE_SIZE)]
            policy = sla.policy(channel, customer_traits[c], kind, priority)
            first_message = len(messages)
            messages.append(
                (
                    pk,
                    IN,
                    channel,
                    author,
                    rng.choice(pools.inbound[lang, kind]),
                    received_at,
                )
            )
            moment = received
            first_response = None
            pattern = patterns[status]
            for direction in pattern[int(random_() * len(pattern))][1:]:
                moment += gap * (0.1 + 2 * random_())
                at = stamp(moment, UTC)
                if direction == OUT:
                    body = rng.choice(pools.replies[lang])
                    first_response = first_response or at
                    message_author = staff
                elif direction == NOTE:
                    body = rng.choice(pools.notes[lang])
                    message_author = staff
                else:
                    body = rng.choice(pools.inbound[lang, kind])
                    message_author = None
                messages.append((pk, direction, channel, message_author, body, at))
            resolved_at = closed_at = None
            if not is_open:
                moment += gap * random_()
                resolved_at = stamp(moment, UTC)
                if status == Status.CLOSED:
                    moment += min(7 * DAY, now - moment) * random_()
                    closed_at = stamp(moment, UTC)
            complaint = kind == Kind.COMPLAINT
            done_complaint = complaint and not is_open
            conversation = messages[first_message:]
            due_at, at_risk_at = sla.ticket(
                pk, policy, status, conversation, resolved_at, staff
            )
            subject = rng.choice(pools.subjects[lang, kind])
            # As `search.search_text(subject, *bodies)`, from each pooled
            # text's terms, worked out once.
            indexed = dict.fromkeys(terms[subject])
            for message in conversation:
                indexed.update(dict.fromkeys(terms[message[4]]))
            tickets.append(
                (
                    pk,
                    number,
                    subject,
                    kind,
                    category_ids[int(random_() * len(category_ids))]
                    if category_ids and random_() < 0.9
                    else None,
                    channel,
                    priority,
                    status,
                    queue_ids[int(random_() * len(queue_ids))],
                    assignee,
                    customer_ids[c],
                    received_at,
                    token(32),
                    first_response,
                    resolved_at,
                    closed_at,
                    severities[int(random_() * TABLE_SIZE)] if complaint else None,
                    rng.choice(pools.root_causes[lang]) if done_complaint else "",
                    rng.choice(pools.resolutions[lang]) if done_complaint else "",
                    (random_() < 0.8) if done_complaint else None,
                    random_() < (0.15 if complaint else 0.02),
                    policy.id if policy else None,
                    due_at,
                    at_risk_at,
                    " ".join(indexed),
                    received_at,
                    stamp(moment, UTC),
                )
            )
            events.append(
                (pk, author, TicketEvent.Action.CREATED.value, number, received_at)
            )
        return tickets, messages, events


def _constant_columns(model: type[models.Model], columns: Sequence[str]):
    """Columns the generator leaves out, with the value each row gets.

    Fields added to the model later are filled with their default, so the
    command keeps working; a field it cannot fill safely stops it early.
    """
    names, values = [], []
    for model_field in model._meta.concrete_fields:
        if model_field.column in columns or model_field.primary_key:
            continue
        if model_field.db_default is not models.NOT_PROVIDED:
            continue
        value = model_field.get_default()
        if (model_field.unique and value is not None) or (
            value is None and not model_field.null
        ):
            raise RuntimeError(
                f"seed_volume cannot fill {model.__name__}.{model_field.name}; "
                "teach demo/volume.py about it."
            )
        names.append(model_field.column)
        values.append(model_field.get_db_prep_save(value, connection))
    return names, tuple(values)


def write_rows(model: type[models.Model], columns: Sequence[str], rows: list) -> None:
    """Insert `rows` (tuples in `columns` order): COPY on PostgreSQL."""
    extra_names, extra = _constant_columns(model, columns)
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    column_list = ", ".join(quote(name) for name in (*columns, *extra_names))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
                write_row = copy.write_row
                for row in rows:
                    write_row(row + extra)
            return
        placeholders = ", ".join(["%s"] * (len(columns) + len(extra)))
        cursor.executemany(
            f"INSERT INTO {table} ({column_list}) VALUES ({placeholders})",
            [tuple(_adapt(v) for v in row) + extra for row in rows],
        )


def _adapt(value):
    """A value as the non-PostgreSQL backends store it."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, timedelta):
        return value // timedelta(microseconds=1)
    return value


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` fresh primary keys for `model`, taken inside the current transaction."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                "FROM generate_series(1, %s)",
                [table, count],
            )
            return sorted(row[0] for row in cursor.fetchall())
        # SQLite has a single writer: a conflicting writer makes this
        # transaction fail rather than reuse an id.
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        last = cursor.fetchone()[0]
    return list(range(last + 1, last + 1 + count))


def _numbers(times: Sequence[float], zone: ZoneInfo) -> list[str]:
    """Reference numbers for tickets received at `times`, reserved per year."""
    years = [datetime.fromtimestamp(moment, zone).year for moment in times]
    values = {}
    for year in sorted(set(years)):
        values[year] = iter(reserve_ticket_numbers(year, years.count(year)))
    return [format_ticket_number(year, next(values[year])) for year in years]


def seed_volume(
    tickets: int,
    *,
    seed: int | None = None,
    batch: int = 25_000,
    progress: Callable[[str], None] = print,
) -> Totals:
    """Add `tickets` tickets with customers, messages and events; return counts."""
    rng = random.Random(seed)
    zone = ZoneInfo(settings.TIME_ZONE)
    now = timezone.now().timestamp()
    totals = Totals()
    started = time.perf_counter()
    with transaction.atomic():
        ref = prepare_reference()
    pools = Pools(rng)
    slots = TimeSlots(now, zone)
    factory = TicketFactory(rng, ref, pools, now)

    customers = max(1, round(tickets * CUSTOMERS_PER_TICKET))
    for offset in range(0, customers, batch):
        count = min(batch, customers - offset)
        with transaction.atomic():
            ids = reserve_ids(Customer, count)
            rows, arabic, kinds = customer_rows(rng, ids, ref, slots.start)
            write_rows(Customer, CUSTOMER_COLUMNS, rows)
        factory.add_customers(ids, arabic, kinds)
        totals.customers += count
    progress(f"{totals.customers:,} customers")

    parts = math.ceil(tickets / batch)
    for part in range(parts):
        count = min(batch, tickets - part * batch)
        times = slots.draw(rng, count, part, parts)
        # Reserved before the batch's transaction, which would otherwise hold
        # the year's counter row (and every new ticket of the app) until it
        # commits. A failed batch only leaves a gap in the numbers.
        numbers = _numbers(times, zone)
        with transaction.atomic():
            ids = reserve_ids(Ticket, count)
            ticket_rows, message_rows, event_rows = factory.rows(ids, numbers, times)
            clock_rows, milestone_rows, sla_rows = factory.sla.take(
                reserve_ids(SLAClock, len(factory.sla.clocks)),
                reserve_ids(SLAMilestone, len(factory.sla.milestones)),
            )
            write_rows(Ticket, TICKET_COLUMNS, ticket_rows)
            write_rows(Message, MESSAGE_COLUMNS, message_rows)
            write_rows(TicketEvent, EVENT_COLUMNS, event_rows)
            write_rows(SLAClock, CLOCK_COLUMNS, clock_rows)
            write_rows(SLAMilestone, MILESTONE_COLUMNS, milestone_rows)
            write_rows(TicketEvent, SLA_EVENT_COLUMNS, sla_rows)
        totals.tickets += count
        totals.messages += len(message_rows)
        totals.events += len(event_rows) + len(sla_rows)
        totals.clocks += len(clock_rows)
        totals.milestones += len(milestone_rows)
        elapsed = time.perf_counter() - started
        progress(
            f"{totals.tickets:,}/{tickets:,} tickets, {totals.messages:,} messages "
            f"({totals.rows / elapsed:,.0f} rows/s)"
        )

    if connection.vendor == "postgresql":
        # As autovacuum would soon: statistics, hint bits and the visibility
        # map, so the first benchmark does not pay for them. VACUUM cannot
        # run inside a transaction (as in tests); ANALYZE alone can.
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        tables = (Customer, Ticket, Message, TicketEvent, SLAClock, SLAMilestone)
        with connection.cursor() as cursor:
            for model in tables:
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(f"{command} {table}")
    totals.seconds = time.perf_counter() - started
    return totals
