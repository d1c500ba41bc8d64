from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Customer, ServiceTier, Tag


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

    def save_model(self, request, obj, form, change):
        # Keeps the customer findable by the agents' as-you-type search.
        obj.search_text = obj.build_search_text()
        super().save_model(request, obj, form, change)

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
