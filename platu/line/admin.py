from django.contrib import admin

from platu.line.models import Delivery


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """What went, or did not go, by LINE. Channels are not here: their secrets stay out of sight."""

    list_display = ("notification", "user", "state", "attempts", "last_status", "created_at", "sent_at")
    list_filter = ("state",)
    readonly_fields = ("notification", "user", "created_at")
