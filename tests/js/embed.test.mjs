// The static-site loader's model shim: reading the embedded state, which models are anywidgets,
// get/set/on/off with change events.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { test } from "node:test";

// The loader is a classic script (so it runs from file:// too); it hands its logic to node via module.exports.
const { createModel, isAnywidget, KERNEL_NOTICE, parseStates } = createRequire(import.meta.url)(
  "../../src/mxsec/static/mxsec-embed.js",
);

const anywidget = {
  model_name: "AnyModel",
  model_module: "anywidget",
  model_module_version: "~0.11.*",
  state: {
    _esm: "export default {}",
    _css: "",
    _anywidget_id: "mxsec.widgets.timeline.Timeline",
    year: 1945,
  },
};
const slider = {
  model_name: "IntSliderModel",
  model_module: "@jupyter-widgets/controls",
  model_module_version: "2.0.0",
  state: { value: 3 },
};

test("the models of several widget-state scripts are merged", () => {
  const first = JSON.stringify({ version_major: 2, version_minor: 0, state: { a: anywidget } });
  const second = JSON.stringify({ version_major: 2, version_minor: 0, state: { b: slider } });
  const models = parseStates([first, second]);
  assert.deepEqual(Object.keys(models), ["a", "b"]);
  assert.equal(models.a.state.year, 1945);
  assert.deepEqual(parseStates([]), {});
  assert.throws(() => parseStates(["{not json"]));
});

test("only models of the anywidget module are rendered; others get the kernel notice", () => {
  assert.equal(isAnywidget(anywidget), true);
  assert.equal(isAnywidget(slider), false);
  assert.equal(isAnywidget(undefined), false);
  assert.match(KERNEL_NOTICE, /live Python kernel/);
});

test("the model gets and sets values without touching the saved state", () => {
  const model = createModel(anywidget.state);
  assert.equal(model.get("year"), 1945);
  model.set("year", 1990);
  assert.equal(model.get("year"), 1990);
  assert.equal(anywidget.state.year, 1945);
  assert.equal(model.get("missing"), undefined);
});

test("set fires change:<name> then change, with the model and the new value", () => {
  const model = createModel({ year: 1945, categories: ["assurance"] });
  const seen = [];
  model.on("change:year", (m, value) => seen.push(["change:year", m === model, value]));
  model.on("change", () => seen.push(["change"]));
  model.set("year", 1946);
  assert.deepEqual(seen, [["change:year", true, 1946], ["change"]]);
});

test("setting an equal value fires nothing, also for lists and objects", () => {
  const model = createModel({ year: 1945, categories: ["assurance"], placements: { a: "b" } });
  let fired = 0;
  model.on("change", () => fired++);
  model.set("year", 1945);
  model.set("categories", ["assurance"]);
  model.set("placements", { a: "b" });
  assert.equal(fired, 0);
  model.set("categories", []);
  assert.equal(fired, 1);
});

test("off removes one handler, all handlers of an event, or every handler", () => {
  const model = createModel({ x: 0 });
  let a = 0;
  let b = 0;
  const onA = () => a++;
  const onB = () => b++;
  model.on("change:x", onA);
  model.on("change:x", onB);
  model.off("change:x", onA);
  model.set("x", 1);
  assert.deepEqual([a, b], [0, 1]);
  model.off("change:x");
  model.set("x", 2);
  assert.deepEqual([a, b], [0, 1]);
  model.on("change:x", onA);
  model.off();
  model.set("x", 3);
  assert.deepEqual([a, b], [0, 1]);
});

test("a handler may set another value during a change (as widgets do)", () => {
  const model = createModel({ year: 2012, playing: true, end: 2013 });
  model.on("change:year", () => {
    if (model.get("year") >= model.get("end")) model.set("playing", false);
  });
  model.set("year", 2013);
  assert.equal(model.get("playing"), false);
});

test("saving and sending do nothing without a kernel", () => {
  const model = createModel({ x: 1 });
  assert.doesNotThrow(() => {
    model.save_changes();
    model.send({ any: "message" });
  });
  assert.equal(model.get("x"), 1);
});
