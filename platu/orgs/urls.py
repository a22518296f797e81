from django.urls import path

from platu.orgs.views import dictionary, documents, organisations, people, teams

urlpatterns = [
    path("orgs/", organisations.organisation_list, name="organisation_list"),
    path("orgs/<slug:code>/", organisations.organisation_detail, name="organisation_detail"),
    path("orgs/<slug:code>/edit/", organisations.organisation_edit, name="organisation_edit"),
    path("orgs/<slug:code>/audit/", organisations.audit_log, name="audit_log"),
    path("orgs/<slug:code>/members/add/", organisations.member_add, name="member_add"),
    path("orgs/<slug:code>/members/invite/", organisations.member_invite, name="member_invite"),
    path("orgs/<slug:code>/members/<int:pk>/", organisations.member_edit, name="member_edit"),
    path(
        "orgs/<slug:code>/members/<int:pk>/remove/",
        organisations.member_remove,
        name="member_remove",
    ),
    path("orgs/<slug:code>/teams/new/", teams.team_create, name="team_create"),
    path("orgs/<slug:code>/teams/<int:pk>/", teams.team_detail, name="team_detail"),
    path("orgs/<slug:code>/teams/<int:pk>/edit/", teams.team_edit, name="team_edit"),
    path(
        "orgs/<slug:code>/teams/<int:pk>/download.<slug:fmt>", documents.team_document, name="team_document"
    ),
    path(
        "orgs/<slug:code>/teams/worksheet<int:sheet>.<slug:fmt>",
        documents.teams_document,
        name="teams_document",
    ),
    path("orgs/<slug:code>/teams/<int:pk>/delete/", teams.team_delete, name="team_delete"),
    path(
        "orgs/<slug:code>/teams/<int:pk>/members/add/",
        teams.team_member_add,
        name="team_member_add",
    ),
    path(
        "orgs/<slug:code>/teams/<int:pk>/members/<int:member_pk>/role/",
        teams.team_member_role,
        name="team_member_role",
    ),
    path(
        "orgs/<slug:code>/teams/<int:pk>/members/<int:member_pk>/remove/",
        teams.team_member_remove,
        name="team_member_remove",
    ),
    path("orgs/<slug:code>/dictionary/", dictionary.terms, name="search_terms"),
    path("people/", people.directory, name="directory"),
    path("people/<int:pk>/", people.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", people.person_edit, name="person_edit"),
]
