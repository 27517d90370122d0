from rest_framework.routers import SimpleRouter

from .views import MeViewSet, TrainingReportViewSet

# SimpleRouter: the quiz API's DefaultRouter already serves the API root at /api/v1/.
router = SimpleRouter()
router.register("me", MeViewSet, basename="me")
router.register("reports", TrainingReportViewSet, basename="training-report")

urlpatterns = router.urls
