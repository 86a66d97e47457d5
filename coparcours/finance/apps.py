from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "coparcours.finance"
    label = "finance"
    verbose_name = "Finances du groupement (GME)"
