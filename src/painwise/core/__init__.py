"""Pure domain core: no Django, no I/O. Dataclasses in, result objects out."""
