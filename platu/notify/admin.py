from django.contrib import admin

from platu.notify.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("recipient", "kind", "text", "created_at", "read_at")
    list_filter = ("kind",)
