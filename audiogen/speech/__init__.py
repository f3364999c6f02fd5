"""Speech: a Section written for the ear, as a Script of sentences and pauses."""
