"""Pages of the youths app, one module per sub-domain.

- ``records``: the caseload, opening, reading and editing a record, notes, documents and
  the record's access log.
- ``accompaniment``: co-accompaniments and consents, and the printable consent form.
- ``privacy``: the data-protection rights: export, erasure requests, audit search.
- ``break_glass``: an administrator's exceptional read of one category of a record.
"""
