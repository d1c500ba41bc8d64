from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from api.views import integrations as integration_views
from api.views import tokens as token_views
from customers import views as account_views
from knowledge.urls import public_urls as article_urls
from knowledge.urls import staff_urls as knowledge_urls
from knowledge.views.staff import stale_list as articles_stale
from sla.views import sla_settings
from tickets.views.attachments import attachment_download

from . import views

accounts = [
    path("login/", account_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("preferences/", account_views.preferences, name="preferences"),
    path("preferences/hijri/", account_views.hijri_dates_toggle, name="hijri_toggle"),
    path("tokens/", token_views.token_list, name="api_tokens"),
    path(
        "tokens/<str:token_key>/revoke/",
        token_views.token_revoke,
        name="api_token_revoke",
    ),
    path("integrations/", integration_views.integration_list, name="integrations"),
    path(
        "integrations/<int:pk>/",
        integration_views.integration_detail,
        name="integration_detail",
    ),
    path(
        "integrations/<int:pk>/tokens/",
        integration_views.integration_token_create,
        name="integration_token_create",
    ),
    path(
        "integrations/<int:pk>/tokens/<str:token_key>/revoke/",
        integration_views.integration_token_revoke,
        name="integration_token_revoke",
    ),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        account_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz/", views.healthz, name="healthz"),
    path("healthz/live/", views.liveness, name="liveness"),
    path("accounts/", include(accounts)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("agent/articles/", include(knowledge_urls)),
    path("agent/", include("tickets.urls")),
    path("support/articles/", include(article_urls)),
    path("support/", include("portal.urls")),
    path("supervisor/sla/", sla_settings, name="sla_settings"),
    path("supervisor/sla/", include("sla.urls")),
    path("supervisor/follow-ups/", include("feedback.urls")),
    path("supervisor/webhooks/", include("webhooks.urls")),
    path("supervisor/articles/stale/", articles_stale, name="articles_stale"),
    path("supervisor/", include("dashboard.urls")),
    path("", include("mail.urls")),
    path("registers/", include("registers.urls")),
    path("memos/", include("memos.urls")),
    path("policies/", include("policies.urls")),
    path("", include("letters.urls")),
    path("", include("tone.urls")),
    path("attachments/<int:pk>/", attachment_download, name="attachment"),
    path("api/v1/", include("helpdesk.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("admin/", admin.site.urls),
]
