from django.urls import path

from . import views

app_name = "screening"
urlpatterns = [
    path("", views.hit_queue, name="queue"),
    path("hits/<uuid:hit_id>/", views.hit_detail, name="hit"),
    path("hits/<uuid:hit_id>/confirm/", views.hit_confirm, name="confirm"),
    path("hits/<uuid:hit_id>/dismiss/", views.hit_dismiss, name="dismiss"),
    path("search/", views.search, name="search"),
    path("lists/", views.list_status, name="lists"),
    path("entries/<uuid:entry_id>/", views.entry_detail, name="entry"),
    path("national/", views.national_list, name="national"),
    path("national/new/", views.national_create, name="national_create"),
    path("national/<uuid:entry_id>/edit/", views.national_edit, name="national_edit"),
    path("national/<uuid:entry_id>/remove/", views.national_remove, name="national_remove"),
]
