// Self-check logic: reading numbers as typed, numeric and choice grading, the running score.
import assert from "node:assert/strict";
import { test } from "node:test";

import { gradeChoice, gradeNumeric, parseNumber, scoreText } from "../../src/mxsec/static/self-check.js";

test("numbers are read with or without thousands separators", () => {
  const read = {
    "1,200": 1200,
    1200: 1200,
    " 1 200 ": 1200,
    "240,000": 240000,
    "1,234,567.5": 1234567.5,
    "-3.5": -3.5,
    "+7": 7,
    ".5": 0.5,
    0: 0,
    "12\u00a0000": 12000,
  };
  for (const [text, value] of Object.entries(read)) assert.equal(parseNumber(text), value, text);
  for (const text of ["", "  ", "abc", "1,2", "12,00", "1.2.3", "1e3", "12%", "-", "1,200,0"]) {
    assert.equal(parseNumber(text), null, JSON.stringify(text));
  }
});

test("a numeric answer is right within the tolerance, bounds included", () => {
  assert.equal(gradeNumeric(240000, 240000), true);
  assert.equal(gradeNumeric(235000, 240000, 5000), true);
  assert.equal(gradeNumeric(245000, 240000, 5000), true);
  assert.equal(gradeNumeric(234999, 240000, 5000), false);
  assert.equal(gradeNumeric(240001, 240000), false);
  assert.equal(gradeNumeric(0.1 + 0.2, 0.3), true);
  assert.equal(gradeNumeric(NaN, 1, 100), false);
});

test("a choice is right only when exactly the correct options are chosen", () => {
  const single = [
    { text: "A", correct: false },
    { text: "B", correct: true },
    { text: "C", correct: false },
  ];
  assert.equal(gradeChoice(single, [1]), true);
  assert.equal(gradeChoice(single, [0]), false);
  assert.equal(gradeChoice(single, []), false);
  const multiple = [
    { text: "A", correct: true },
    { text: "B", correct: true },
    { text: "C", correct: false },
  ];
  assert.equal(gradeChoice(multiple, [0, 1]), true);
  assert.equal(gradeChoice(multiple, [1, 0]), true);
  assert.equal(gradeChoice(multiple, [0]), false);
  assert.equal(gradeChoice(multiple, [0, 1, 2]), false);
});

test("the running score counts right answers", () => {
  assert.equal(scoreText({}, 3), "0 of 3 correct");
  assert.equal(scoreText({ a: true, b: false, c: true }, 3), "2 of 3 correct");
});
