"""Narration: a Script spoken by a voice and encoded, locally or on a cluster."""
