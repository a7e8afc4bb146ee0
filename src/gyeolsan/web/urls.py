"""URL map of the workspace (screens, API, health)."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from gyeolsan.web.views import urlpatterns as screens

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include(screens)),
]
