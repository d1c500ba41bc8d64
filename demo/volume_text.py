"""The texts of generated tickets (subjects, messages, notes), Arabic and English."""

import random

from helpdesk import search
from tickets.models import Ticket

POOL_SIZE = 400

Kind = Ticket.Kind

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


class TermCache(dict):
    """The search terms of texts, each text's worked out on first use."""

    def __missing__(self, text: str) -> list[str]:
        found = self[text] = search.terms(text)
        return found
