from django.contrib import admin

from platu.orgs.models import Membership, MembershipRole, Organisation, Person, Team, TeamMember


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name_th", "code", "kind", "parent", "thai_digits"]
    list_filter = ["kind", "thai_digits"]
    search_fields = ["name_th", "name_en", "code"]
    autocomplete_fields = ["parent"]


class MembershipRoleInline(admin.TabularInline):
    model = MembershipRole
    extra = 0


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["person", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["person__first_name", "person__last_name", "organisation__name_th"]
    autocomplete_fields = ["person", "organisation"]
    inlines = [MembershipRoleInline]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "position", "email", "user"]
    search_fields = ["first_name", "last_name", "email", "position"]
    autocomplete_fields = ["user"]
    inlines = [MembershipInline]


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "organisation__name_th"]
    inlines = [TeamMemberInline]
