"""Two sets of routes: `articles` for readers under /support/articles/, and
`knowledge` for staff under /agent/articles/ (helpdesk/urls.py), which also
puts the supervisors' stale list at /supervisor/articles/stale/."""

from django.urls import path

from .views import public, staff

public_urls = (
    [
        path("", public.article_list, name="list"),
        path("suggest/", public.suggest, name="suggest"),
        path("<str:slug>/", public.article_detail, name="detail"),
        path("<str:slug>/feedback/", public.article_feedback, name="feedback"),
        path("<str:slug>/answered/", public.article_answered, name="answered"),
        path("<str:slug>/files/<int:pk>/", public.article_file, name="file"),
    ],
    "articles",
)

staff_urls = (
    [
        path("", staff.staff_list, name="list"),
        path("new/", staff.article_new, name="new"),
        path("lookup/", staff.article_lookup, name="lookup"),
        path("<int:pk>/", staff.article_detail, name="detail"),
        path("<int:pk>/edit/", staff.article_edit, name="edit"),
        path("<int:pk>/versions/<int:number>/", staff.article_version, name="version"),
        path("<int:pk>/publish/", staff.article_publish, name="publish"),
        path("<int:pk>/archive/", staff.article_archive, name="archive"),
    ],
    "knowledge",
)
