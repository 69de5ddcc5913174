// Self-check quiz: single and multiple choice and numeric questions, each checked on its own.

import { h, save, titleHeading, watch } from "./widget-kit.js";

/**
 * @typedef {{ text: string, correct: boolean, feedback?: string }} Option
 * @typedef {{ id: string, type: "single" | "multiple" | "numeric", prompt: string, explanation: string,
 *   options?: Option[], answer?: number, tolerance?: number, unit?: string }} Question
 * @typedef {string | string[] | number} Response single: option text; multiple: texts; numeric: number
 * @typedef {import("./widget-kit.js").Model} Model
 */

// ------------------------------------------------------------------ pure logic (tested in node)

/**
 * Read a number as people type it: "1,200", "1200", "1 200", "-3.5", ".5"; null if it is not one.
 * @param {string} text
 * @returns {number | null}
 */
export function parseNumber(text) {
  const compact = String(text)
    .trim()
    .replace(/[\s\u00a0\u202f]/g, "");
  if (!/^[+-]?(\d{1,3}(,\d{3})+|\d*)(\.\d+)?$/.test(compact) || !/\d/.test(compact)) return null;
  return Number(compact.replace(/,/g, ""));
}

/**
 * Right when |given - answer| <= tolerance (allowing for binary rounding, so 0.1 + 0.2 counts as 0.3).
 * @param {number} given
 * @param {number} answer
 * @param {number} [tolerance]
 * @returns {boolean}
 */
export function gradeNumeric(given, answer, tolerance = 0) {
  return (
    Number.isFinite(given) && Math.abs(given - answer) <= tolerance + 1e-9 * Math.max(1, Math.abs(answer))
  );
}

/**
 * Right when the chosen options are exactly the correct ones.
 * @param {Option[]} options
 * @param {number[]} chosen option indices
 * @returns {boolean}
 */
export function gradeChoice(options, chosen) {
  const picked = new Set(chosen);
  return picked.size > 0 && options.every((o, i) => o.correct === picked.has(i));
}

/**
 * @param {Record<string, boolean>} results
 * @param {number} total
 * @returns {string}
 */
export function scoreText(results, total) {
  return `${Object.values(results).filter(Boolean).length} of ${total} correct`;
}

// ------------------------------------------------------------------ view

let uid = 0;

/**
 * @param {Record<string, any>} record
 * @param {string} key
 * @returns {Record<string, any>} a copy without `key`
 */
function without(record, key) {
  const { [key]: _, ...rest } = record;
  return rest;
}

/**
 * @param {{ model: Model, el: HTMLElement }} ctx
 * @returns {() => void} cleanup
 */
function render({ model, el }) {
  const n = ++uid;
  /** @type {Question[]} */
  const questions = model.get("questions");
  const titleId = `mxsec-sc-${n}-title`;
  const total = h("p", { class: "mxsec-sc-total", "aria-live": "polite" });
  const views = questions.map((q, i) => questionView(q, i));

  el.replaceChildren(
    h(
      "div",
      { class: "mxsec-widget mxsec-self-check", role: "group", "aria-labelledby": titleId },
      titleHeading(el, titleId, model.get("title")),
      h("ol", { class: "mxsec-sc-list" }, ...views.map((v) => v.item)),
      total,
    ),
  );

  /**
   * @param {Question} q
   * @param {number} i
   */
  function questionView(q, i) {
    const base = `mxsec-sc-${n}-${i}`;
    /** @type {HTMLInputElement[]} */
    let inputs;
    let body;
    if (q.type === "numeric") {
      const input = /** @type {HTMLInputElement} */ (
        h("input", {
          type: "text",
          inputmode: "decimal",
          id: `${base}-input`,
          class: "mxsec-sc-number",
          autocomplete: "off",
          "aria-describedby": `${base}-unit ${base}-hint`,
        })
      );
      inputs = [input];
      body = h(
        "div",
        { class: "mxsec-sc-numeric" },
        h("label", { for: input.id }, "Your answer"),
        input,
        h("span", { id: `${base}-unit` }, q.unit ?? ""),
        h("p", { class: "mxsec-sc-hint", id: `${base}-hint` }, "Write 1,200 or 1200, as you like."),
      );
    } else {
      const kind = q.type === "single" ? "radio" : "checkbox";
      inputs = (q.options ?? []).map(
        (_, j) => /** @type {HTMLInputElement} */ (h("input", { type: kind, name: base, value: j })),
      );
      body = h(
        "div",
        { class: "mxsec-sc-options" },
        ...(q.type === "multiple" ? [h("p", { class: "mxsec-sc-hint" }, "Choose all that apply.")] : []),
        ...(q.options ?? []).map((o, j) =>
          h("label", { class: "mxsec-sc-option" }, inputs[j], h("span", {}, o.text)),
        ),
      );
    }
    const check = h("button", { type: "button", class: "mxsec-btn mxsec-primary" }, "Check");
    const retry = h("button", { type: "button", class: "mxsec-btn", hidden: true }, "Try again");
    const result = h("div", { class: "mxsec-sc-result", "aria-live": "polite" });
    const item = h(
      "li",
      { class: "mxsec-sc-question" },
      h(
        "fieldset",
        {},
        h("legend", {}, h("span", { class: "mxsec-sc-num", "aria-hidden": "true" }, `${i + 1}. `), q.prompt),
        body,
      ),
      h("div", { class: "mxsec-sc-actions" }, check, retry),
      result,
    );
    check.addEventListener("click", () => grade(q, inputs, result));
    retry.addEventListener("click", () => {
      save(model, {
        responses: without(model.get("responses"), q.id),
        results: without(model.get("results"), q.id),
        score: Object.values(without(model.get("results"), q.id)).filter(Boolean).length,
      });
      inputs[0].focus();
    });
    if (q.type === "numeric") {
      inputs[0].addEventListener("keydown", (e) => {
        if (e.key !== "Enter") return;
        e.preventDefault(); // else the key would also press "Try again", which takes the focus
        check.click();
      });
    }
    return { q, item, inputs, check, retry, result };
  }

  /**
   * Grade one question from what is on screen, or say what is missing.
   * @param {Question} q
   * @param {HTMLInputElement[]} inputs
   * @param {HTMLElement} result
   */
  function grade(q, inputs, result) {
    /** @type {Response} */
    let given;
    let right;
    if (q.type === "numeric") {
      const value = parseNumber(inputs[0].value);
      if (value === null) {
        result.replaceChildren(h("p", { class: "mxsec-sc-warn" }, "Enter a number, such as 1200 or 1,200."));
        return;
      }
      given = value;
      right = gradeNumeric(value, q.answer ?? NaN, q.tolerance);
    } else {
      const chosen = inputs.flatMap((box, j) => (box.checked ? [j] : []));
      if (!chosen.length) {
        result.replaceChildren(h("p", { class: "mxsec-sc-warn" }, "Choose an answer first."));
        return;
      }
      const texts = chosen.map((j) => (q.options ?? [])[j].text);
      given = q.type === "single" ? texts[0] : texts;
      right = gradeChoice(q.options ?? [], chosen);
    }
    const results = { ...model.get("results"), [q.id]: right };
    save(model, {
      responses: { ...model.get("responses"), [q.id]: given },
      results,
      score: Object.values(results).filter(Boolean).length,
    });
    views.find((v) => v.q === q)?.retry.focus();
  }

  /**
   * @param {Question} q
   * @param {Response} given
   * @param {boolean} right
   * @returns {HTMLElement[]}
   */
  function verdict(q, given, right) {
    const chosen = Array.isArray(given) ? given : [given];
    const notes = (q.options ?? [])
      .filter((o) => chosen.includes(o.text) && o.feedback)
      .map((o) => /** @type {string} */ (o.feedback));
    return [
      h(
        "p",
        { class: `mxsec-sc-verdict ${right ? "mxsec-sc-right" : "mxsec-sc-wrong"}` },
        h("span", { "aria-hidden": "true" }, right ? "\u2713 " : "\u2717 "),
        h("strong", {}, right ? "Correct." : "Not quite."),
      ),
      ...notes.map((note) => h("p", { class: "mxsec-sc-feedback" }, note)),
      h("p", { class: "mxsec-sc-explanation" }, h("strong", {}, "Explanation: "), q.explanation),
    ];
  }

  function update() {
    /** @type {Record<string, Response>} */
    const responses = model.get("responses");
    /** @type {Record<string, boolean>} */
    const results = model.get("results");
    for (const v of views) {
      const done = v.q.id in results;
      const given = responses[v.q.id];
      if (done && v.q.type === "numeric") {
        if (parseNumber(v.inputs[0].value) !== given) v.inputs[0].value = String(given ?? "");
      } else if (done) {
        const texts = Array.isArray(given) ? given : [given];
        v.inputs.forEach((box, j) => {
          box.checked = texts.includes((v.q.options ?? [])[j].text);
        });
      }
      for (const input of v.inputs) input.disabled = done;
      v.check.hidden = done;
      v.retry.hidden = !done;
      if (done) v.result.replaceChildren(...verdict(v.q, given, results[v.q.id]));
      else if (v.result.querySelector(".mxsec-sc-verdict")) v.result.replaceChildren();
    }
    total.textContent = `Score: ${scoreText(results, questions.length)}.`;
  }

  return watch(model, ["responses", "results"], update);
}

export default { render };
