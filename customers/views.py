"""Sign-in pages: Django's auth views, rate limited."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.utils.decorators import method_decorator
from django_ratelimit.decorators import ratelimit

from .forms import LoginForm


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
