from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "coparcours.finance"
    label = "finance"
    verbose_name = "Finances du groupement (GME)"

    def ready(self) -> None:
        from coparcours.finance.home import MONTHS_BLOCK, UNPAID_BLOCK
        from coparcours.organisations import todo

        todo.register(MONTHS_BLOCK)
        todo.register(UNPAID_BLOCK)
