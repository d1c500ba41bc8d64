"""The seven letters a department writes again and again, in Arabic and
English. Positive and clear: thanks first, what happens next and by when, the
reasons and the route of appeal in a refusal, an offer of help at the end."""

from django.db import migrations

EN_GREETING = "Dear {{ customer_name }},\n\n"
EN_CLOSING = "\n\nYours sincerely,\n\n{{ agent_name }}\n{{ department }}"
AR_GREETING = (
    "السادة/ {{ customer_name }} المحترمين،\n\n"
    "السلام عليكم ورحمة الله وبركاته، وبعد:\n\n"
)
AR_CLOSING = (
    "\n\nوتفضلوا بقبول فائق الاحترام والتقدير،\n\n{{ agent_name }}\n{{ department }}"
)

# kind: (needs approval, English title, English text, Arabic title, Arabic text)
TEMPLATES = {
    "acknowledgement": (
        False,
        "We have received your request",
        "Thank you for writing to us. We received your letter on {{ received_on }} "
        "({{ received_on_hijri }}) and registered it under number "
        "{{ incoming_number }}; your request is followed under ticket "
        "{{ ticket_number }}.\n\n"
        "Our team is now studying it, and we will send you our answer by "
        "{{ due_on }} ({{ due_on_hijri }}). Please quote the ticket number "
        "whenever you contact us, so that we can help you quickly.",
        "إفادة باستلام طلبكم",
        "نشكركم على تواصلكم معنا، ونفيدكم بأننا تسلّمنا خطابكم بتاريخ "
        "{{ received_on }} الموافق {{ received_on_hijri }}، وقُيّد في سجل الوارد "
        "برقم {{ incoming_number }}، ونتابع طلبكم تحت رقم التذكرة "
        "{{ ticket_number }}.\n\n"
        "يعمل فريقنا الآن على دراسة طلبكم، وسنوافيكم بالرد في موعد أقصاه "
        "{{ due_on }} الموافق {{ due_on_hijri }}. نرجو ذكر رقم التذكرة عند "
        "تواصلكم معنا لنخدمكم بسرعة.",
    ),
    "more_information": (
        False,
        "Information we need to complete your request",
        "Thank you for your request of {{ received_on }} (ticket "
        "{{ ticket_number }}). To complete it, we need the following from you:\n\n"
        "{{ requested_information }}\n\n"
        "Please send it to us by {{ due_on }} ({{ due_on_hijri }}), by replying "
        "to this letter or by bringing it to our office, quoting ticket "
        "{{ ticket_number }}. As soon as we receive it, we will continue with "
        "your request.\n\n"
        "If anything is unclear, we will gladly help.",
        "طلب استكمال معلومات",
        "نشكركم على طلبكم المؤرخ في {{ received_on }} (رقم التذكرة "
        "{{ ticket_number }})، ولنتمكن من إنجازه نرجو تزويدنا بما يلي:\n\n"
        "{{ requested_information }}\n\n"
        "نأمل إرسال ذلك في موعد أقصاه {{ due_on }} الموافق {{ due_on_hijri }}، "
        "بالرد على هذا الخطاب أو بتسليمه في مكتبنا مع ذكر رقم التذكرة "
        "{{ ticket_number }}، وسنستكمل طلبكم فور وصوله.\n\n"
        "ويسعدنا مساعدتكم في أي استفسار.",
    ),
    "rejection": (
        True,
        "Our answer to your request",
        "Thank you for your request of {{ received_on }} ({{ received_on_hijri }}), "
        "ticket {{ ticket_number }}, which we have studied carefully.\n\n"
        "We regret that we are unable to approve it, for the following "
        "reasons:\n\n"
        "{{ reasons }}\n\n"
        "If you disagree with this decision, you may appeal by "
        "{{ appeal_route }}, quoting ticket {{ ticket_number }} and enclosing "
        "any document that supports your request. Your appeal will be reviewed "
        "by someone who did not take this decision.\n\n"
        "We will gladly explain this decision further, or look with you at "
        "other options that may meet your need.",
        "الرد على طلبكم",
        "نشكركم على طلبكم المؤرخ في {{ received_on }} الموافق "
        "{{ received_on_hijri }} (رقم التذكرة {{ ticket_number }})، وقد درسناه "
        "بعناية.\n\n"
        "ونأسف لإفادتكم بأنه تعذّرت الموافقة عليه للأسباب التالية:\n\n"
        "{{ reasons }}\n\n"
        "وإن لم تتفقوا مع هذا القرار، يحق لكم التظلم منه {{ appeal_route }}، "
        "مع ذكر رقم التذكرة {{ ticket_number }} وإرفاق ما يدعم طلبكم من "
        "مستندات، وسينظر في تظلمكم من لم يشارك في اتخاذ هذا القرار.\n\n"
        "ويسعدنا أن نوضح لكم هذا القرار بتفصيل أكثر، أو أن نبحث معكم بدائل "
        "أخرى قد تلبي حاجتكم.",
    ),
    "follow_up": (
        False,
        "An update on your request",
        "We are writing to update you on your request {{ ticket_number }}, "
        "received on {{ received_on }}. Here is where it stands:\n\n"
        "{{ summary }}\n\n"
        "We expect to send you our final answer by {{ due_on }} "
        "({{ due_on_hijri }}), and we will let you know straight away if we "
        "need anything more from you.\n\n"
        "Thank you for your patience.",
        "إفادة بمستجدات طلبكم",
        "نود إطلاعكم على مستجدات طلبكم رقم {{ ticket_number }} الوارد بتاريخ "
        "{{ received_on }}، وفيما يلي ما تم حتى الآن:\n\n"
        "{{ summary }}\n\n"
        "ونتوقع موافاتكم بالرد النهائي في موعد أقصاه {{ due_on }} الموافق "
        "{{ due_on_hijri }}، وسنبادر بإبلاغكم فورًا إن احتجنا إلى أي شيء منكم.\n\n"
        "شاكرين لكم حسن تعاونكم وصبركم.",
    ),
    "resolution": (
        False,
        "Your request has been completed",
        "We are pleased to let you know that your request {{ ticket_number }}, "
        "received on {{ received_on }}, has been completed:\n\n"
        "{{ summary }}\n\n"
        "If anything is not as you expected, please reply quoting the ticket "
        "number and we will look into it straight away. Thank you for giving us "
        "the opportunity to serve you.",
        "إفادة بإنجاز طلبكم",
        "يسعدنا إبلاغكم بأنه تم إنجاز طلبكم رقم {{ ticket_number }} الوارد "
        "بتاريخ {{ received_on }}، على النحو التالي:\n\n"
        "{{ summary }}\n\n"
        "وإن وجدتم أي أمر على غير ما توقعتم، نرجو الرد على هذا الخطاب مع ذكر "
        "رقم التذكرة، وسنتابعه معكم فورًا. شاكرين لكم إتاحة الفرصة لخدمتكم.",
    ),
    "apology": (
        False,
        "Our apology",
        "Thank you for bringing this to our attention (ticket "
        "{{ ticket_number }}). We are sorry for the inconvenience you "
        "experienced, and we take full responsibility for it.\n\n"
        "Here is what we have done to put it right:\n\n"
        "{{ summary }}\n\n"
        "We have also reviewed how this happened, so that it does not happen "
        "again. We value your trust, and we remain at your service.",
        "اعتذار",
        "نشكركم على إبلاغنا بما واجهتموه (رقم التذكرة {{ ticket_number }})، "
        "ونعتذر إليكم عمّا سببه لكم ذلك من إزعاج، ونتحمل مسؤوليته كاملة.\n\n"
        "وقد قمنا بما يلي لتصحيحه:\n\n"
        "{{ summary }}\n\n"
        "كما راجعنا أسباب ما حدث حتى لا يتكرر. نعتز بثقتكم، ونحن في خدمتكم "
        "دائمًا.",
    ),
    "decision": (
        True,
        "Decision on your request",
        "Further to your request of {{ received_on }} ({{ received_on_hijri }}), "
        "ticket {{ ticket_number }}, we inform you of the following "
        "decision:\n\n"
        "{{ decision }}\n\n"
        "The grounds for this decision are:\n\n"
        "{{ reasons }}\n\n"
        "If you disagree with it, you may appeal by {{ appeal_route }}, quoting "
        "ticket {{ ticket_number }}.\n\n"
        "We will gladly answer any question you have about this decision.",
        "قرار بشأن طلبكم",
        "إشارة إلى طلبكم المؤرخ في {{ received_on }} الموافق "
        "{{ received_on_hijri }} (رقم التذكرة {{ ticket_number }})، نفيدكم بأنه "
        "تقرر ما يلي:\n\n"
        "{{ decision }}\n\n"
        "وذلك للأسباب التالية:\n\n"
        "{{ reasons }}\n\n"
        "وإن لم تتفقوا مع هذا القرار، يحق لكم التظلم منه {{ appeal_route }}، "
        "مع ذكر رقم التذكرة {{ ticket_number }}.\n\n"
        "ويسعدنا الإجابة عن أي استفسار لديكم بشأن هذا القرار.",
    ),
}


def ship(apps, schema_editor):
    LetterTemplate = apps.get_model("letters", "LetterTemplate")
    for kind, (approval, en_title, en_text, ar_title, ar_text) in TEMPLATES.items():
        for language, title, text in [
            ("en", en_title, EN_GREETING + en_text + EN_CLOSING),
            ("ar", ar_title, AR_GREETING + ar_text + AR_CLOSING),
        ]:
            LetterTemplate.objects.get_or_create(
                kind=kind,
                language=language,
                is_active=True,
                defaults={"title": title, "body": text, "needs_approval": approval},
            )


class Migration(migrations.Migration):
    dependencies = [("letters", "0001_letter_templates")]

    operations = [migrations.RunPython(ship, migrations.RunPython.noop)]
