from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from platu.api import api
from platu.core import media as core_media
from platu.core import views as core_views

handler400 = "platu.core.errors.bad_request"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("m/<slug:name>/", core_views.module, name="module"),
    path("text-size/", core_views.text_size, name="text_size"),
    path("switch-organisation/", core_views.switch_organisation, name="switch_organisation"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("account/", include("platu.accounts.urls")),
    path("admin/", admin.site.urls),
    path("", include("platu.orgs.urls")),
    path("", include("platu.knowledge.urls")),
    path("", include("platu.notify.urls")),
    path("", include("platu.line.urls")),
    path("", include("platu.search.urls")),
    path("", include("platu.tracking.urls")),  # before planning: its sheet pattern would take "monitoring/"
    path("", include("platu.planning.urls")),
    path("", include("platu.communities.urls")),
    path("", include("platu.dashboards.urls")),
    path("", include("platu.surveys.urls")),
    path("", include("platu.awards.urls")),
    path("", include("platu.competency.urls")),
    path("", include("platu.privacy.urls")),
    path("api/v1/", api.urls),
    path("media/<path:path>", core_media.media, name="media"),
    path("favicon.ico", core_media.favicon, name="favicon"),
]
