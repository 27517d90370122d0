"""Reads for the site shell."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from wagtail.models import Page, PageQuerySet, PageViewRestriction


def visible_pages(user: AbstractBaseUser | AnonymousUser) -> PageQuerySet:
    """Live pages this user may read, honouring Wagtail's page privacy settings.

    Anonymous visitors see public pages only; signed-in users also see pages
    restricted to logged-in users, and pages restricted to groups they are in.
    """
    pages = Page.objects.live()
    if not user.is_authenticated:
        return pages.public()
    if user.is_superuser:
        return pages
    hidden = PageViewRestriction.objects.exclude(
        restriction_type=PageViewRestriction.LOGIN
    ).exclude(groups__in=user.groups.all())
    for restriction in hidden.select_related("page"):
        pages = pages.not_descendant_of(restriction.page, inclusive=True)
    return pages
