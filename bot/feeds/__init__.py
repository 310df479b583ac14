"""News feeds and shared links: fetching pages safely, reading feeds and articles from them, recognising each
story once, and polling the feeds. Imports reading, rules and store; commands, the digest and Slack call it."""
