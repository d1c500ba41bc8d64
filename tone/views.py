"""The composers' tone check (/agent/tone/check/) and the supervisors' phrase
bank (/supervisor/phrases/)."""

from itertools import groupby

from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from helpdesk.roles import agent_required, supervisor_required

from . import kinds
from .display import pieces
from .engine import detect_language
from .forms import CheckForm, PhraseForm
from .models import Phrase
from .services import check_text, delete_phrase, save_phrase


@agent_required
@require_POST
def tone_check(request):
    """The findings in a composer's text: the findings list as HTML (the
    composer shows it under the box and marks the spans), or JSON."""
    if is_ratelimited(
        request,
        group="tone-check",
        key="user",
        rate=settings.TONE_CHECK_RATE,
        increment=True,
    ):
        return JsonResponse(
            {"detail": _("Too many checks; wait a moment.")}, status=429
        )
    form = CheckForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    text = form.cleaned_data["text"]
    language = form.cleaned_data["language"] or "auto"
    if language == "auto":
        language = detect_language(text)
    findings = check_text(
        text,
        language=language,
        context=form.cleaned_data["context"] or "reply",
        today=timezone.localdate(),
    )
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"findings": [finding.as_dict() for finding in findings]})
    return render(
        request,
        "tone/_findings.html",
        {
            "findings": [
                (finding, kinds.LABELS[finding.kind], text[finding.start : finding.end])
                for finding in findings
            ],
            "pieces": pieces(text, findings),
        },
    )


@supervisor_required
def phrase_list(request):
    form = PhraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        save_phrase(form.instance, by=request.user)
        messages.success(request, _("Phrase added to the bank."))
        return redirect("tone:phrases")
    order = {kind: number for number, kind in enumerate(kinds.KINDS)}
    phrases = sorted(
        Phrase.objects.select_related("updated_by"),
        key=lambda phrase: (phrase.language, order[phrase.kind]),
    )
    groups = [
        ((items[0].get_language_display(), kinds.LABELS[items[0].kind]), items)
        for _key, group in groupby(phrases, key=lambda p: (p.language, p.kind))
        for items in [list(group)]
    ]
    return render(request, "tone/phrase_list.html", {"groups": groups, "form": form})


@supervisor_required
def phrase_edit(request, pk):
    phrase = get_object_or_404(Phrase, pk=pk)
    form = PhraseForm(request.POST or None, instance=phrase)
    if request.method == "POST" and form.is_valid():
        save_phrase(form.instance, by=request.user)
        messages.success(request, _("Phrase saved."))
        return redirect("tone:phrases")
    return render(request, "tone/phrase_form.html", {"form": form, "phrase": phrase})


@supervisor_required
@require_POST
def phrase_delete(request, pk):
    delete_phrase(get_object_or_404(Phrase, pk=pk))
    messages.success(request, _("Phrase removed from the bank."))
    return redirect("tone:phrases")
