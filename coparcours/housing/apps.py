"""The housing app: registers its caseload stage source, its panel of a youth's record, its
part of the youth's space and its "À traiter" blocks of the home pages, erases the incident
details of an anonymised youth, and renews the cached figures on changes of stays, capacity
and sites."""

from django.apps import AppConfig


class HousingConfig(AppConfig):
    name = "coparcours.housing"
    label = "housing"
    verbose_name = "Hébergement (GME)"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from coparcours.housing.figures import renew_on_change
        from coparcours.housing.home import BLOCKS
        from coparcours.housing.home_incidents import BLOCKS as INCIDENT_BLOCKS
        from coparcours.housing.models import CapacityChange, Site, Stay
        from coparcours.housing.record_panel import PANEL, ROAD_PANEL
        from coparcours.housing.services.incidents import erase_youth_details
        from coparcours.housing.stages import SOURCE
        from coparcours.housing.youth_section import PROGRAMME
        from coparcours.organisations import todo
        from coparcours.space import programmes
        from coparcours.youths import record_panels, stages
        from coparcours.youths.privacy.anonymisation import youth_anonymised

        youth_anonymised.connect(erase_youth_details, dispatch_uid="housing_incident_details")
        stages.register(SOURCE)
        programmes.register(PROGRAMME)
        record_panels.register(PANEL)
        record_panels.register(ROAD_PANEL)
        for block in [*BLOCKS, *INCIDENT_BLOCKS]:
            todo.register(block)
        for model in (Stay, CapacityChange, Site):
            post_save.connect(renew_on_change, sender=model, dispatch_uid=f"figures-{model}")
            post_delete.connect(renew_on_change, sender=model, dispatch_uid=f"figures-{model}-")
