from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "coparcours.core"
    label = "core"
    verbose_name = "Socle"

    def ready(self) -> None:
        from django.forms import ModelChoiceField

        from coparcours.core.forms import ChoicesInOneQuery

        # Every model choice field, ModelForms' included (ModelMultipleChoiceField inherits it).
        ModelChoiceField.iterator = ChoicesInOneQuery
