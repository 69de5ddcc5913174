// Policy sorter logic: placements, grading, score text, the chapter pointer.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  grade,
  itemsIn,
  place,
  readMore,
  scoreText,
  UNSORTED,
} from "../../src/mxsec/static/policy-sorter.js";

const CATEGORIES = [
  { id: "assurance", label: "Assurance", definition: "After conflict.", chapter: "assurance" },
  { id: "prevention", label: "Prevention", definition: "Before conflict.", chapter: "prevention" },
];
const ITEMS = [
  { id: "refugees", label: "Refugees", category: "assurance", feedback: "Aftermath.", chapter: "assurance" },
  { id: "mediation", label: "Mediation", category: "prevention", feedback: "Before.", chapter: "prevention" },
  { id: "aid", label: "Aid", category: "assurance", feedback: "Rebuilding.", chapter: "assurance" },
];

test("placing returns a new object; moving back to the pool removes the entry", () => {
  const empty = {};
  const one = place(empty, "aid", "prevention");
  assert.deepEqual(empty, {});
  assert.deepEqual(one, { aid: "prevention" });
  assert.deepEqual(place(one, "aid", "assurance"), { aid: "assurance" });
  assert.deepEqual(place(one, "aid", UNSORTED), {});
});

test("items are listed per zone, in their own order", () => {
  const p = { aid: "assurance", refugees: "assurance" };
  assert.deepEqual(
    itemsIn(ITEMS, p, "assurance").map((i) => i.id),
    ["refugees", "aid"],
  );
  assert.deepEqual(
    itemsIn(ITEMS, p, UNSORTED).map((i) => i.id),
    ["mediation"],
  );
  assert.deepEqual(itemsIn(ITEMS, p, "prevention"), []);
});

test("grading counts the items placed as the paper does and tells wrong from unsorted", () => {
  const g = grade(ITEMS, { refugees: "assurance", mediation: "assurance" });
  assert.equal(g.score, 1);
  assert.equal(g.total, 3);
  assert.equal(g.unsorted, 1);
  assert.deepEqual(g.verdicts, { refugees: "correct", mediation: "wrong", aid: "unsorted" });
  assert.equal(grade(ITEMS, { refugees: "assurance", mediation: "prevention", aid: "assurance" }).score, 3);
});

test("the score reads N of M placed as the paper does", () => {
  assert.equal(scoreText(1, 3, 1), "1 of 3 placed as the paper does. 1 card is still unsorted.");
  assert.equal(scoreText(3, 3), "3 of 3 placed as the paper does.");
  assert.equal(scoreText(0, 3, 2), "0 of 3 placed as the paper does. 2 cards are still unsorted.");
});

test("the chapter pointer is a link only in the static book", () => {
  assert.deepEqual(readMore(ITEMS[1], CATEGORIES, true), {
    text: "Read more: the Prevention chapter",
    href: "prevention.html",
  });
  assert.deepEqual(readMore(ITEMS[1], CATEGORIES, false), {
    text: "Read more: the Prevention chapter",
    href: null,
  });
  assert.equal(readMore({ ...ITEMS[0], chapter: undefined }, CATEGORIES, true), null);
});
