// Parses an iCalendar file with ical.js (Mozilla's RFC 5545 parser) and prints its events
// as JSON: [{"uid", "summary", "start", "dtstamp"}], start as YYYY-MM-DD with whether it
// is a date (all-day). Usage: node ical.cjs FILE.ics   Exit 1 when the file does not parse.
"use strict";
const fs = require("node:fs");
const ICAL = require("ical.js");

const text = fs.readFileSync(process.argv[2], "utf8");
let comp;
try {
  comp = new ICAL.Component(ICAL.parse(text));
} catch (e) {
  console.error(`does not parse: ${e.message}`);
  process.exit(1);
}
const events = comp.getAllSubcomponents("vevent").map((v) => {
  const e = new ICAL.Event(v);
  return {
    uid: e.uid,
    summary: e.summary,
    start: e.startDate.toString(),
    all_day: e.startDate.isDate,
    dtstamp: v.getFirstPropertyValue("dtstamp").toString(),
  };
});
console.log(JSON.stringify({ version: comp.getFirstPropertyValue("version"), events }));
