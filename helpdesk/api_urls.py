"""/api/v1/: the API app's routes and the webhooks', in one namespace. The
webhooks app sits above the API app (it sends tickets in the API's shape), so
the API's own URLs cannot include it; the project joins them."""

from api.urls import urlpatterns as api_urlpatterns
from webhooks.api_urls import urlpatterns as webhook_urlpatterns

app_name = "api"

urlpatterns = [*api_urlpatterns, *webhook_urlpatterns]
