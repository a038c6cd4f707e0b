"""The site's URLs plus views that fail, to see the pages a reader would get."""

from django.core.exceptions import PermissionDenied
from django.urls import include, path


def broken(request):
    raise RuntimeError("secret-internal-detail: the database password is hunter2")


def forbidden(request):
    raise PermissionDenied("secret-internal-detail: not in the editors group")


urlpatterns = [
    path("boom/", broken),
    path("forbidden/", forbidden),
    path("", include("careerguide.urls")),
]
