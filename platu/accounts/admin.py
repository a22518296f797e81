from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from platu.accounts.models import LinkRequest, SignInPolicy, User

admin.site.register(User, UserAdmin)  # search_fields are used by autocomplete


@admin.register(SignInPolicy)
class SignInPolicyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["organisation", "methods", "updated_at", "updated_by"]
    readonly_fields = ["organisation", "methods", "updated_at", "updated_by"]  # change it on its page

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(LinkRequest)
class LinkRequestAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["reference", "provider", "name", "email", "email_verified", "status", "last_seen_at"]
    list_filter = ["provider", "status"]
    search_fields = ["reference", "email"]
    exclude = ["extra_data"]
    readonly_fields = [
        "reference", "provider", "uid", "email", "email_verified", "name", "citizen_id_hmac",
        "organisation", "suggested_user", "status", "created_at", "last_seen_at", "decided_at",
        "decided_by", "user",
    ]  # fmt: skip

    def has_add_permission(self, request: object) -> bool:
        return False
