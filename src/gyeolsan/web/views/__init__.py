"""Screens of the workspace (Korean, server-rendered, a little fetch/htmx) and their URLs."""

from __future__ import annotations

from django.urls import path

from gyeolsan.web.views import (
    adjustments,
    audits,
    auth,
    cards,
    compare,
    dashboard,
    deadlines,
    documents,
    findings,
    history,
    imports,
    tables,
    workflow,
)


def _api_urls() -> list:  # type: ignore[type-arg]
    """The API authenticates by itself (token or session): exempt from the login redirect."""
    from gyeolsan.web.api import api

    patterns, app_name, namespace = api.urls
    for p in patterns:
        p.callback.login_required = False  # what @login_not_required sets
    return [path("api/", (patterns, app_name, namespace))]


urlpatterns = [
    path("login/", auth.login, name="login"),
    path("logout/", auth.logout, name="logout"),
    path("healthz", auth.healthz, name="healthz"),
    path("", auth.home, name="home"),
    path("account/token/", auth.token, name="token"),
    path("import/", imports.import_form, name="import"),
    path("import/<int:batch_pk>/", imports.import_preview, name="import-preview"),
    path("import/<int:batch_pk>/confirm/", imports.import_confirm, name="import-confirm"),
    path("import/<int:batch_pk>/cancel/", imports.import_cancel, name="import-cancel"),
    path("s/<int:pk>/", dashboard.dashboard, name="dashboard"),
    path("s/<int:pk>/deadlines/", deadlines.deadlines, name="deadlines"),
    path("s/<int:pk>/table/", tables.table, name="table"),
    path("s/<int:pk>/table/<str:tab>/", tables.table, name="table-tab"),
    path("s/<int:pk>/edit/", tables.edit, name="edit"),
    path("s/<int:pk>/cards/", cards.card_list, name="cards"),
    path("s/<int:pk>/cards/<int:card_pk>/", cards.card_edit, name="card"),
    path("s/<int:pk>/cards/<int:card_pk>/preview/", cards.card_preview, name="card-preview"),
    path("s/<int:pk>/adjustments/", adjustments.ledger, name="adjustments"),
    path("s/<int:pk>/adjustments/new/", adjustments.adjustment_edit, name="adjustment-new"),
    path("s/<int:pk>/adjustments/<int:adj_pk>/", adjustments.adjustment_edit, name="adjustment"),
    path(
        "s/<int:pk>/adjustments/<int:adj_pk>/delete/", adjustments.adjustment_delete, name="adjustment-delete"
    ),
    path("s/<int:pk>/audits/", audits.audit_list, name="audits"),
    path("s/<int:pk>/audits/<int:rec_pk>/", audits.audit_update, name="audit-update"),
    path("s/<int:pk>/audits/<int:rec_pk>/action/", audits.audit_action, name="audit-action"),
    path("s/<int:pk>/evidence/<int:ev_pk>/", audits.evidence_download, name="evidence"),
    path("s/<int:pk>/findings/", findings.findings, name="findings"),
    path("s/<int:pk>/findings/note/", findings.note, name="finding-note"),
    path("s/<int:pk>/findings.<str:fmt>", findings.download, name="findings-download"),
    path("s/<int:pk>/workflow/", workflow.overview, name="workflow"),
    path("s/<int:pk>/workflow/<str:action>/", workflow.settlement_step, name="settlement-step"),
    path(
        "s/<int:pk>/workflow/division/<int:division_pk>/<str:action>/",
        workflow.division_step,
        name="division-step",
    ),
    path("s/<int:pk>/documents/", documents.document_list, name="documents"),
    path("s/<int:pk>/documents/generate/", documents.generate, name="document-generate"),
    path("s/<int:pk>/documents/<int:doc_pk>/", documents.download, name="document-download"),
    path("s/<int:pk>/canonical.json", documents.canonical, name="canonical"),
    path("s/<int:pk>/compare/", compare.compare, name="compare"),
    path("s/<int:pk>/history/", history.settlement_history, name="history"),
    path("s/<int:pk>/history/<str:model>/<int:object_id>/", history.object_history, name="object-history"),
    *_api_urls(),
]
