"""``coparcours load_demo``: the Nord demonstration, a year of steering activity and two
answered referrals."""

from django.core.management.base import BaseCommand

from coparcours.demo.directory_partners import load_referral_demo
from coparcours.demo.nord import demo_logins, load_nord_demo
from coparcours.demo.reporting import load_steering_volume


class Command(BaseCommand):
    help = (
        "Load the Nord demonstration data and a year of steering activity (idempotent) and "
        "print the demo logins."
    )

    def handle(self, *args, **options) -> None:
        demo = load_nord_demo()
        load_steering_volume(
            demo.gme, demo.cej_jr, {"porteur": demo.porteur, "mission_locale": demo.mission_locale}
        )
        load_referral_demo()
        self.stdout.write(self.style.SUCCESS("Démonstration du Nord chargée."))
        self.stdout.write("Comptes de démonstration (mot de passe identique pour tous) :")
        for email, password, roles in demo_logins(demo):
            self.stdout.write(f"  {email:<40} {password}   {roles}")
