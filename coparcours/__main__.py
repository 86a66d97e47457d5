"""Command-line entry point: ``coparcours <django management command>``."""

import os
import sys


def main() -> None:
    """Run a Django management command with Coparcours settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coparcours.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
