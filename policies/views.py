"""Service policies for staff: read them, acknowledge a new version; for
supervisors: write and publish versions, see who has not acknowledged, and
review the texts that follow a policy."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helpdesk.roles import agent_required, is_supervisor, supervisor_required
from letters.models import LetterTemplate
from tickets.models import CannedResponse

from . import services
from .forms import AcknowledgeForm, NewPolicyForm, ReviewForm, VersionForm
from .models import Policy
from .staff import not_acknowledged, staff_members

REVIEWED = {"canned": CannedResponse, "letter": LetterTemplate}


def _policy(slug: str) -> Policy:
    return get_object_or_404(
        Policy.objects.select_related("current_version__author"), slug=slug
    )


@agent_required
def policy_list(request):
    policies = Policy.objects.select_related("current_version").order_by("slug")
    supervisor = is_supervisor(request.user)
    if not supervisor:
        policies = policies.in_force()
    else:
        # How many of today's staff acknowledged the version in force.
        policies = policies.annotate(
            acknowledged=Count(
                "current_version__acknowledgements",
                filter=Q(
                    current_version__acknowledgements__user__in=staff_members().values(
                        "pk"
                    )
                ),
                distinct=True,
            ),
            drafts=Count(
                "versions",
                filter=Q(versions__published_at__isnull=True),
                distinct=True,
            ),
            to_review=Count(
                "canned_responses",
                filter=Q(canned_responses__policy_review_needed=True),
                distinct=True,
            )
            + Count(
                "letter_templates",
                filter=Q(letter_templates__policy_review_needed=True),
                distinct=True,
            ),
        )
    context = {
        "policies": policies,
        "staff_count": staff_members().count() if supervisor else None,
        "is_policy_supervisor": supervisor,
    }
    return render(request, "policies/policy_list.html", context)


@agent_required
def policy_detail(request, slug):
    policy = _policy(slug)
    supervisor = is_supervisor(request.user)
    if policy.current_version is None and not supervisor:
        raise Http404
    context = {
        "policy": policy,
        "version": policy.current_version,
        "history": policy.versions.filter(published_at__isnull=False).select_related(
            "author"
        ),
        "is_policy_supervisor": supervisor,
    }
    if supervisor:
        context |= {
            "draft": policy.versions.filter(published_at__isnull=True)
            .select_related("author")
            .first(),
            "missing": list(not_acknowledged(policy.current_version))
            if policy.current_version
            else [],
            "canned": policy.canned_responses.select_related("queue"),
            "templates": policy.letter_templates.all(),
        }
    return render(request, "policies/policy_detail.html", context)


@supervisor_required
def policy_new(request):
    form = NewPolicyForm(request.POST or None)
    if form.is_valid():
        try:
            services.create_policy(**form.cleaned_data, by=request.user)
        except ValidationError as error:
            form.add_error("slug", error)
        else:
            messages.success(request, _("Draft saved. Publish it when it is ready."))
            return redirect("policies:detail", form.cleaned_data["slug"])
    return render(request, "policies/version_form.html", {"form": form})


@supervisor_required
def version_edit(request, slug):
    """The policy's draft, started from the wording in force."""
    policy = _policy(slug)
    draft = policy.versions.filter(published_at__isnull=True).first()
    start = draft or policy.current_version
    form = VersionForm(request.POST or None, instance=start)
    if request.method == "POST" and form.is_valid():
        services.write_version(policy, **form.cleaned_data, by=request.user)
        messages.success(request, _("Draft saved. Publish it when it is ready."))
        return redirect(policy)
    if draft is None and request.method != "POST":
        # A new version says what changed afresh.
        form.initial["change_summary"] = form.initial["change_summary_ar"] = ""
    context = {"form": form, "policy": policy}
    return render(request, "policies/version_form.html", context)


@supervisor_required
@require_POST
def version_publish(request, slug):
    policy = _policy(slug)
    draft = policy.versions.filter(published_at__isnull=True).first()
    if draft is None:
        messages.error(request, _("There is no draft to publish."))
        return redirect(policy)
    flagged = services.publish_version(draft, now=timezone.now())
    messages.success(
        request,
        _(
            "Version %(number)s published: staff acknowledge it on their next "
            "page. %(flagged)s linked texts are marked for review."
        )
        % {"number": draft.number, "flagged": flagged},
    )
    return redirect(policy)


@supervisor_required
@require_POST
def mark_reviewed(request, slug):
    policy = _policy(slug)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a text to mark as reviewed."))
        return redirect(policy)
    model = REVIEWED[form.cleaned_data["kind"]]
    wording = get_object_or_404(model, pk=form.cleaned_data["pk"], policy=policy)
    services.mark_reviewed(policy, wording)
    messages.success(request, _("Marked as reviewed."))
    return redirect(policy)


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe and target.startswith("/") else "/"


@agent_required
def acknowledge(request):
    """The policies in force that the staff member has not yet acknowledged,
    and "I have read and understood"."""
    waiting = list(
        Policy.objects.awaiting_acknowledgement(request.user)
        .select_related("current_version__author")
        .order_by("slug")
    )
    versions = [policy.current_version for policy in waiting]
    form = AcknowledgeForm(
        request.POST or None, initial={"versions": [v.pk for v in versions]}
    )
    if request.method == "POST" and form.is_valid():
        services.acknowledge(
            request.user, form.cleaned_data["versions"], now=timezone.now()
        )
        messages.success(request, _("Thank you: your acknowledgement is recorded."))
        return redirect(_next(request))
    if not waiting and request.method != "POST":
        return redirect(_next(request))
    context = {"policies": waiting, "form": form, "next": _next(request)}
    status = 400 if form.is_bound else 200
    return render(request, "policies/acknowledge.html", context, status=status)
