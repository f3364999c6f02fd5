"""Talking books: EPUB 3 with Media Overlays and DAISY 2.02."""
