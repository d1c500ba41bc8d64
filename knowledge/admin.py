from django.contrib import admin

from .models import Article, ArticleCategory


@admin.register(ArticleCategory)
class ArticleCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "name_ar", "slug", "position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    """Read-only here: articles are written, versioned and published on the
    knowledge base's own pages (/agent/articles/), through its services."""

    list_display = ["title", "language", "visibility", "category", "review_by"]
    list_filter = ["language", "visibility", "category"]
    search_fields = ["title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
