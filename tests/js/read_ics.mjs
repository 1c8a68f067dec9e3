// Reads iCalendar files with ical.js (Mozilla's engine, the one in Thunderbird) and prints,
// for each file, every VEVENT's UID, DTSTART and DTEND as UTC instants, in JSON.
//
// ical.js carries no time-zone database: the only rules it knows are the VTIMEZONEs the
// file holds, registered here before any event is read. A VTIMEZONE that is wrong for a
// session's date gives a wrong instant, as in a client that honours the file's own zones.
//
// Usage: node read_ics.mjs FILE...   (output: {"FILE": [{"uid", "start", "end"}...]})
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

function readCalendar(text) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  ICAL.TimezoneService.reset();
  for (const zone of calendar.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(new ICAL.Timezone(zone));
  }
  return calendar.getAllSubcomponents("vevent").map((vevent) => {
    const event = new ICAL.Event(vevent);
    const zone = event.startDate.zone && event.startDate.zone.tzid;
    return {
      uid: event.uid,
      zone,
      start: event.startDate.toJSDate().toISOString(),
      end: event.endDate.toJSDate().toISOString(),
    };
  });
}

const result = {};
for (const path of process.argv.slice(2)) {
  result[path] = readCalendar(readFileSync(path, "utf8"));
}
process.stdout.write(JSON.stringify(result));
