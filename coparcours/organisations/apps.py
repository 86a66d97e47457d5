from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "coparcours.organisations"
    label = "organisations"
    verbose_name = "Organisations"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from coparcours.organisations.models import Consortium, ConsortiumMember, Membership
        from coparcours.organisations.standings import renew_on_change

        # The standings kept in the cache follow every change of a consortium, of its
        # members and of the memberships (organisations.standings).
        for model in (Consortium, ConsortiumMember, Membership):
            post_save.connect(renew_on_change, sender=model, dispatch_uid=f"standings-{model}")
            post_delete.connect(renew_on_change, sender=model, dispatch_uid=f"standings-{model}-")
