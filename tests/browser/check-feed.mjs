// Read one podcast feed with podcast-partytime, Podcast Index's own feed parser, and print
// what it understood as JSON (the channel fields directories use and, per item, the
// enclosure, chapters and transcripts).
//
//   node tests/browser/check-feed.mjs FEED.xml
import { readFileSync } from "node:fs";
import { parseFeed } from "podcast-partytime";

const feed = parseFeed(readFileSync(process.argv[2], "utf-8"));
if (!feed) {
  console.log(JSON.stringify({ parsed: false }));
  process.exit(0);
}
console.log(JSON.stringify({
  parsed: true,
  title: feed.title,
  language: feed.language,
  explicit: feed.explicit,
  author: feed.author,
  owner: feed.owner,
  categories: feed.categories,
  itunesImage: feed.itunesImage,
  guid: feed.guid,
  items: feed.items.map((item) => ({
    title: item.title,
    guid: item.guid,
    enclosure: item.enclosure,
    duration: item.duration,
    chapters: item.podcastChapters,
    transcripts: item.podcastTranscripts,
  })),
}));
