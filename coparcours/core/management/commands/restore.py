"""`coparcours restore ARCHIVE --yes`: put back a backup made by `coparcours backup`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from coparcours.core.backup import BackupError, describe, restore_backup


class Command(BaseCommand):
    help = (
        "Remplace la base de données et les fichiers déposés par ceux d'une sauvegarde. "
        "L'archive est vérifiée entièrement avant toute écriture."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", help="archive écrite par « coparcours backup »")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="confirme le remplacement des données actuelles",
        )

    def handle(self, *args, archive: str, yes: bool, **options) -> None:
        if not yes:
            raise CommandError(
                "La restauration remplace toutes les données actuelles : relancez avec --yes "
                "pour confirmer."
            )
        try:
            manifest = restore_backup(Path(archive))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Restauré : {describe(manifest)}."))
