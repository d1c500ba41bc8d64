from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tickets.permissions import is_supervisor
from tickets.services.customers import change_customer_email, change_customer_tier

from .models import Customer, CustomerChange, ServiceTier, Tag


@admin.register(ServiceTier)
class ServiceTierAdmin(admin.ModelAdmin):
    list_display = ["name", "name_ar", "code", "rank", "is_vip"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "tier", "email", "phone", "affiliation"]
    list_filter = ["kind", "tier", "preferred_language", "preferred_channel", "tags"]
    search_fields = ["name", "email", "phone", "organisation", "department"]
    list_select_related = ["tier"]
    autocomplete_fields = ["user", "tags"]
    readonly_fields = ["created_at", "updated_at"]

    def get_readonly_fields(self, request, obj=None):
        # Who a customer is (email, tier) is a supervisor's change.
        if obj is not None and not is_supervisor(request.user):
            return [*self.readonly_fields, "email", "tier"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            # Keeps the customer findable by the agents' as-you-type search.
            obj.search_text = obj.build_search_text()
            super().save_model(request, obj, form, change)
            return
        # A new email or tier goes through the verbs, which record it, tell
        # the old address and re-choose the SLA policy of open tickets; the
        # admin wraps this in one transaction.
        email, tier = obj.email, obj.tier
        stored = Customer.objects.only("email", "tier").get(pk=obj.pk)
        obj.email, obj.tier_id = stored.email, stored.tier_id
        obj.search_text = obj.build_search_text()
        super().save_model(request, obj, form, change)
        change_customer_email(obj, email=email, by=request.user)
        change_customer_tier(obj, tier=tier, by=request.user)

    fieldsets = [
        (None, {"fields": ["name", "kind", "tier", "organisation", "department"]}),
        (_("Contact"), {"fields": ["email", "phone", "fax", "postal_address"]}),
        (
            _("Preferences"),
            {
                "fields": [
                    "preferred_language",
                    "preferred_channel",
                    "consents_to_promotions",
                ]
            },
        ),
        (_("What we know"), {"fields": ["interests", "needs", "notes", "tags"]}),
        (_("Portal"), {"fields": ["user", "created_at", "updated_at"]}),
    ]


@admin.register(CustomerChange)
class CustomerChangeAdmin(admin.ModelAdmin):
    """The history of customers' email addresses and tiers: read only."""

    list_display = [
        "created_at",
        "customer",
        "field",
        "old_value",
        "new_value",
        "actor",
    ]
    list_filter = ["field"]
    search_fields = ["customer__name", "old_value", "new_value"]
    list_select_related = ["customer", "actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
