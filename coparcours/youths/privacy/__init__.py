"""Data-protection rights on a youth's record, one module per sub-domain.

References: RGPD art. 15 (access, the export), 17 (erasure), 5-1-e (storage limitation);
CNIL référentiels 2021-028 (social and medico-social support), 2022-008 (child
protection and young adults) and 2023-095 (retention in the social sector: active data two
years after the last contact, then deletion or anonymisation).

- ``anonymisation``: erasing categories, anonymising a record, deleting erased files; the
  ``youth_anonymised`` signal.
- ``retention``: the last contact and the daily retention job; the ``retention_applied``
  signal.
- ``erasure``: erasure requests and their decisions.
- ``export``: the export of what the user may read about a youth.
- ``audit``: the organisation-wide search of the audit log.
"""
