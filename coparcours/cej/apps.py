from django.apps import AppConfig


class CejConfig(AppConfig):
    name = "coparcours.cej"
    label = "cej"
    verbose_name = "Parcours CEJ-JR"

    def ready(self) -> None:
        from coparcours.cej.home import BLOCKS
        from coparcours.cej.home_answers import ABSENCES_BLOCK, PAPERS_BLOCK
        from coparcours.cej.home_programme import PERMANENCE_BLOCK, SESSIONS_BLOCK
        from coparcours.cej.privacy import on_retention_applied, on_youth_anonymised
        from coparcours.cej.record_panel import PANEL
        from coparcours.cej.stages import SOURCE
        from coparcours.cej.youth_section import PROGRAMME
        from coparcours.organisations import todo
        from coparcours.space import programmes
        from coparcours.youths import record_panels, stages
        from coparcours.youths.privacy.anonymisation import youth_anonymised
        from coparcours.youths.privacy.retention import retention_applied

        stages.register(SOURCE)
        programmes.register(PROGRAMME)
        record_panels.register(PANEL)
        for block in (*BLOCKS, ABSENCES_BLOCK, PAPERS_BLOCK, SESSIONS_BLOCK, PERMANENCE_BLOCK):
            todo.register(block)
        retention_applied.connect(on_retention_applied, dispatch_uid="cej_retention")
        youth_anonymised.connect(on_youth_anonymised, dispatch_uid="cej_anonymised")
