// Timeline logic: period and administrations per year on the shared vectors, events per year.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import {
  administrationsIn,
  eventsIn,
  nextEventYear,
  periodOf,
  stateForYear,
  yearsLabel,
} from "../../src/mxsec/static/timeline.js";

const vectors = JSON.parse(readFileSync(new URL("../vectors/timeline_years.json", import.meta.url), "utf8"));

const EVENTS = [
  { id: "one-year", year: 1990, title: "One year", category: "protection" },
  { id: "decade", year: 1990, year_end: 1999, title: "A decade", category: "prevention", approximate: true },
  { id: "later", year: 1996, title: "Later", category: "assurance" },
  { id: "much-later", year: 2001, title: "Much later", category: "protection" },
];

test("stateForYear gives the period and administrations of the shared vectors", () => {
  for (const c of vectors.cases) {
    const s = stateForYear(vectors.data, c.year);
    assert.equal(s.period?.number ?? null, c.period, `period of ${c.year}`);
    assert.deepEqual(
      s.administrations.map((a) => a.id),
      c.administrations,
      `administrations in ${c.year}`,
    );
    assert.deepEqual(s.events, []);
  }
});

test("in a year of transition the outgoing president serves until 30 Nov, the incoming from 1 Dec", () => {
  const admins = administrationsIn(vectors.data.administrations, 2000);
  assert.deepEqual(
    admins.map((a) => [a.id, a.term]),
    [
      ["zedillo", "until 30 Nov"],
      ["fox", "from 1 Dec"],
    ],
  );
  assert.deepEqual(
    administrationsIn(vectors.data.administrations, 1997).map((a) => a.term),
    [null],
  );
});

test("periodOf is null outside the periods", () => {
  assert.equal(periodOf(vectors.data.periods, 1900), null);
  assert.equal(periodOf(vectors.data.periods, 1980)?.id, "period-2");
});

test("an event is shown in every year it spans, and only in the chosen categories", () => {
  assert.deepEqual(
    eventsIn(EVENTS, 1990).map((e) => e.id),
    ["one-year", "decade"],
  );
  assert.deepEqual(
    eventsIn(EVENTS, 1995).map((e) => e.id),
    ["decade"],
  );
  assert.deepEqual(
    eventsIn(EVENTS, 1999).map((e) => e.id),
    ["decade"],
  );
  assert.deepEqual(eventsIn(EVENTS, 2000), []);
  assert.deepEqual(
    eventsIn(EVENTS, 1990, ["protection"]).map((e) => e.id),
    ["one-year"],
  );
  assert.deepEqual(eventsIn(EVENTS, 1990, []), []);
  const s = stateForYear({ ...vectors.data, events: EVENTS }, 1996, ["assurance", "prevention"]);
  assert.deepEqual(
    [s.period?.number, s.administrations.map((a) => a.id), s.events.map((e) => e.id)],
    [3, ["zedillo"], ["decade", "later"]],
  );
});

test("the next event year skips what the filter hides", () => {
  assert.equal(nextEventYear(EVENTS, 1985), 1990);
  assert.equal(nextEventYear(EVENTS, 1990), 1996);
  assert.equal(nextEventYear(EVENTS, 1990, ["protection"]), 2001);
  assert.equal(nextEventYear(EVENTS, 2001), null);
});

test("year spans are written with an en dash", () => {
  assert.equal(yearsLabel({ year: 1991 }), "1991");
  assert.equal(yearsLabel({ year: 1990, year_end: 1999 }), "1990\u20131999");
  assert.equal(yearsLabel({ start: 1988, end: 1994 }), "1988\u20131994");
});
