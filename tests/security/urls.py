"""The project's URLs with every app mounted where DESIGN and the lead put it.

Until config/urls.py includes an app, the security tests mount it here; once config/urls.py does,
this module adds nothing and the tests run against config/urls.py itself.
"""

from importlib.util import find_spec

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

MOUNTS = [  # (prefix, urls module, namespace)
    ("monitoring/excel/", "projects.excel_urls", "excel"),
    ("monitoring/", "projects.urls", "projects"),
    ("reports/", "reports.urls", "reports"),
    ("data/", "reports.opendata_urls", "opendata"),
]


def _mounted_namespaces(patterns):
    return {getattr(p, "namespace", None) for p in patterns}


def _available(module):
    try:
        return find_spec(module) is not None
    except ModuleNotFoundError:
        return False


urlpatterns = list(project_urlpatterns)
for prefix, module, namespace in MOUNTS:
    if namespace not in _mounted_namespaces(urlpatterns) and _available(module):
        urlpatterns.append(path(prefix, include(module)))
