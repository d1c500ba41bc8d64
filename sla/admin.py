"""Calendars, holidays and SLA policies in the admin; every save forgets the
process's cached SLA settings so the change applies at once."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sla.config import forget_sla_config
from sla.holiday_import import import_public_holidays
from sla.models import (
    BusinessCalendar,
    CalendarException,
    Holiday,
    SLAPolicy,
    WorkingHours,
)


class WorkingHoursInline(admin.TabularInline):
    model = WorkingHours
    extra = 0


class HolidayInline(admin.TabularInline):
    model = Holiday
    extra = 0
    fields = ["date", "name", "name_ar", "is_imported"]
    readonly_fields = ["is_imported"]


class CalendarExceptionInline(admin.TabularInline):
    model = CalendarException
    extra = 0


class ForgetSLAConfig:
    """Edits apply at once in this process (others follow within
    SLA_CONFIG_CACHE_SECONDS)."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        forget_sla_config()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        forget_sla_config()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        forget_sla_config()


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(ForgetSLAConfig, admin.ModelAdmin):
    list_display = ["name", "timezone", "country"]
    search_fields = ["name"]
    inlines = [WorkingHoursInline, CalendarExceptionInline, HolidayInline]
    actions = ["import_holidays"]

    @admin.action(
        description=_("Import public holidays for this year and the next two")
    )
    def import_holidays(self, request, queryset):
        year = timezone.localdate().year
        for calendar in queryset:
            if not calendar.country:
                self.message_user(
                    request,
                    _("%(calendar)s has no country: set one to import holidays.")
                    % {"calendar": calendar},
                    messages.ERROR,
                )
                continue
            try:
                result = import_public_holidays(calendar, range(year, year + 3))
            except ValueError as error:
                self.message_user(request, str(error), messages.ERROR)
                continue
            forget_sla_config()
            self.message_user(
                request,
                ngettext(
                    "%(calendar)s: %(added)d holiday added, "
                    "%(kept)d hand-entered kept.",
                    "%(calendar)s: %(added)d holidays added, "
                    "%(kept)d hand-entered kept.",
                    result.added,
                )
                % {"calendar": calendar, "added": result.added, "kept": result.kept},
                messages.SUCCESS,
            )


@admin.register(Holiday)
class HolidayAdmin(ForgetSLAConfig, admin.ModelAdmin):
    list_display = ["date", "name", "name_ar", "calendar", "is_imported"]
    list_filter = ["calendar", "is_imported"]
    search_fields = ["name", "name_ar"]
    date_hierarchy = "date"


@admin.register(SLAPolicy)
class SLAPolicyAdmin(ForgetSLAConfig, admin.ModelAdmin):
    list_display = [
        "name",
        "order",
        "is_active",
        "first_response",
        "next_response",
        "resolution",
        "calendar",
    ]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active", "calendar"]
    search_fields = ["name", "name_ar"]
    filter_horizontal = ["tiers"]
