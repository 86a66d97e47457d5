"""`coparcours backup [DIRECTORY]`: the database and the uploaded files in one archive."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from coparcours.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Sauvegarde la base de données (journal d'audit compris) et les fichiers déposés."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "directory",
            nargs="?",
            default="backups",
            help="dossier où écrire l'archive (par défaut : ./backups)",
        )

    def handle(self, *args, directory: str, **options) -> None:
        try:
            archive = create_backup(Path(directory))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Sauvegarde écrite : {archive}"))
