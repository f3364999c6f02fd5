"""The podcast: an article's MP3s, tags and chapters, transcripts, the show's feeds."""
