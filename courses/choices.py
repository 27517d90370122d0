"""Fixed vocabularies shared by courses and the good-practice bank."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Topic(models.TextChoices):
    """The training programme's subject areas (also the bank's crime areas)."""

    FUGITIVES = "fugitives", _("International searches for fugitives")
    SMUGGLING = "smuggling", _("Smuggling")
    ITINERANT_GROUPS = "itinerant_groups", _("Itinerant criminal groups")
    TRAFFICKING = "trafficking", _("Trafficking in human beings")
    HOT_PURSUIT = "hot_pursuit", _("Cross-border hot pursuit and surveillance")
    POLICE_LANGUAGE = "police_language", _("Police language")


class Region(models.TextChoices):
    """Where a practice comes from: the four eastern voivodeships or national level."""

    LUBELSKIE = "lubelskie", _("Lublin Voivodeship")
    PODKARPACKIE = "podkarpackie", _("Subcarpathian Voivodeship")
    PODLASKIE = "podlaskie", _("Podlaskie Voivodeship")
    WARMINSKO_MAZURSKIE = "warminsko_mazurskie", _("Warmian-Masurian Voivodeship")
    NATIONAL = "national", _("National")


class CalloutKind(models.TextChoices):
    LEGAL = "legal", _("Legal basis")
    WARNING = "warning", _("Warning")
    TIP = "tip", _("Tip")
