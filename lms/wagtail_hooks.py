"""Wagtail hooks of the learner side."""

from django.http import HttpRequest
from wagtail import hooks
from wagtail.models import Page

from courses.models import ModulePage

from . import privacy, report_views
from .admin_views import AccountsGroup
from .services import record_module_viewed
from .session_views import SessionViewSet


@hooks.register("before_serve_page")
def record_module_view(page: Page, request: HttpRequest, serve_args, serve_kwargs) -> None:
    """A signed-in trainee opening a live module has viewed it.

    Previews are served without this hook (`is_preview` keeps it so). This hook may run
    before Wagtail's own privacy check, so a module the trainee may not read is skipped here.
    """
    if (
        isinstance(page, ModulePage)
        and page.live
        and request.user.is_authenticated
        and not getattr(request, "is_preview", False)
        and all(restriction.accept_request(request) for restriction in page.get_view_restrictions())
    ):
        record_module_viewed(request.user, page)


@hooks.register("register_admin_viewset")
def register_accounts_admin() -> AccountsGroup:
    """The admin menu's "Trainees and units" (lms.admin_views)."""
    return AccountsGroup()


@hooks.register("register_admin_viewset")
def register_sessions_admin() -> SessionViewSet:
    """The admin menu's "Classroom sessions" (lms.session_views)."""
    return SessionViewSet()


# Training reports for trainers (lms.report_views).
hooks.register("register_admin_urls", report_views.admin_urls)
hooks.register("register_admin_menu_item", report_views.menu_item)

# The audit log entry of a trainee data erasure (lms.privacy).
hooks.register("register_log_actions", privacy.register_log_actions)
