"""Plain rules about a young person's record: majority, names, duplicates, consent, the
delay to answer a request about one's data."""

from __future__ import annotations

import calendar
import datetime
import unicodedata

MAJORITY_AGE = 18


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day ``years`` later; 29 February becomes 1 March (Code civil usage)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return datetime.date(day.year + years, 3, 1)


def majority_date(birth_date: datetime.date | None) -> datetime.date | None:
    """The day the youth turns 18 (CASF L.222-5: end of child-protection care as a minor)."""
    return add_years(birth_date, MAJORITY_AGE) if birth_date else None


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def search_key(text: str) -> str:
    """Accent-, case- and punctuation-insensitive form of a name, for duplicate detection."""
    # Case is folded before the accents are dropped: a mark may fold to a letter (U+0345,
    # the Greek iota subscript, folds to ι).
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold())
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    cleaned = "".join(c if c.isalnum() else " " for c in letters.casefold())
    return " ".join(cleaned.split())


#: Two records are likely the same person when names match (accents, case and the
#: order of first names aside) and birth dates are at most this many days apart:
#: declared birth dates of unaccompanied minors are often approximate.
DUPLICATE_BIRTH_TOLERANCE_DAYS = 400


def answer_due(received_on: datetime.date) -> datetime.date:
    """The last day to answer a request about one's data: one month after it is received
    (RGPD art. 12.3), the same day of the next month or that month's last day."""
    year, month = divmod(received_on.year * 12 + received_on.month, 12)  # next month, from 0
    days = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(received_on.day, days))
