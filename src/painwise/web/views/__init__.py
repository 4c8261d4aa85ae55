"""Web views, split by audience: auth, patient, clinician, and the other roles (home.py dispatches)."""
