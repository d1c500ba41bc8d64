"""Calendars, holidays and SLA policies in the admin. Every save and delete
goes through the verbs in `sla.services`, which validate, record the change
and re-plan the open tickets it affects."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sla import services
from sla.models import (
    BusinessCalendar,
    CalendarException,
    HijriRule,
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


class HijriRuleInline(admin.TabularInline):
    model = HijriRule
    extra = 0
    fields = [
        "name",
        "name_ar",
        "kind",
        "month",
        "first_day",
        "last_day",
        "weekdays",
        "start_time",
        "end_time",
        "gregorian_dates",
    ]
    readonly_fields = ["gregorian_dates"]

    @admin.display(description=_("Gregorian dates this year and next"))
    def gregorian_dates(self, rule):
        if rule.pk is None:
            return _("Shown once saved.")
        year = timezone.localdate().year
        spans = [
            first_day if first_day == last_day else f"{first_day} – {last_day}"
            for first_day, last_day in (
                (date_format(first, "DATE_FORMAT"), date_format(last, "DATE_FORMAT"))
                for first, last in rule.expand([year, year + 1])
            )
        ]
        return "; ".join(spans) or _("None: outside the Hijri calendar's range.")


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(admin.ModelAdmin):
    list_display = ["name", "name_ar", "timezone", "country"]
    search_fields = ["name", "name_ar"]
    inlines = [
        WorkingHoursInline,
        CalendarExceptionInline,
        HijriRuleInline,
        HolidayInline,
    ]
    actions = ["import_holidays"]

    def save_model(self, request, obj, form, change):
        # Saved in save_related, with its hours, exceptions and holidays, as
        # one change.
        pass

    def save_related(self, request, form, formsets, change):
        rows = {}
        for formset in formsets:
            # Lists the new, changed and deleted rows (for the admin's change
            # message) without writing them: the verb writes them.
            formset.save(commit=False)
            rows[formset.model] = [
                row_form.instance
                for row_form in formset.initial_forms
                if row_form not in formset.deleted_forms
            ] + formset.new_objects
        services.save_calendar(
            form.instance,
            by=request.user,
            hours=rows.get(WorkingHours),
            exceptions=rows.get(CalendarException),
            holidays=rows.get(Holiday),
            hijri_rules=rows.get(HijriRule),
        )

    def delete_model(self, request, obj):
        services.delete_calendar(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for calendar in queryset:
            services.delete_calendar(calendar, by=request.user)

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
                result = services.import_holidays(
                    calendar, years=range(year, year + 3), by=request.user
                )
            except ValueError as error:
                self.message_user(request, str(error), messages.ERROR)
                continue
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
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name", "name_ar", "calendar", "is_imported"]
    list_filter = ["calendar", "is_imported"]
    search_fields = ["name", "name_ar"]
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        services.save_holiday(obj, by=request.user)

    def delete_model(self, request, obj):
        services.delete_holiday(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for holiday in queryset.select_related("calendar"):
            services.delete_holiday(holiday, by=request.user)


@admin.register(SLAPolicy)
class SLAPolicyAdmin(admin.ModelAdmin):
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
    actions = ["activate", "deactivate"]

    def save_model(self, request, obj, form, change):
        # The change list's editable columns carry no tiers: None keeps them.
        services.save_policy(obj, by=request.user, tiers=form.cleaned_data.get("tiers"))

    def save_related(self, request, form, formsets, change):
        # The tiers were saved with the policy, in save_model.
        pass

    def delete_model(self, request, obj):
        services.delete_policy(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for policy in queryset:
            services.delete_policy(policy, by=request.user)

    @admin.action(description=_("Activate the selected policies"))
    def activate(self, request, queryset):
        for policy in queryset:
            services.set_policy_active(policy, active=True, by=request.user)

    @admin.action(description=_("Deactivate the selected policies"))
    def deactivate(self, request, queryset):
        for policy in queryset:
            services.set_policy_active(policy, active=False, by=request.user)
