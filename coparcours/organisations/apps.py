from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "coparcours.organisations"
    label = "organisations"
    verbose_name = "Organisations"
