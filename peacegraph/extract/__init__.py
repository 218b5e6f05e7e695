"""Assisted extraction: a French report in the seed's text format becomes draft seed YAML.

Every proposed fact carries its section and an exact quote of the report, and a review
status (proposed, new, known, ambiguous with candidates); nothing here writes to a store.
"""
