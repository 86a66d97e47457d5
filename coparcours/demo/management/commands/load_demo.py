"""``coparcours load_demo``: the Nord demonstration at the field's scale (the GME's ~1,000
hosted minors since 2018 and their money, the CEJ-JR partnership's ~80 pathways) and two
answered referrals."""

from django.core.management.base import BaseCommand

from coparcours.demo.directory_partners import load_referral_demo
from coparcours.demo.needs import load_needs_referral_demo
from coparcours.demo.nord import demo_logins, load_nord_demo


class Command(BaseCommand):
    help = (
        "Load the Nord demonstration data at the field's scale (idempotent) and print the "
        "demo logins."
    )

    def handle(self, *args, **options) -> None:
        demo = load_nord_demo(field_scale=True)
        load_referral_demo()
        load_needs_referral_demo()
        self.stdout.write(self.style.SUCCESS("Démonstration du Nord chargée."))
        self.stdout.write("Comptes de démonstration (mot de passe identique pour tous) :")
        for email, password, roles in demo_logins(demo):
            self.stdout.write(f"  {email:<40} {password}   {roles}")
