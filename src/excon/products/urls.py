from django.urls import path

from . import views

app_name = "products"
urlpatterns = [
    path("", views.product_list, name="list"),
    path("new/", views.product_create, name="create"),
    path("import/", views.product_import, name="import"),
    path("review-queue/", views.review_queue, name="queue"),
    path("<uuid:product_id>/", views.product_detail, name="detail"),
    path("<uuid:product_id>/edit/", views.product_edit, name="edit"),
    path("<uuid:product_id>/move/<str:action>/", views.product_move, name="move"),
    path("<uuid:product_id>/documents/new/", views.document_upload, name="document_upload"),
    path("<uuid:product_id>/waivers/new/", views.stage_waive, name="waive"),
    path("<uuid:product_id>/classify/", views.product_classify, name="classify"),
    path("<uuid:product_id>/eligibility/", views.eligibility_decide, name="decide"),
    path("documents/<uuid:version_id>/download/", views.document_download, name="document_download"),
    path("documents/<uuid:version_id>/review/", views.document_review, name="document_review"),
]
