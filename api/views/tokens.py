"""The staff's own API tokens: make one (its key shown once), list, revoke."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tickets.permissions import agent_required

from ..forms import TokenForm
from ..tokens import create_token, revoke_token, tokens_of


@agent_required
def token_list(request):
    form = TokenForm(request.POST or None)
    key = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            token, key = create_token(
                request.user,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
            )
            form = TokenForm()
        else:
            status = 400
    # Rendered, not redirected: the key is never stored, so it is shown in
    # this one response and nowhere else.
    return render(
        request,
        "api/tokens.html",
        {"form": form, "key": key, "tokens": tokens_of(request.user)},
        status=status,
    )


@agent_required
@require_POST
def token_revoke(request, token_key):
    if revoke_token(request.user, token_key):
        messages.success(request, _("The token is revoked: it no longer works."))
    return redirect("api_tokens")
