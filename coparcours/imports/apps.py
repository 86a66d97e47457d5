from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "coparcours.imports"
    label = "imports"
    verbose_name = "Import des données d'une organisation"
