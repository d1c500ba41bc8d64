"""The demo's knowledge base: public articles customers find on the web form
(Arabic and English, some translations of each other), internal ones for
staff drawn from the department's reading on service (../shared/seeds/),
one article past its review date, and some readers' feedback."""

from datetime import timedelta

from django.utils import timezone

from knowledge import services as knowledge
from knowledge.models import Article, ArticleCategory, ArticleMonthViews, Deflection

CATEGORIES = [
    ("requests", "Your requests", "طلباتك لدينا", 1),
    ("orders", "Orders and delivery", "الطلبات والتوصيل", 2),
    ("billing", "Billing and refunds", "الفواتير والاسترداد", 3),
    ("service", "Service standards", "معايير الخدمة", 4),
]

PUBLIC, INTERNAL = Article.Visibility.PUBLIC, Article.Visibility.INTERNAL

# (key, category, language, visibility, title, summary, body, translation of)
ARTICLES = [
    (
        "follow-ar",
        "requests",
        "ar",
        PUBLIC,
        "كيف تتابع طلبك لدينا",
        "رابط المتابعة الخاص يصلك فور إرسال الطلب.",
        "عند إرسال طلبك من نموذج التواصل يصلك رقم مرجعي مثل HD-2026-000123 "
        "وموعد الرد المتوقع ورابط متابعة خاص.\n\n"
        "## خطوات المتابعة\n\n"
        "1. افتح رابط المتابعة من رسالة البريد التي وصلتك.\n"
        "2. اقرأ حالة الطلب وآخر رد من فريقنا.\n"
        "3. أضف ردًا أو مرفقًا إن طلبنا منك معلومات إضافية.\n\n"
        "إن فقدت الرابط فاطلب رابط دخول إلى بوابة العملاء ببريدك الإلكتروني "
        "لترى جميع طلباتك.",
        None,
    ),
    (
        "follow-en",
        "requests",
        "en",
        PUBLIC,
        "How to follow your request",
        "Your private tracking link arrives as soon as you send a request.",
        "When you send a request from the contact form you get a reference "
        "number such as HD-2026-000123, the time by which we will answer, and a "
        "private tracking link.\n\n"
        "## Following it\n\n"
        "1. Open the tracking link from the email we sent you.\n"
        "2. Read the status of the request and our latest reply.\n"
        "3. Add a reply or a file if we asked you for more information.\n\n"
        "Lost the link? Ask for a sign-in link with your email address to see "
        "all your requests in the portal.",
        "follow-ar",
    ),
    (
        "refund-ar",
        "billing",
        "ar",
        PUBLIC,
        "استرداد المبلغ بعد إلغاء الطلب",
        "متى يعود المبلغ إلى بطاقتك أو حسابك بعد الإلغاء.",
        "إذا ألغيت طلبك قبل شحنه يعاد المبلغ كاملًا بالطريقة نفسها التي دفعت بها.\n\n"
        "- البطاقات الائتمانية: خلال خمسة أيام عمل من تاريخ الإلغاء.\n"
        "- التحويل البنكي: خلال سبعة أيام عمل، ونرسل لك إشعارًا بالتحويل.\n"
        "- الدفع عند الاستلام: لا يُخصم أي مبلغ.\n\n"
        "إن مضت المدة ولم يصلك المبلغ فأرسل لنا طلبًا مع رقم الطلب وصورة من "
        "كشف الحساب، وسنتابع الاسترداد مع البنك.",
        None,
    ),
    (
        "invoice-ar",
        "billing",
        "ar",
        PUBLIC,
        "طلب فاتورة ضريبية",
        "الفاتورة الضريبية المفصلة متاحة لكل طلب مكتمل.",
        "تصدر الفاتورة الضريبية تلقائيًا عند اكتمال الطلب وتصلك بالبريد.\n\n"
        "إن احتجت فاتورة باسم شركة أو برقم ضريبي مختلف فأرسل طلبًا من نوع "
        "«طلب» واذكر فيه رقم الطلب والاسم والرقم الضريبي، ونرسلها خلال يومي عمل.",
        None,
    ),
    (
        "delivery-en",
        "orders",
        "en",
        PUBLIC,
        "Delivery times and delayed shipments",
        "How long delivery takes, and what to do when a parcel is late.",
        "Orders inside the city arrive within 2 working days; other cities "
        "within 5 working days.\n\n"
        "## If your parcel is late\n\n"
        "- Check the tracking number in your order confirmation.\n"
        "- Parcels held at customs can take 3 more working days.\n"
        "- Still nothing after that? Send us a request with your order number "
        "and we will trace it with the carrier.",
        None,
    ),
    (
        "delivery-ar",
        "orders",
        "ar",
        PUBLIC,
        "مواعيد التوصيل وتأخر الشحنات",
        "كم يستغرق التوصيل، وماذا تفعل إن تأخرت شحنتك.",
        "تصل الطلبات داخل المدينة خلال يومي عمل، وإلى المدن الأخرى خلال خمسة "
        "أيام عمل.\n\n"
        "## إن تأخرت شحنتك\n\n"
        "- راجع رقم التتبع في رسالة تأكيد الطلب.\n"
        "- قد تحتاج الشحنات المحتجزة في الجمارك ثلاثة أيام عمل إضافية.\n"
        "- إن لم تصل بعد ذلك فأرسل لنا طلبًا برقم الطلب وسنتتبعها مع شركة الشحن.",
        "delivery-en",
    ),
    (
        "principles-ar",
        "service",
        "ar",
        INTERNAL,
        "المبادئ الأساسية لخدمة العملاء الفعالة",
        "سرعة الخدمة والفعالية ومعرفة العميل: ما نلتزم به في كل رد.",
        "## سرعة الخدمة\n\n"
        "مدى سرعة حصول العملاء على الخدمات التي يطلبونها.\n\n"
        "- توجيه الأسئلة لمعرفة احتياجات العميل وتوقعاته.\n"
        "- سرعة الاستجابة عند وجود مشكلة لدى العميل.\n"
        "- شرح الإجراءات وسير العمل للعميل وطمأنته بأن طلبه سيُستوفى.\n"
        "- تحمل مسؤولية الأخطاء وتوضيح كيفية تصحيحها.\n\n"
        "## الفعالية\n\n"
        "- جمع الحقائق والآراء وتقييمها قبل اتخاذ القرار.\n"
        "- مراعاة أثر القرار على العميل، وتوفير خيارات أو بدائل أمامه.\n\n"
        "## معرفة العميل\n\n"
        "تعرّف على اهتمامات العميل واحتياجاته، واسأله أسئلة دقيقة تكشف ما "
        "يحتاجه فعلًا.",
        None,
    ),
    (
        "skills-ar",
        "service",
        "ar",
        INTERNAL,
        "مهارات التعامل مع العملاء: الصبر والتواصل الواضح",
        "الصبر أولًا، ثم الوضوح: دون أن يصبح الصبر ذريعة للبطء.",
        "## الصبر\n\n"
        "يصل العملاء إلينا غالبًا وهم مرتبكون أو محبطون؛ خذ وقتك لفهم المشكلة، "
        "فالخدمة المتقنة تتفوق على الخدمة السريعة. لكن لا تجعل الصبر ذريعة "
        "للتباطؤ.\n\n"
        "## التواصل الواضح\n\n"
        "- ادخل في صلب المشكلة مباشرة.\n"
        "- اكتب بطريقة واضحة وسهلة، وتجنب ما قد يُفهم على غير وجهه.\n"
        "- إن وعدت بشيء فاذكر موعده، وإن لم تستطع فاذكر السبب والخطوة التالية.",
        None,
    ),
    (
        "policies-en",
        "service",
        "en",
        INTERNAL,
        "Why our written service policies matter",
        "Policies set the standard, train new staff and keep promises consistent.",
        "Customers spend their money where they feel valued. A written service "
        "policy defines that relationship and gives every member of staff the "
        "same standard to meet.\n\n"
        "- Training: staff cannot deliver excellent service unless they know "
        "what it looks like; the policy says it.\n"
        "- Clarity: one clear policy makes the department's mission plain to "
        "everyone, and is reviewed when it stops working.\n"
        "- Expectations: customers expect good service as a matter of course; "
        "the policy is how we design a standard that exceeds it.",
        None,
    ),
    (
        "holidays-en",
        "requests",
        "en",
        PUBLIC,
        "Opening hours during public holidays",
        "When we answer during Eid and national holidays.",
        "During public holidays the web form and email stay open; we answer "
        "from the first working day after the holiday, in the order requests "
        "arrived. Urgent complaints from VIP customers are watched every day.",
        None,
    ),
]
# Past its review date, for the supervisors' stale list.
STALE = "holidays-en"


def _categories() -> dict:
    found = {}
    for slug, name, name_ar, position in CATEGORIES:
        found[slug], _ = ArticleCategory.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "name_ar": name_ar, "position": position},
        )
    return found


def seed_knowledge(report, *, users: dict) -> None:
    """Publish the demo articles that are missing, with views and feedback."""
    categories = _categories()
    made = {}
    today = timezone.localdate()
    for key, category, language, visibility, title, summary, body, of in ARTICLES:
        existing = Article.objects.filter(title=title).first()
        if existing is not None:
            made[key] = existing
            report.add("articles", False)
            continue
        article = knowledge.write_article(
            title=title,
            summary=summary,
            body=body,
            language=language,
            category=categories[category],
            visibility=visibility,
            translation_of=made.get(of),
            by=users["agent1"],
        )
        made[key] = knowledge.publish_article(
            article, by=users["supervisor"], today=today
        )
        report.add("articles", True)
        if key == STALE:
            Article.objects.filter(pk=article.pk).update(
                review_by=today - timedelta(days=10)
            )
        if visibility == PUBLIC:
            _readers(made[key], key)


def _readers(article: Article, key: str) -> None:
    # A few readings and verdicts, so the figures have something to show.
    views = {"refund-ar": 42, "follow-ar": 31, "delivery-en": 18}.get(key, 5)
    Article.objects.filter(pk=article.pk).update(view_count=views)
    # Read this month, for the voice of the customer's most-read list.
    ArticleMonthViews.objects.update_or_create(
        article=article,
        month=knowledge.reading_month(timezone.now()),
        defaults={"views": views},
    )
    knowledge.give_feedback(article, helpful=True)
    if key == "delivery-en":
        knowledge.give_feedback(
            article, helpful=False, comment="Nothing about international orders."
        )
    if key == "refund-ar":
        knowledge.give_feedback(article, helpful=True, comment="واضح، شكرًا")
        Deflection.objects.create(
            article=article,
            language="ar",
            created_at=timezone.now() - timedelta(hours=3),
        )
