from django.contrib import admin

from platu.knowledge.models import AppliedReport, Attachment, Category, Comment, Item, Revision, Tag


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("title", "kind", "state", "visibility", "organisation", "owner", "published_at")
    list_filter = ("kind", "state", "visibility")
    search_fields = ("title",)
    raw_id_fields = ("owner", "coauthors", "sources", "organisation", "category")
    readonly_fields = ("state",)


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("item", "number", "author_name", "created_at")
    raw_id_fields = ("item", "author")

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


admin.site.register(Category)
admin.site.register(Tag)
admin.site.register(Attachment)
admin.site.register(Comment)
admin.site.register(AppliedReport)
