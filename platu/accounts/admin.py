from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from platu.accounts.models import User

admin.site.register(User, UserAdmin)  # search_fields are used by autocomplete
