"""How answers are shown. An answer is built once as data (`bot.answering.model`) and rendered here, once per
output: `answer_text` (the CLI, the console, `--json`'s `text` and Slack's fallback `text`) and `answer_blocks`
(Slack's Block Kit), on the primitives of `blockkit` (Slack's limits, escaping, sections, citations, buttons),
which the digest's views use too; `wording` holds the plurals and examples every view shares."""
