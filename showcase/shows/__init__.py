"""Show control: a session's running order run live, cue by cue, with the screen and the embargo following."""
