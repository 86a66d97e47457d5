"""The reporting pages, one module per sub-domain.

- ``dashboards``: the steering dashboards per role, their exports and the home panel.
- ``copil``: the copil report of a dashboard, its history and download.
- ``evaluation``: the quality and governance evaluation campaigns.
- ``voice``: the youths' anonymous questionnaire, from their own page.
"""
