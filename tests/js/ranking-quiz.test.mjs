// Ranking quiz logic: Kendall's tau on the shared vectors, moves, feedback text.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import {
  correctOrder,
  formatTau,
  kendallTau,
  moveItem,
  moveMessage,
  pairCounts,
  placements,
  placementText,
  scoreText,
} from "../../src/mxsec/static/ranking-quiz.js";

const vectors = JSON.parse(readFileSync(new URL("../vectors/kendall_tau.json", import.meta.url), "utf8"));

test("Kendall's tau matches the hand-counted vectors", () => {
  for (const c of vectors.cases) {
    assert.ok(Math.abs(kendallTau(c.order, c.correct) - c.tau) < 1e-12, c.name);
    const [num, den] = c.tau_fraction.split("/").map(Number);
    assert.ok(Math.abs(kendallTau(c.order, c.correct) - num / den) < 1e-12, c.name);
    const counts = pairCounts(c.order, c.correct);
    assert.equal(counts.concordant, c.concordant, c.name);
    assert.equal(counts.pairs, c.pairs, c.name);
    assert.equal(counts.concordant + counts.discordant, c.pairs, c.name);
  }
});

test("Kendall's tau refuses what is not a permutation of two or more items", () => {
  for (const c of vectors.invalid) assert.throws(() => kendallTau(c.order, c.correct), /order:/, c.name);
});

test("the correct order is by ascending rank, whatever order the items come in", () => {
  const items = [
    { id: "x", label: "X", rank: 10 },
    { id: "y", label: "Y", rank: 1 },
    { id: "z", label: "Z", rank: 5 },
  ];
  assert.deepEqual(correctOrder(items), ["y", "z", "x"]);
});

test("moving an item returns a new order and clamps at the ends", () => {
  const order = ["a", "b", "c", "d"];
  assert.deepEqual(moveItem(order, 3, 1), ["a", "d", "b", "c"]);
  assert.deepEqual(moveItem(order, 0, 2), ["b", "c", "a", "d"]);
  assert.deepEqual(moveItem(order, 1, -5), ["b", "a", "c", "d"]);
  assert.deepEqual(moveItem(order, 1, 99), ["a", "c", "d", "b"]);
  assert.deepEqual(order, ["a", "b", "c", "d"], "the input is left alone");
});

test("each move is announced as the spec words it", () => {
  assert.equal(moveMessage("Weapons trafficking", 3, 7), "Weapons trafficking moved to position 3 of 7");
});

test("per-item feedback says how far off and which way", () => {
  const fb = placements(["c", "a", "b"], ["a", "b", "c"]);
  assert.deepEqual(
    fb.map((p) => [p.id, p.position, p.correctPosition, p.offBy]),
    [
      ["c", 1, 3, 2],
      ["a", 2, 1, 1],
      ["b", 3, 2, 1],
    ],
  );
  assert.equal(placementText(fb[0]), "2 places too high: it belongs at position 3.");
  assert.equal(placementText(fb[1]), "1 place too low: it belongs at position 1.");
  assert.equal(placementText({ id: "a", position: 2, correctPosition: 2, offBy: 0 }), "In the right place.");
});

test("tau is shown with two decimals, a true minus sign, and as pairs in the right order", () => {
  assert.equal(formatTau(1), "1.00");
  assert.equal(formatTau(0), "0.00");
  assert.equal(formatTau(-11 / 21), "\u22120.52");
  assert.equal(formatTau(2 / 3), "0.67");
  const start = vectors.cases.at(-1);
  assert.equal(
    scoreText(start.order, start.correct),
    "Kendall's tau: \u22120.05. 10 of 21 pairs in the right order.",
  );
  assert.equal(
    scoreText(start.correct, start.correct),
    "Kendall's tau: 1.00. 21 of 21 pairs in the right order.",
  );
});
