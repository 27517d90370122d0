"""Template tags that put the trainee's progress on the courses app's pages."""

from django import template

from courses.models import CoursePage, ModulePage

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def course_standing(
    context: template.Context, course: CoursePage, modules: list[ModulePage]
) -> selectors.CourseStanding | None:
    """The signed-in trainee's standing in the course; None for visitors."""
    user = context["request"].user
    if not user.is_authenticated:
        return None
    return selectors.course_standing(user, course, modules)


@register.simple_tag
def module_state(
    standing: selectors.CourseStanding | None, module: ModulePage
) -> selectors.ModuleState | None:
    return standing.module_state(module) if standing else None
