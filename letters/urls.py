from django.urls import path

from . import views

app_name = "letters"

# Beside the agent's ticket page (tickets.urls), which the letters belong to.
TICKET = "agent/tickets/<str:number>/letters/"

urlpatterns = [
    path("letters/approvals/", views.approval_list, name="approvals"),
    path(TICKET + "new/", views.letter_new, name="new"),
    path(TICKET + "<int:pk>/", views.letter_edit, name="edit"),
    path(TICKET + "<int:pk>/preview/", views.letter_preview, name="preview"),
    path(TICKET + "<int:pk>/pdf/", views.letter_download, name="pdf"),
    path(TICKET + "<int:pk>/dispatch/", views.letter_dispatch, name="dispatch"),
    path(TICKET + "<int:pk>/delivery/", views.letter_delivery, name="delivery"),
    path(TICKET + "<int:pk>/approve/", views.letter_approve, name="approve"),
    path(TICKET + "<int:pk>/return/", views.letter_return, name="return"),
]
