from django.urls import path

from . import views

app_name = "refdata"
urlpatterns = [
    path("", views.index, name="index"),
    path("control-list/", views.control_list, name="control_list"),
    path("control-list/<str:code>/", views.control_entry_detail, name="control_entry_detail"),
    path("hs-codes/", views.hs_code_list, name="hs_code_list"),
    path("embargoes/", views.embargo_list, name="embargo_list"),
    path("embargoes/new/", views.embargo_create, name="embargo_create"),
    path("embargoes/<str:embargo_id>/", views.embargo_detail, name="embargo_detail"),
    path("embargoes/<str:embargo_id>/edit/", views.embargo_edit, name="embargo_edit"),
    path("embargoes/<str:embargo_id>/end/", views.embargo_end, name="embargo_end"),
    path("destination-groups/", views.group_list, name="group_list"),
    path("destination-groups/new/", views.group_create, name="group_create"),
    path("destination-groups/<str:code>/", views.group_detail, name="group_detail"),
    path("destination-groups/<str:code>/edit/", views.group_edit, name="group_edit"),
]
