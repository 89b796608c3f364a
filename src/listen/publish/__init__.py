"""Publishing narrated articles for listeners: a podcast feed, a download page, transcripts
(`publisher.publish`), and a small HTTP server for the local network (`server.make_server`)."""
