"""Developer tools: screenshots of the built site, a local static server."""
