"""How a digest is shown: its parts are decided once (`bot.digest.sections`) and formatted here, once as plain
text (`digest_text`: the CLI, the console and Slack's fallback `text`) and once as Block Kit (`digest_blocks`, on
the primitives of `bot.answering.views.blockkit`)."""
