"""The customers of generated tickets: names, contacts, tiers and kinds."""

import random
from collections.abc import Sequence
from datetime import UTC, datetime

from customers.models import Customer
from demo.volume_plan import CHANNEL_WEIGHTS, DAY, TABLE_SIZE, weighted_table
from demo.volume_reference import Reference
from demo.volume_sla import traits
from helpdesk import search

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
CUSTOMER_COLUMNS = (
    "id", "name", "kind", "tier_id", "organisation", "department", "email", "phone",
    "fax", "postal_address", "preferred_language", "preferred_channel",
    "consents_to_promotions", "search_text", "created_at", "updated_at",
)  # fmt: skip


def customer_rows(
    rng: random.Random, ids: Sequence[int], ref: Reference, start: float
) -> tuple[list[tuple], bytearray, bytearray]:
    """Rows for new customers, each one's language (1 = Arabic), and each
    one's tier and kind for choosing SLA policies (`volume_sla.traits`)."""
    rows = []
    arabic = bytearray()
    kinds = bytearray()
    channel_table = weighted_table(CHANNEL_WEIGHTS)
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
