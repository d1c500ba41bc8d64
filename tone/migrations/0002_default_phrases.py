"""The phrase bank's first entries: wording supervisors can keep, edit or
remove. "{}" stands for the flagged words, [brackets] for what the agent
fills in."""

from django.db import migrations

PHRASES = [
    # English
    ("en", "negative", "failed to", "it looks like we still need"),
    ("en", "negative", "failed to", "could you please"),
    ("en", "negative", "forgot to", "could you please"),
    ("en", "negative", "did not", "it looks like we still need"),
    ("en", "negative", "didn't", "it looks like we still need"),
    ("en", "negative", "not our problem", "let me find out who can help with this"),
    ("en", "negative", "not our fault", "here is what happened"),
    ("en", "negative", "not my job", "I will pass this to the team that handles it"),
    ("en", "negative", "impossible", "what we can do is"),
    ("en", "negative", "impossible", "the closest option we have is"),
    ("en", "negative", "as i", "to recap"),
    ("en", "negative", "told you", "just to confirm"),
    ("en", "negative", "your fault", "what happened is"),
    ("en", "negative", "your mistake", "what happened is"),
    ("en", "negative", "calm down", "I understand how frustrating this is"),
    ("en", "negative", "", "here is what we can do"),
    (
        "en",
        "refusal",
        "",
        "we are unable to do this because [reason]; what we can do instead is [option]",
    ),
    ("en", "refusal", "", "{} do this because [reason], but you can [next step]"),
    ("en", "promise", "", "by [date], {}"),
    ("en", "promise", "", "{} on [day] by [time]"),
    ("en", "vague_time", "", "by [date]"),
    ("en", "vague_time", "", "before [time] today"),
    ("en", "vague_time", "", "within [number] working days"),
    ("en", "jargon", "sla", "the answer time we promise"),
    ("en", "jargon", "l2", "our specialist team"),
    ("en", "jargon", "tier", "our specialist team"),
    ("en", "jargon", "backend", "our systems"),
    ("en", "jargon", "pending", "waiting for your reply"),
    ("en", "jargon", "", "[the same in plain words]"),
    ("en", "greeting", "", "Dear [name],\n\n"),
    ("en", "closing", "", "\n\nKind regards,\n[your name]"),
    # Arabic
    ("ar", "negative", "لم تقم", "نحتاج منك"),
    ("ar", "negative", "لم تقم", "هل يمكنك"),
    ("ar", "negative", "لم ت", "يبدو أننا ما زلنا بحاجة إلى"),
    ("ar", "negative", "مستحيل", "ما يمكننا فعله هو"),
    ("ar", "negative", "مستحيل", "سنبحث معك عن بديل مناسب"),
    ("ar", "negative", "مشكلتنا", "سأتأكد من وصول طلبك إلى الجهة المختصة"),
    ("ar", "negative", "ليس من", "سأحوّل طلبك إلى الفريق المختص"),
    ("ar", "negative", "كما", "للتذكير"),
    ("ar", "negative", "سبق", "للتأكيد"),
    ("ar", "negative", "خطأ", "ما حدث هو"),
    ("ar", "negative", "خطؤك", "ما حدث هو"),
    ("ar", "negative", "اهدأ", "أتفهم تمامًا انزعاجك"),
    ("ar", "negative", "", "إليك ما يمكننا فعله"),
    ("ar", "refusal", "", "يتعذر ذلك بسبب [السبب]، وما يمكننا فعله هو [البديل]"),
    ("ar", "refusal", "", "{} ذلك لأن [السبب]، ويمكنك [الخطوة التالية]"),
    ("ar", "promise", "", "بحلول [التاريخ] {}"),
    ("ar", "promise", "", "{} يوم [اليوم] قبل الساعة [الوقت]"),
    ("ar", "vague_time", "", "يوم [التاريخ]"),
    ("ar", "vague_time", "", "قبل الساعة [الوقت] اليوم"),
    ("ar", "vague_time", "", "خلال [عدد] أيام عمل"),
    ("ar", "jargon", "sla", "مدة الرد التي نلتزم بها"),
    ("ar", "jargon", "l2", "الفريق المختص"),
    ("ar", "jargon", "مستوى", "الفريق المختص"),
    ("ar", "jargon", "باك", "أنظمتنا"),
    ("ar", "jargon", "pending", "بانتظار ردك"),
    ("ar", "jargon", "", "[العبارة بكلمات واضحة]"),
    ("ar", "greeting", "", "السيد/السيدة [الاسم] المحترم/ة،\nتحية طيبة وبعد،\n\n"),
    ("ar", "closing", "", "\n\nوتفضلوا بقبول فائق الاحترام،\n[اسمك]"),
]


def add_phrases(apps, schema_editor):
    Phrase = apps.get_model("tone", "Phrase")
    for language, kind, trigger, text in PHRASES:
        Phrase.objects.get_or_create(
            language=language, kind=kind, trigger=trigger, text=text
        )


def remove_phrases(apps, schema_editor):
    Phrase = apps.get_model("tone", "Phrase")
    for language, kind, trigger, text in PHRASES:
        Phrase.objects.filter(
            language=language, kind=kind, trigger=trigger, text=text, updated_by=None
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("tone", "0001_initial")]

    operations = [migrations.RunPython(add_phrases, remove_phrases)]
