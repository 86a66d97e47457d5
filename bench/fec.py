"""Time and memory of a FEC import: a generated 500,000-line FEC read as a stream.

    .venv/bin/python -m bench.fec [--lines 500000] [--keep]

On a scratch SQLite database (or the one of ``DATABASE_URL``, which must be empty and
migrated), it creates a GME with its lead member and finance officer, writes a FEC of
``--lines`` lines (tab separated, ``AAAAMMJJ`` dates, decimal comma; balanced entries of two
lines over 300 accounts, a year of dates) to a temporary file, then imports it through
``finance.services.balances.import_trial_balance`` as the page does (the file read line by
line, every line checked, per-account totals kept, one transaction), and imports it again
(refused: already imported). It prints the time, the peak resident memory of the process
(Django included) and the memory before the import; copy the figures to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup(database_url: str | None) -> None:
    if database_url is None:
        path = Path(tempfile.mkdtemp(prefix="fec-bench-")) / "bench.sqlite3"
        database_url = f"sqlite:///{path}"
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coparcours.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def write_fec(path: Path, lines: int, year: int) -> None:
    """A balanced FEC of ``lines`` lines (header included)."""
    from coparcours.finance.imports import FEC_COLUMNS

    accounts = [f"{prefix}{n:03d}00" for prefix in ("606", "613", "641", "645") for n in range(60)]
    accounts += [f"731{n:03d}00" for n in range(30)] + [f"758{n:03d}00" for n in range(30)]
    with path.open("w", encoding="utf-8") as out:
        out.write("\t".join(FEC_COLUMNS) + "\n")
        for entry in range((lines - 1) // 2):
            day = f"{year}{entry % 12 + 1:02d}{entry % 28 + 1:02d}"
            account = accounts[entry % len(accounts)]
            amount = f"{entry % 9973 + 1},{entry % 100:02d}"
            expense = account.startswith("6")
            debit, credit = (amount, "0,00") if expense else ("0,00", amount)
            head = f"OD\tOpérations diverses\t{entry + 1}\t{day}\t"
            tail = f"\t\t\tP{entry + 1}\t{day}\tÉcriture {entry + 1}\t"
            out.write(f"{head}{account}\tCompte {account}{tail}{debit}\t{credit}\t\t\t{day}\t\t\n")
            out.write(f"{head}512000\tBanque{tail}{credit}\t{debit}\t\t\t{day}\t\t\n")


def _status_mb(field: str) -> float:
    """VmRSS (now) or VmHWM (peak) of this process, in MB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_peak() -> None:
    """Reset the peak resident memory (Linux ≥ 4.0), so it measures the import alone."""
    Path("/proc/self/clear_refs").write_text("5")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=500_000)
    parser.add_argument("--keep", action="store_true", help="keep the generated FEC")
    args = parser.parse_args()
    _setup(os.environ.get("BENCH_DATABASE_URL"))

    from django.core.exceptions import ValidationError

    from coparcours.accounts.factories import UserFactory
    from coparcours.finance.models import BalanceSource, TrialBalanceLine
    from coparcours.finance.services.balances import import_trial_balance
    from coparcours.organisations.factories import (
        ConsortiumFactory,
        ConsortiumMemberFactory,
        MembershipFactory,
        OrganisationFactory,
    )
    from coparcours.organisations.models import Role

    year = 2025
    consortium = ConsortiumFactory(name="GME banc d'essai")
    lead = OrganisationFactory(name="Mandataire banc d'essai")
    ConsortiumMemberFactory(consortium=consortium, organisation=lead, is_lead=True)
    officer = UserFactory()
    MembershipFactory(user=officer, organisation=lead, role=Role.FINANCE_OFFICER)

    path = Path(tempfile.mkdtemp(prefix="fec-")) / f"123456789FEC{year}1231.txt"
    started = time.perf_counter()
    write_fec(path, args.lines, year)
    print(
        f"FEC written: {args.lines:,} lines, {path.stat().st_size / 1e6:.1f} MB "
        f"in {time.perf_counter() - started:.1f} s"
    )

    _reset_peak()
    before = _status_mb("VmRSS")
    started = time.perf_counter()
    with path.open("rb") as stream:
        balance = import_trial_balance(
            officer, consortium, lead, year, BalanceSource.FEC, stream, path.name
        )
    elapsed = time.perf_counter() - started
    accounts = TrialBalanceLine.objects.filter(trial_balance=balance).count()
    print(
        f"Import: {elapsed:.1f} s, {accounts} accounts, peak RSS during the import "
        f"{_status_mb('VmHWM'):.0f} MB (process before it: {before:.0f} MB)"
    )

    started = time.perf_counter()
    try:
        with path.open("rb") as stream:
            import_trial_balance(
                officer, consortium, lead, year, BalanceSource.FEC, stream, path.name
            )
    except ValidationError as error:
        print(
            f"Same file again: refused in {time.perf_counter() - started:.1f} s — "
            f"{error.messages[0]}"
        )
    if not args.keep:
        path.unlink()


if __name__ == "__main__":
    main()
