from django.contrib import admin

from .models import Policy, PolicyAcknowledgement, PolicyVersion


class VersionInline(admin.TabularInline):
    # Versions are written and published on the policy's page, where the
    # publishing flags the texts that follow it: here they are only listed.
    model = PolicyVersion
    fields = ["number", "title", "title_ar", "author", "published_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = ["slug", "current_version", "created_at"]
    list_select_related = ["current_version"]
    readonly_fields = ["current_version", "created_at"]
    inlines = [VersionInline]


@admin.register(PolicyAcknowledgement)
class PolicyAcknowledgementAdmin(admin.ModelAdmin):
    list_display = ["version", "user", "acknowledged_at"]
    list_filter = ["version__policy"]
    list_select_related = ["version", "user"]
    search_fields = ["user__username"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
