from django.urls import path

from portal.views import support
from portal.views import tickets as portal
from tickets.views import attachments

app_name = "portal"

urlpatterns = [
    path("", portal.portal_list, name="list"),
    path("new/", support.support_new, name="new"),
    path("t/<str:token>/", support.track, name="track"),
    path("t/<str:token>/received/", support.support_received, name="received"),
    path("t/<str:token>/reply/", support.track_reply, name="track_reply"),
    path("t/<str:token>/close/", support.track_close, name="track_close"),
    path("t/<str:token>/rate/", support.track_rate, name="track_rate"),
    path("t/<str:token>/accept/", support.track_accept, name="track_accept"),
    path("t/<str:token>/appeal/", support.track_appeal, name="track_appeal"),
    path(
        "t/<str:token>/attachments/<int:pk>/",
        attachments.tracked_attachment_download,
        name="track_attachment",
    ),
    path("tickets/<str:number>/", portal.portal_detail, name="detail"),
    path("tickets/<str:number>/reply/", portal.portal_reply, name="reply"),
    path("tickets/<str:number>/close/", portal.portal_close, name="close"),
    path("tickets/<str:number>/rate/", portal.portal_rate, name="rate"),
    path("tickets/<str:number>/accept/", portal.portal_accept, name="accept"),
    path("tickets/<str:number>/appeal/", portal.portal_appeal, name="appeal"),
    path("sign-in/", support.sign_in, name="sign_in"),
    path("sign-in/sent/", support.sign_in_sent, name="sign_in_sent"),
    path("sign-in/<str:token>/", support.sign_in_confirm, name="sign_in_confirm"),
]
