"""Exit codes every command shares (README, Commands), so a script can tell "refused" from "could not read"."""

DONE = 0
REFUSED = 1  # a load refused, or the data has errors (`check`)
USAGE = 2  # a wrong command or setting (argparse's own code too)
UNREADABLE = 3  # the database file cannot be read: truncated, damaged, empty or foreign
