"""The staff's own API tokens: make one (its key shown once), list, revoke."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tickets.permissions import agent_required

from ..forms import TokenForm
from ..tokens import create_token, revoke_token, tokens_of

# Where the new key waits for the page after the redirect, shown once.
NEW_KEY = "api_new_token_key"


@agent_required
def token_list(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _token, key = create_token(
            request.user,
            name=form.cleaned_data["name"],
            days=form.cleaned_data["days"],
        )
        # Redirected, so reloading the page makes no second token; the key
        # waits in the session only until the page shows it.
        request.session[NEW_KEY] = key
        return redirect("api_tokens")
    return render(
        request,
        "api/tokens.html",
        {
            "form": form if request.method == "POST" else TokenForm(),
            "key": request.session.pop(NEW_KEY, None),
            "tokens": tokens_of(request.user),
        },
        status=400 if request.method == "POST" else 200,
    )


@agent_required
@require_POST
def token_revoke(request, token_key):
    if revoke_token(request.user, token_key):
        messages.success(request, _("The token is revoked: it no longer works."))
    return redirect("api_tokens")
