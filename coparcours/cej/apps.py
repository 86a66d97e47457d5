from django.apps import AppConfig


class CejConfig(AppConfig):
    name = "coparcours.cej"
    label = "cej"
    verbose_name = "Parcours CEJ-JR"

    def ready(self) -> None:
        from coparcours.cej.privacy import on_retention_applied, on_youth_anonymised
        from coparcours.cej.stages import SOURCE
        from coparcours.youths import privacy, stages

        stages.register(SOURCE)
        privacy.retention_applied.connect(on_retention_applied, dispatch_uid="cej_retention")
        privacy.youth_anonymised.connect(on_youth_anonymised, dispatch_uid="cej_anonymised")
