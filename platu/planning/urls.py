from django.urls import path

from platu.planning.views import documents, plans, sheets

app_name = "planning"

P = "orgs/<slug:code>/plans/<int:year>/"

urlpatterns = [
    path("orgs/<slug:code>/plans/", plans.plan_list, name="list"),
    path("orgs/<slug:code>/plans/start/", plans.plan_start, name="start"),
    path(P, plans.plan_detail, name="plan"),
    path(P + "do/<slug:name>/", plans.plan_transition, name="transition"),
    path(P + "texts/", sheets.texts_save, name="texts"),
    path(P + "table/<slug:key>/", sheets.table_save, name="table"),
    path(P + "score/<int:sheet>/", sheets.score, name="score"),
    path(P + "choose/<int:sheet>/", sheets.choose, name="choose"),
    path(P + "pick-items/", sheets.pick_items, name="pick_items"),
    path(P + "export/<slug:document>.<slug:fmt>", documents.export, name="export"),
    path(P + "booklet/<slug:fmt>/", documents.booklet, name="booklet"),
    path(P + "<slug:page>/", sheets.sheet, name="sheet"),
]
