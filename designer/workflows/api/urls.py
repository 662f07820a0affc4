"""URLs under /api/ for workflows (a router over ``WorkflowViewSet``)."""

from rest_framework.routers import SimpleRouter

from designer.workflows.api.views import WorkflowViewSet

router = SimpleRouter()
router.register("workflows", WorkflowViewSet, basename="workflow")

urlpatterns = router.urls
