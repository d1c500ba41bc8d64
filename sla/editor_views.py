"""The supervisors' editor for SLA policies and business calendars.

Thin views over `sla.forms` (validation), `sla.explain` (the plain-words
preview), `sla.impact` (which open tickets a policy edit would change) and
`sla.services` (saving, recording the SLAChange and re-planning), the same
verbs the admin uses.
"""

from __future__ import annotations

import zoneinfo
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helpdesk.roles import supervisor_required
from sla import services
from sla.explain import describe_policy, tier_names
from sla.forms import CALENDAR_ROWS, CalendarForm, PolicyForm
from sla.impact import policy_impact
from sla.models import BusinessCalendar, SLAPolicy


def _may(permission: str):
    """Supervisors and administrators who hold `permission` (the Supervisors
    group does); agents and customers get 403."""

    def decorator(view):
        @wraps(view)
        @supervisor_required
        def wrapper(request, *args, **kwargs):
            if not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


edits_policies = _may("sla.change_slapolicy")
edits_calendars = _may("sla.change_businesscalendar")


def _preview(request, form: PolicyForm) -> dict:
    """The preview's context: the policy in plain words and what saving it
    would change, or nothing while the form has errors."""
    if not form.is_valid():
        return {"preview_lines": None, "impact": None}
    policy = form.apply(SLAPolicy(pk=form.instance.pk))
    return {
        "preview_lines": describe_policy(
            policy, tier_names(), tier_codes=form.tier_codes
        ),
        "impact": policy_impact(policy, form.tier_codes, viewer=request.user),
    }


def _policy(pk: int | None) -> SLAPolicy | None:
    if pk is None:
        return None
    return get_object_or_404(SLAPolicy.objects.prefetch_related("tiers"), pk=pk)


@edits_policies
def policy_edit(request, pk: int | None = None):
    """Create (no `pk`) or edit a policy; "Preview" shows what it would do
    without saving (for browsers without scripts)."""
    policy = _policy(pk)
    if request.method != "POST":
        form = PolicyForm(instance=policy)
        # The stored policy as it stands; nothing would change yet.
        lines = describe_policy(policy, tier_names()) if policy else None
        context = {"preview_lines": lines, "impact": None}
        return _render_policy(request, form, policy, context)
    form = PolicyForm(request.POST, instance=policy)
    if "preview" in request.POST or not form.is_valid():
        return _render_policy(request, form, policy, _preview(request, form))
    edited = form.apply(policy or SLAPolicy())
    try:
        change = services.save_policy(
            edited, by=request.user, tiers=form.cleaned_data["tiers"]
        )
    except ValidationError as error:
        # Only a race (the name taken meanwhile) reaches here: the form
        # checked the rest.
        form.add_error(None, error)
        return _render_policy(request, form, policy, _preview(request, form))
    _saved_message(request, edited.name, change)
    return redirect("sla_settings")


def _render_policy(request, form, policy, context):
    return render(
        request,
        "sla/policy_form.html",
        {"form": form, "policy": policy, **context},
        status=200 if not form.is_bound or form.is_valid() else 400,
    )


@require_POST
@edits_policies
def policy_preview(request, pk: int | None = None):
    """The preview panel alone, for the form to refresh as it changes (htmx)."""
    policy = _policy(pk)
    form = PolicyForm(request.POST, instance=policy)
    return render(
        request,
        "sla/_policy_preview.html",
        {"form": form, "policy": policy, **_preview(request, form)},
    )


def _saved_message(request, name, change) -> None:
    if change is None:
        messages.info(request, _("Nothing changed in “%(name)s”.") % {"name": name})
        return
    text = _("“%(name)s” saved.") % {"name": name}
    if change.replans:
        text += " " + _(
            "The open tickets it may affect are being re-planned; the recent "
            "changes below show when that is done."
        )
    messages.success(request, text)


# Calendars ------------------------------------------------------------------


def _formsets(data, calendar):
    return {
        name: formset(data, instance=calendar, prefix=name)
        for name, formset in CALENDAR_ROWS.items()
    }


@edits_calendars
def calendar_edit(request, pk: int | None = None):
    """Create or edit a calendar with its hours, exceptions, Hijri rules and
    holidays, saved as one recorded change (`services.save_calendar`)."""
    calendar = get_object_or_404(BusinessCalendar, pk=pk) if pk else None
    data = request.POST if request.method == "POST" else None
    form = CalendarForm(data, instance=calendar)
    formsets = _formsets(data, form.instance)
    status = 200
    if data is not None:
        valid = form.is_valid() & all(f.is_valid() for f in formsets.values())
        if valid:
            rows = {}
            for name, formset in formsets.items():
                # Lists the kept and new rows without writing them: the verb
                # writes them, as in the admin.
                formset.save(commit=False)
                rows[name] = [
                    row.instance
                    for row in formset.initial_forms
                    if row not in formset.deleted_forms
                ] + formset.new_objects
            try:
                change = services.save_calendar(form.instance, by=request.user, **rows)
            except ValidationError as error:
                # Rolled back: a new calendar is not saved after all.
                if calendar is None:
                    form.instance.pk = None
                form.add_error(None, error)
            else:
                _saved_message(request, form.instance.name, change)
                return redirect("sla_settings")
        status = 400
    return render(
        request,
        "sla/calendar_form.html",
        {
            "form": form,
            "formsets": formsets,
            "calendar": calendar,
            "time_zones": sorted(zoneinfo.available_timezones()),
        },
        status=status,
    )
