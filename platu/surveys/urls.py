from django.urls import path

from platu.surveys import views

app_name = "surveys"

urlpatterns = [
    path("surveys/", views.my_surveys, name="mine"),
    path("orgs/<slug:code>/surveys/", views.org_surveys, name="org"),
    path("orgs/<slug:code>/surveys/new/", views.survey_new, name="new"),
    path("orgs/<slug:code>/surveys/settings/", views.org_settings, name="settings"),
    path("surveys/<int:pk>/", views.survey_detail, name="detail"),
    path("surveys/<int:pk>/edit/", views.survey_edit, name="edit"),
    path("surveys/<int:pk>/act/", views.survey_action, name="act"),
    path("surveys/<int:pk>/sections/new/", views.section_edit, name="section_new"),
    path("surveys/<int:pk>/sections/<int:section_pk>/", views.section_edit, name="section"),
    path("surveys/<int:pk>/questions/new/", views.question_edit, name="question_new"),
    path("surveys/<int:pk>/questions/<int:question_pk>/", views.question_edit, name="question"),
    path("surveys/<int:pk>/answer/", views.answer, name="answer"),
    path("surveys/<int:pk>/results/", views.survey_results, name="results"),
    path("surveys/<int:pk>/results/<int:question_pk>/", views.survey_texts, name="texts"),
    path("surveys/<int:pk>/responses/", views.survey_export, name="export"),
]
