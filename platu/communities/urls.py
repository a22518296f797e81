from django.urls import path

from platu.communities import views, views_events, views_records, views_space, views_time

app_name = "communities"

urlpatterns = [
    path("communities/", views.community_list, name="list"),
    path("communities/hours/", views_time.my_hours, name="my_hours"),
    path("calendar/", views_time.calendar_view, name="calendar"),
    path("calendar/feeds/", views_time.calendar_tokens, name="calendar_tokens"),
    path("calendar/feed/<str:token>.ics", views_time.calendar_feed, name="calendar_feed"),
    path("sessions/<int:pk>.ics", views_time.session_ics, name="session_ics"),
    path("orgs/<slug:code>/plc-hours/", views_time.org_hours, name="org_hours"),
    path("orgs/<slug:code>/plc-hours/<int:person_pk>/", views_time.my_hours, name="person_hours"),
    path("orgs/<slug:code>/communities/new/", views.community_new, name="new"),
    path("communities/<int:pk>/", views.community_detail, name="detail"),
    path("communities/<int:pk>/edit/", views.community_edit, name="edit"),
    path("communities/<int:pk>/members/", views.community_membership, name="membership"),
    path("communities/<int:pk>/sessions/new/", views.session_new, name="session_new"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/rsvp/", views.session_rsvp, name="rsvp"),
    path("sessions/<int:pk>/attendance/", views.session_attendance, name="attendance"),
    path("sessions/<int:pk>/cancel/", views.session_cancel, name="cancel"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/activities/", views.session_activities, name="activities"),
    path("sessions/<int:pk>/checkin/<str:token>/", views.checkin, name="checkin"),
    path("sessions/<int:pk>/record/", views.session_record, name="record"),
    path("sessions/<int:pk>/record/do/", views.session_record_action, name="record_action"),
]
urlpatterns += views_events.urlpatterns + views_space.urlpatterns + views_records.urlpatterns
