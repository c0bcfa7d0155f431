"""Input: a clerk's files (YAML, text, dates, rosters) read into plain data with positions."""
