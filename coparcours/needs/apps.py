from django.apps import AppConfig


class NeedsConfig(AppConfig):
    name = "coparcours.needs"
    label = "needs"
    verbose_name = "Besoins sans réponse"

    def ready(self) -> None:
        from coparcours.needs.home import STALE_BLOCK
        from coparcours.needs.record_panel import PANEL
        from coparcours.organisations import todo
        from coparcours.youths import record_panels

        todo.register(STALE_BLOCK)
        record_panels.register(PANEL)
