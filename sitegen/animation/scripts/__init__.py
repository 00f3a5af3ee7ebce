"""Author scripts: run in a contained child process, their frames taken through Animation.save."""
