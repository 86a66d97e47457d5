from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "coparcours.directory"
    label = "directory"
    verbose_name = "Annuaire du territoire et orientation"
