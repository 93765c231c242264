"""Judging: rounds, jurors, assignment, scores and the fair ranking that feeds the awards."""
