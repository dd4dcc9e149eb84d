from django.urls import path

from . import views

app_name = "regime"
urlpatterns = [
    path("", views.index, name="index"),
    path("authorisations/", views.authorisation_list, name="authorisations"),
    path("authorisations/new/", views.authorisation_create, name="authorisation_create"),
    path("authorisations/<uuid:authorisation_id>/", views.authorisation_detail, name="authorisation_detail"),
    path(
        "authorisations/<uuid:authorisation_id>/evidence/", views.authorisation_evidence, name="authorisation_evidence"
    ),
    path("authorisations/<uuid:authorisation_id>/submit/", views.authorisation_submit, name="authorisation_submit"),
    path("authorisations/<uuid:authorisation_id>/advice/", views.authorisation_advise, name="authorisation_advise"),
    path("authorisations/<uuid:authorisation_id>/vote/", views.authorisation_vote, name="authorisation_vote"),
    path("authorisations/<uuid:authorisation_id>/decide/", views.authorisation_decide, name="authorisation_decide"),
    path("authorisations/<uuid:authorisation_id>/renew/", views.authorisation_renew, name="authorisation_renew"),
    path(
        "authorisations/<uuid:authorisation_id>/suspend-licences/",
        views.authorisation_suspend_licences,
        name="authorisation_suspend_licences",
    ),
    path("authorisations/<uuid:authorisation_id>/<str:action>/", views.authorisation_move, name="authorisation_move"),
    path("documents/<uuid:document_id>/", views.document_download, name="document_download"),
    path("register/", views.register, name="register"),
    path("register/publish/", views.register_publish, name="register_publish"),
    path("policy/", views.policy, name="policy"),
    path("policy/change/", views.policy_change, name="policy_change"),
    path("policy/<int:number>/", views.policy_version, name="policy_version"),
    path("policy/<int:number>/recheck/", views.policy_recheck, name="policy_recheck"),
    path("policy/<int:number>/suspend-licences/", views.policy_suspend_licences, name="policy_suspend_licences"),
    path("quotas/", views.quotas, name="quotas"),
    path("quotas/new/", views.quota_create, name="quota_create"),
    path("quotas/<uuid:quota_id>/", views.quota_change, name="quota_change"),
]
