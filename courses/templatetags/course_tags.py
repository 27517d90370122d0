"""Template helpers for course and good-practice pages."""

from django import template
from django.http import HttpRequest
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def duration(minutes: int | None) -> str:
    """Minutes as "1 h 30 min"."""
    if not minutes:
        return ""
    hours, rest = divmod(int(minutes), 60)
    if hours and rest:
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": rest}
    if hours:
        return _("%(hours)d h") % {"hours": hours}
    return _("%(minutes)d min") % {"minutes": rest}


@register.simple_tag(takes_context=True)
def query_url(context: template.Context, key: str, value: str = "") -> str:
    """The current URL with one query parameter set (or removed when empty); resets paging."""
    request: HttpRequest = context["request"]
    params = request.GET.copy()
    params.pop("page", None)
    if value:
        params[key] = value
    else:
        params.pop(key, None)
    encoded = params.urlencode()
    return f"{request.path}?{encoded}" if encoded else request.path


@register.simple_tag(takes_context=True)
def page_number_url(context: template.Context, number: int) -> str:
    request: HttpRequest = context["request"]
    params = request.GET.copy()
    params["page"] = str(number)
    return f"{request.path}?{params.urlencode()}"
