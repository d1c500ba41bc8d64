"""The demo's service policies (after the department's own guidance on
service: speed, clear and positive language, keeping promises, knowing the
customer), each published and acknowledged by the demo's staff, so that
signing in leads straight to work."""

from __future__ import annotations

from django.utils import timezone

from letters.models import LetterTemplate
from policies import services
from policies.models import Policy
from policies.staff import staff_members
from tickets.models import CannedResponse

# slug, [(title, title_ar, body, body_ar, what changed), ...] oldest first;
# what changed is (English, Arabic).
POLICIES = [
    (
        "response-times",
        [
            (
                "Response times we promise",
                "مواعيد الرد التي نلتزم بها",
                "Every customer is told, on the day they write, when they will "
                "hear from us.\n\n"
                "Written requests (email, web form, letter, fax) get a first "
                "answer within 48 working hours. Calls, chats and visits are "
                "answered while the customer is with us; anything left to do is "
                "followed up within one working day.\n\n"
                "If we cannot keep a date, we tell the customer before it passes, "
                "with a new date and the reason.",
                "يُبلَّغ كل عميل، في يوم تواصله معنا، بموعد ردنا عليه.\n\n"
                "تحصل الطلبات المكتوبة (البريد الإلكتروني ونموذج الموقع والخطاب "
                "والفاكس) على رد أول خلال 48 ساعة عمل. ويُرد على المكالمات "
                "والمحادثات والزيارات أثناء التواصل، وما يبقى منها يُتابَع خلال يوم "
                "عمل واحد.\n\n"
                "إذا تعذر الوفاء بموعد أبلغنا العميل قبل حلوله بموعد جديد وسببه.",
                ("", ""),
            ),
            (
                "Response times we promise",
                "مواعيد الرد التي نلتزم بها",
                "Every customer is told, on the day they write, when they will "
                "hear from us.\n\n"
                "Written requests (email, web form, letter, fax) get a first "
                "answer within 48 working hours; VIP customers within 4 working "
                "hours. Calls, chats and visits are answered while the customer "
                "is with us; anything left to do is followed up within one "
                "working day.\n\n"
                "If we cannot keep a date, we tell the customer before it passes, "
                "with a new date and the reason.",
                "يُبلَّغ كل عميل، في يوم تواصله معنا، بموعد ردنا عليه.\n\n"
                "تحصل الطلبات المكتوبة (البريد الإلكتروني ونموذج الموقع والخطاب "
                "والفاكس) على رد أول خلال 48 ساعة عمل، ولكبار العملاء خلال 4 ساعات "
                "عمل. ويُرد على المكالمات والمحادثات والزيارات أثناء التواصل، وما "
                "يبقى منها يُتابَع خلال يوم عمل واحد.\n\n"
                "إذا تعذر الوفاء بموعد أبلغنا العميل قبل حلوله بموعد جديد وسببه.",
                (
                    "VIP customers: first answer within 4 working hours.",
                    "كبار العملاء: رد أول خلال 4 ساعات عمل.",
                ),
            ),
        ],
    ),
    (
        "complaints",
        [
            (
                "Handling complaints",
                "معالجة الشكاوى",
                "A complaint is a chance to keep a customer. Listen to the end, "
                "thank the customer for telling us, and take responsibility for "
                "our mistakes.\n\n"
                "Gather the facts before deciding, explain each step to the "
                "customer, and offer a choice where there is one. Every complaint "
                "has a root cause recorded and a resolution the customer is asked "
                "to accept.",
                "الشكوى فرصة للاحتفاظ بالعميل. استمع حتى النهاية، واشكر العميل على "
                "إبلاغنا، وتحمّل مسؤولية أخطائنا.\n\n"
                "اجمع الحقائق قبل اتخاذ القرار، واشرح للعميل كل خطوة، وقدّم له "
                "البدائل حيث وُجدت. تُسجَّل لكل شكوى أسبابها الجذرية وحلٌّ يُسأل "
                "العميل عن قبوله.",
                ("", ""),
            ),
        ],
    ),
    (
        "vip-service",
        [
            (
                "Service for VIP customers",
                "خدمة كبار العملاء",
                "Know your VIP customers: their interests, their needs and their "
                "history with us. Anticipate what they will ask for, answer "
                "first, and reassure them that their request is in hand.\n\n"
                "A VIP complaint goes to the queue's supervisor at once.",
                "اعرف كبار عملائك: اهتماماتهم واحتياجاتهم وتاريخهم معنا. توقّع ما "
                "سيطلبونه، وبادر بالرد، وطمئنهم إلى أن طلبهم قيد التنفيذ.\n\n"
                "تُحال شكوى كبار العملاء إلى مشرف القائمة فورًا.",
                ("", ""),
            ),
        ],
    ),
    (
        "letter-tone",
        [
            (
                "The tone of our letters",
                "أسلوب خطاباتنا",
                "Write as you would speak to a respected guest: a greeting, short "
                "sentences, plain words, and a closing with your name.\n\n"
                "Say what we can do before what we cannot; give a reason and a "
                "next step with every refusal, and a date with every promise. "
                "Never blame the customer.",
                "اكتب كما تخاطب ضيفًا عزيزًا: تحية، وجمل قصيرة، وكلمات واضحة، "
                "وخاتمة باسمك.\n\n"
                "ابدأ بما نستطيع فعله قبل ما لا نستطيع، واذكر السبب والخطوة التالية "
                "مع كل اعتذار عن طلب، وموعدًا مع كل وعد. ولا تلُم العميل أبدًا.",
                ("", ""),
            ),
        ],
    ),
]

# Which texts follow which policy: canned responses by title, and every
# letter template.
CANNED_FOLLOW = {"Thanks, received": "response-times", "شكر واستلام": "response-times"}
LETTERS_FOLLOW = "letter-tone"


def seed_policies(report, users: dict) -> None:
    """Publish the demo's policies (the texts that follow one are linked after
    its first version, so those of a policy with a second version show
    "needs review"), then have every member of staff acknowledge them."""
    author = users["supervisor"]
    for slug, versions in POLICIES:
        if Policy.objects.filter(slug=slug).exists():
            report.add("service policies", False)
            continue
        policy = Policy.objects.create(slug=slug)
        for number, (title, title_ar, body, body_ar, summary) in enumerate(versions):
            draft = services.write_version(
                policy,
                title=title,
                title_ar=title_ar,
                body=body,
                body_ar=body_ar,
                change_summary=summary[0],
                change_summary_ar=summary[1],
                by=author,
            )
            services.publish_version(draft, now=timezone.now())
            if number == 0:
                _link(policy)
        report.add("service policies", True)
    in_force = [
        policy.current_version
        for policy in Policy.objects.in_force().select_related("current_version")
    ]
    for person in staff_members():
        services.acknowledge(person, in_force, now=timezone.now())


def _link(policy: Policy) -> None:
    titles = [title for title, slug in CANNED_FOLLOW.items() if slug == policy.slug]
    CannedResponse.objects.filter(title__in=titles, policy=None).update(policy=policy)
    if policy.slug == LETTERS_FOLLOW:
        LetterTemplate.objects.filter(policy=None).update(policy=policy)
