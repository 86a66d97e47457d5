from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "coparcours.directory"
    label = "directory"
    verbose_name = "Annuaire du territoire et orientation"

    def ready(self) -> None:
        from coparcours.directory.home import ANSWERED_BLOCK
        from coparcours.directory.record_panel import PANEL
        from coparcours.organisations import todo
        from coparcours.youths import record_panels

        todo.register(ANSWERED_BLOCK)
        record_panels.register(PANEL)
