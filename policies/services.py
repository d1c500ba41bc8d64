"""The verbs of service policies: write a version, publish it, acknowledge
it, and review the canned responses and letter templates that follow it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from letters.models import LetterTemplate
from tickets.models import CannedResponse

from .models import Policy, PolicyAcknowledgement, PolicyVersion

# The wordings a policy governs: each is flagged when a new version is
# published, until a supervisor has read it against that version.
FOLLOWERS = (CannedResponse, LetterTemplate)


@transaction.atomic
def write_version(
    policy: Policy,
    *,
    title: str,
    title_ar: str,
    body: str,
    body_ar: str,
    change_summary: str,
    change_summary_ar: str = "",
    by: AbstractBaseUser,
) -> PolicyVersion:
    """Save the policy's draft, numbered after its latest version (a draft
    already there is rewritten); return it."""
    Policy.objects.select_for_update().get(pk=policy.pk)
    draft = policy.versions.filter(published_at__isnull=True).first()
    if draft is None:
        latest = policy.versions.aggregate(latest=Max("number"))["latest"] or 0
        draft = PolicyVersion(policy=policy, number=latest + 1)
    draft.title, draft.title_ar = title.strip(), title_ar.strip()
    draft.body, draft.body_ar = body.strip(), body_ar.strip()
    draft.change_summary = change_summary.strip()
    draft.change_summary_ar = change_summary_ar.strip()
    draft.author = by
    draft.save()
    return draft


@transaction.atomic
def publish_version(version: PolicyVersion, *, now: datetime) -> int:
    """Put the draft `version` in force: every staff member is asked to
    acknowledge it on their next page, and the canned responses and letter
    templates that follow the policy are flagged for review. Return how many
    were flagged."""
    policy = Policy.objects.select_for_update().get(pk=version.policy_id)
    version.refresh_from_db()
    if version.is_published:
        raise ValidationError(
            _("This version is already published."), code="already_published"
        )
    version.published_at = now
    version.save(update_fields=["published_at"])
    policy.current_version = version
    policy.save(update_fields=["current_version"])
    return sum(
        model.objects.filter(policy=policy).update(policy_review_needed=True)
        for model in FOLLOWERS
    )


def acknowledge(
    user: AbstractBaseUser, versions: Iterable[PolicyVersion], *, now: datetime
) -> int:
    """Record that `user` read and understood each published version of
    `versions` (once each); return how many were new."""
    made = PolicyAcknowledgement.objects.bulk_create(
        [
            PolicyAcknowledgement(version=version, user=user, acknowledged_at=now)
            for version in versions
            if version.is_published
        ],
        ignore_conflicts=True,
    )
    return len(made)


def mark_reviewed(policy: Policy, wording: CannedResponse | LetterTemplate) -> None:
    """A supervisor read `wording` against the policy in force: clear its
    flag."""
    if wording.policy_id != policy.pk:
        raise ValidationError(
            _("This text does not follow this policy."), code="not_linked"
        )
    type(wording).objects.filter(pk=wording.pk).update(policy_review_needed=False)


@transaction.atomic
def create_policy(
    *,
    slug: str,
    title: str,
    title_ar: str,
    body: str,
    body_ar: str,
    change_summary: str = "",
    change_summary_ar: str = "",
    by: AbstractBaseUser,
) -> PolicyVersion:
    """A new policy under `slug` with its first draft; return the draft."""
    if Policy.objects.filter(slug=slug).exists():
        raise ValidationError(
            _("A policy with this short name already exists."), code="slug_taken"
        )
    policy = Policy.objects.create(slug=slug)
    return write_version(
        policy,
        title=title,
        title_ar=title_ar,
        body=body,
        body_ar=body_ar,
        change_summary=change_summary,
        change_summary_ar=change_summary_ar,
        by=by,
    )
