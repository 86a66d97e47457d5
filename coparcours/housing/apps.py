"""The housing app: registers its caseload stage source and renews the cached figures on
changes of stays, capacity and sites."""

from django.apps import AppConfig


class HousingConfig(AppConfig):
    name = "coparcours.housing"
    label = "housing"
    verbose_name = "Hébergement (GME)"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from coparcours.housing.figures import renew_on_change
        from coparcours.housing.models import CapacityChange, Site, Stay
        from coparcours.housing.stages import SOURCE
        from coparcours.youths import stages

        stages.register(SOURCE)
        for model in (Stay, CapacityChange, Site):
            post_save.connect(renew_on_change, sender=model, dispatch_uid=f"figures-{model}")
            post_delete.connect(renew_on_change, sender=model, dispatch_uid=f"figures-{model}-")
