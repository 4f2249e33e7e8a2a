"""Monitoring lives here: the plan's key projects and the annual monitoring records — the values
reported for each indicator and the yearly progress of each key project — with their review
workflow, reporting years (year locks) and Excel/CSV entry. See projects/README.md for the map."""
