from django.conf import settings
from django.db import models
from django.db.models import Value
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from helpdesk import search
from helpdesk.channels import Channel
from helpdesk.reference import cached


class ServiceTierManager(models.Manager):
    def cached(self) -> list["ServiceTier"]:
        """Every tier, from the reference cache: SlaConfig forgets it when a
        tier is saved."""
        return cached("tiers", lambda: list(self.all()))


class ServiceTier(models.Model):
    """A level of service (Standard, VIP, ...). Tiers are data, not code."""

    STANDARD = "standard"
    VIP = "vip"

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    name_ar = models.CharField(_("Arabic name"), max_length=80, blank=True)
    rank = models.PositiveSmallIntegerField(
        _("rank"), default=0, help_text=_("Higher ranks are served first.")
    )
    is_vip = models.BooleanField(
        _("VIP"), default=False, help_text=_("Marked as VIP wherever shown.")
    )

    objects = ServiceTierManager()

    class Meta:
        ordering = ["-rank", "name"]
        verbose_name = _("service tier")
        verbose_name_plural = _("service tiers")

    def __str__(self):
        return self.name


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self):
        return self.name


class CustomerQuerySet(models.QuerySet):
    def with_email(self, email: str):
        """Customers whose email matches `email`, ignoring case."""
        email = email.strip()
        if not email:
            return self.none()
        # The expression and condition of the unique index
        # customer_email_unique_ci, so this is an index lookup (iexact's
        # UPPER() = UPPER() read every customer: 170 ms at 250,000).
        return (
            self.alias(email_lower=Lower("email"))
            .filter(email_lower=Lower(Value(email)))
            .exclude(email="")
        )

    def vip(self):
        """Customers in a VIP tier."""
        return self.filter(tier__is_vip=True)

    def matching(self, text: str):
        """Customers found by what an agent types: a name (Arabic or English,
        normalised), an email address or a phone number, each as a prefix."""
        text = text.strip()
        if not text:
            return self.none()
        if "@" in text:
            return self.alias(email_lower=Lower("email")).filter(
                email_lower__startswith=text.lower()
            )
        return search.filter_words(self, search.lookup_terms(text))


class Customer(models.Model):
    """A person the department serves: staff of the organisation or outside."""

    class Kind(models.TextChoices):
        INTERNAL = "internal", _("Internal")
        EXTERNAL = "external", _("External")

    class Language(models.TextChoices):
        ARABIC = "ar", _("Arabic")
        ENGLISH = "en", _("English")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=10, choices=Kind.choices, default=Kind.EXTERNAL
    )
    tier = models.ForeignKey(
        ServiceTier,
        on_delete=models.PROTECT,
        related_name="customers",
        verbose_name=_("service tier"),
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    department = models.CharField(_("department"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    fax = models.CharField(_("fax"), max_length=40, blank=True)
    postal_address = models.TextField(_("postal address"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=2,
        choices=Language.choices,
        default=Language.ARABIC,
    )
    preferred_channel = models.CharField(
        _("preferred channel"),
        max_length=10,
        choices=Channel.choices,
        default=Channel.EMAIL,
    )
    interests = models.TextField(_("interests"), blank=True)
    needs = models.TextField(_("needs"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    tags = models.ManyToManyField(
        Tag, blank=True, related_name="customers", verbose_name=_("tags")
    )
    consents_to_promotions = models.BooleanField(
        _("consents to promotional material"), default=False
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="customer",
        verbose_name=_("portal account"),
    )
    # Normalised name, email and phone digits for finding the customer as an
    # agent types (tickets/search.py); written by `update_search_text`.
    search_text = models.TextField(_("search terms"), blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CustomerQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="customer_email_unique_ci",
                violation_error_message=_("A customer with this email already exists."),
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["internal", "external"]),
                name="customer_kind_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["phone"], name="customer_phone_idx"),
            models.Index(Lower("name"), name="customer_name_lower_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("tickets:customer_detail", args=[self.pk])

    @property
    def is_vip(self) -> bool:
        return self.tier.is_vip

    def build_search_text(self) -> str:
        """The search column for this customer's name, email and phone."""
        return search.customer_search_text(
            self.name, self.email, self.organisation, self.phone
        )

    @property
    def affiliation(self) -> str:
        """Department for staff, organisation for outside customers."""
        if self.kind == self.Kind.INTERNAL:
            return self.department
        return self.organisation


class CustomerChange(models.Model):
    """One change to who a customer is (their email address or service tier):
    who made it and when, from what to what. Append-only: rows are written by
    the verbs that change these fields and never edited."""

    class Field(models.TextChoices):
        EMAIL = "email", _("Email address")
        TIER = "tier", _("Service tier")

    customer = models.ForeignKey(
        Customer,
        on_delete=models.CASCADE,
        related_name="changes",
        verbose_name=_("customer"),
    )
    field = models.CharField(_("what changed"), max_length=10, choices=Field.choices)
    old_value = models.CharField(_("from"), max_length=254, blank=True)
    new_value = models.CharField(_("to"), max_length=254, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("customer change")
        verbose_name_plural = _("customer changes")

    def __str__(self):
        return f"{self.customer}: {self.field} {self.old_value} → {self.new_value}"


class UserPreference(models.Model):
    """How one person (staff or portal customer) wants pages shown."""

    class HijriDates(models.TextChoices):
        DEFAULT = "default", _("Site default")
        YES = "yes", _("Yes, beside Gregorian dates")
        NO = "no", _("No, Gregorian dates only")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="preference",
        verbose_name=_("user"),
    )
    hijri_dates = models.CharField(
        _("show Hijri dates"),
        max_length=7,
        choices=HijriDates.choices,
        default=HijriDates.DEFAULT,
        help_text=_("The Umm al-Qura date beside each Gregorian one."),
    )
    # Staff only: in-app notifications always; by email too unless they opt out.
    notification_email = models.BooleanField(
        _("notifications by email"),
        default=True,
        help_text=_("Off: notifications appear in the helpdesk only."),
    )

    class Meta:
        verbose_name = _("user preference")
        verbose_name_plural = _("user preferences")

    def __str__(self):
        return str(self.user)
