from django.urls import path

from .views import portal

app_name = "portal"

urlpatterns = [
    path("", portal.portal_list, name="list"),
    path("tickets/<str:number>/", portal.portal_detail, name="detail"),
]
