"""The one command layer: a typed line (slash command text, direct message, mention, console line, CLI `ask`) is
read once into a `Command` (command), its verb looked up in the one table of verbs (verbs) and run once (run);
Slack, the console and the command line only adapt what comes in and what goes out.

Adding a verb is one entry in `verbs.VERBS` and a function that turns a `Command` into an `Outcome`.
"""
