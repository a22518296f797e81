from django.urls import path

from platu.knowledge.views import acts, items, repository

app_name = "knowledge"

urlpatterns = [
    path("knowledge/", repository.repository, name="repository"),
    path("knowledge/mine/", repository.my_work, name="my_work"),
    path("knowledge/new/", items.item_new, name="new"),
    path("knowledge/new/autosave/", items.item_autosave, name="autosave_new"),
    path("knowledge/<int:pk>/", items.item_detail, name="item"),
    path("knowledge/<int:pk>/edit/", items.item_edit, name="edit"),
    path("knowledge/<int:pk>/autosave/", items.item_autosave, name="autosave"),
    path("knowledge/<int:pk>/history/", items.item_history, name="history"),
    path("knowledge/<int:pk>/history/<int:number>/", items.item_revision, name="revision"),
    path("knowledge/<int:pk>/history/<int:number>/restore/", items.item_restore, name="restore"),
    path("knowledge/<int:pk>/compare/", items.item_diff, name="diff"),
    path("knowledge/<int:pk>/do/<slug:name>/", acts.transition, name="transition"),
    path("knowledge/<int:pk>/vote/", acts.vote, name="vote"),
    path("knowledge/<int:pk>/comment/", acts.comment, name="comment"),
    path("knowledge/<int:pk>/useful/", acts.useful, name="useful"),
    path("knowledge/<int:pk>/applied/", acts.applied, name="applied"),
    path("knowledge/<int:pk>/files/", acts.attachment_add, name="attachment_add"),
    path("knowledge/<int:pk>/files/<uuid:uid>/delete/", acts.attachment_delete, name="attachment_delete"),
    path("knowledge/<int:pk>/videos/", acts.video_add, name="video_add"),
    path("files/<uuid:uid>/", acts.download, name="download"),
    path("evidence/<uuid:uid>/", acts.evidence, name="evidence"),
    path("public/<slug:code>/", repository.public_list, name="public"),
    path("orgs/<slug:code>/categories/", repository.categories, name="categories"),
    path("orgs/<slug:code>/categories/<int:pk>/", repository.category_edit, name="category_edit"),
]
