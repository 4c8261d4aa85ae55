"""Questionnaire pages: patients fill in and review; clinicians rate COWS, set schedules and review."""
