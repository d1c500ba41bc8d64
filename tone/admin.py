from django.contrib import admin

from .models import Phrase


@admin.register(Phrase)
class PhraseAdmin(admin.ModelAdmin):
    list_display = ["text", "language", "kind", "trigger", "updated_at"]
    list_filter = ["language", "kind"]
    search_fields = ["text", "trigger"]
