"""Sign-in pages (Django's auth views, rate limited) and each person's
preferences."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from helpdesk.roles import is_agent

from .forms import LoginForm, PreferencesForm
from .preferences import (
    HijriDates,
    choose_hijri_dates,
    choose_notification_email,
    hijri_choice,
    wants_notification_email,
)


def _rate(group, request):
    return settings.LOGIN_RATE


_limit_by_ip = ratelimit(key="ip", rate=_rate, method="POST", block=True)
_limit_by_login = ratelimit(key="post:username", rate=_rate, method="POST", block=True)
_limit_by_email = ratelimit(key="post:email", rate=_rate, method="POST", block=True)


@method_decorator([_limit_by_ip, _limit_by_login], name="post")
class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


@method_decorator([_limit_by_ip, _limit_by_email], name="post")
class PasswordResetView(auth_views.PasswordResetView):
    pass


@login_required
def preferences(request):
    """ "My preferences": whether dates carry their Hijri twin; for staff,
    whether notifications come by email too."""
    staff = is_agent(request.user)
    initial = {"hijri_dates": hijri_choice(request.user)}
    if staff:
        by_email = wants_notification_email(request.user)
        initial["notifications"] = (
            PreferencesForm.EMAIL if by_email else PreferencesForm.IN_APP
        )
    form = PreferencesForm(request.POST or None, initial=initial, staff=staff)
    if request.method == "POST" and form.is_valid():
        choose_hijri_dates(request.user, None, form.cleaned_data["hijri_dates"])
        if staff and form.cleaned_data["notifications"]:
            choose_notification_email(
                request.user,
                form.cleaned_data["notifications"] == PreferencesForm.EMAIL,
            )
        messages.success(request, _("Your preferences are saved."))
        return redirect("preferences")
    return render(
        request,
        "customers/preferences.html",
        {"form": form, "site_hijri": settings.HIJRI_DATES},
    )


@require_POST
def hijri_dates_toggle(request):
    """Show or hide Hijri dates from a customer's page, signed in or on a
    tracking link, and go back to that page."""
    choice = request.POST.get("hijri_dates", "")
    if choice not in HijriDates.values:
        return HttpResponseBadRequest(_("Choose yes, no or the site default."))
    choose_hijri_dates(request.user, request.session, choice)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = "/"
    return redirect(back)
