from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScormExportConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "scorm_export"
    verbose_name = _("SCORM export")
