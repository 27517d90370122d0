from rest_framework.routers import DefaultRouter

from .views import ScormExportViewSet

router = DefaultRouter()
router.register("scorm-exports", ScormExportViewSet, basename="scorm-export")

urlpatterns = router.urls
