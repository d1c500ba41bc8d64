"""Supervisors' integration accounts: make one with its kind and queues,
change or switch it off, and make and revoke its tokens (each key shown
once)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tickets.models import Queue
from tickets.permissions import supervisor_required

from ..forms import IntegrationChangeForm, NewIntegrationForm, TokenForm
from ..integrations import (
    change_integration,
    create_integration,
    kind_of,
    managed_by,
)
from ..tokens import create_token, revoke_token, tokens_of

# Where a new key waits for the account's page after the redirect, shown once.
NEW_KEY = "api_new_integration_key"


@supervisor_required
def integration_list(request):
    queues = Queue.objects.supervised_by(request.user)
    form = NewIntegrationForm(request.POST or None, queues=queues)
    if request.method == "POST" and form.is_valid():
        account = create_integration(
            username=form.cleaned_data["username"],
            kind=form.cleaned_data["kind"],
            queues=form.cleaned_data["queues"],
        )
        messages.success(
            request, _("The integration account is made: give it a token.")
        )
        return redirect("integration_detail", pk=account.pk)
    accounts = managed_by(request.user).prefetch_related("integration_queues", "groups")
    return render(
        request,
        "api/integrations.html",
        {"form": form, "rows": [(account, kind_of(account)) for account in accounts]},
        status=400 if request.method == "POST" else 200,
    )


@supervisor_required
def integration_detail(request, pk):
    account = get_object_or_404(managed_by(request.user), pk=pk)
    queues = Queue.objects.supervised_by(request.user)
    initial = {
        "kind": kind_of(account),
        "queues": list(account.integration_queues.all()),
        "is_active": account.is_active,
    }
    form = IntegrationChangeForm(request.POST or None, initial=initial, queues=queues)
    if request.method == "POST" and form.is_valid():
        change_integration(account, **form.cleaned_data)
        messages.success(request, _("The integration account is saved."))
        return redirect("integration_detail", pk=account.pk)
    return render(
        request,
        "api/integration_detail.html",
        {
            "account": account,
            "form": form,
            "token_form": TokenForm(),
            "key": request.session.pop(NEW_KEY, None),
            "tokens": tokens_of(account),
        },
        status=400 if request.method == "POST" else 200,
    )


@supervisor_required
@require_POST
def integration_token_create(request, pk):
    account = get_object_or_404(managed_by(request.user), pk=pk)
    form = TokenForm(request.POST)
    if form.is_valid():
        _token, key = create_token(
            account, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
        )
        # Redirected, so reloading the page makes no second token.
        request.session[NEW_KEY] = key
    else:
        messages.error(request, _("Give the token a name and a life from the list."))
    return redirect("integration_detail", pk=account.pk)


@supervisor_required
@require_POST
def integration_token_revoke(request, pk, token_key):
    account = get_object_or_404(managed_by(request.user), pk=pk)
    if revoke_token(account, token_key):
        messages.success(request, _("The token is revoked: it no longer works."))
    return redirect("integration_detail", pk=account.pk)
