"""Operations that change the directory, one module per sub-domain. Each one runs in a
transaction; refusals are French ``ValidationError``.

- ``exchange``: data·inclusion reference values, import and export of structures and services.
- ``schemes``: the schemes of the orientation, loaded from a JSON file.
- ``referrals``: referrals sent with the youth's consent, answered, expired and reminded.
"""
