"""The reporting forms, one module per sub-domain.

- ``dashboards``: the dashboards' filters (free dates, or a funder's published grid).
- ``copil``: the comments of a copil report.
- ``evaluation``: the evaluation campaigns, self-assessment scores and improvement actions.
- ``voice``: the youths' anonymous questionnaire.
"""
