// Threat-ranking quiz: reorder items by drag and drop or keyboard, check, see Kendall's tau.

import { h, save, titleHeading, watch } from "./widget-kit.js";

/**
 * @typedef {{ id: string, label: string, rank: number, note?: string }} Item
 * @typedef {{ concordant: number, discordant: number, pairs: number }} PairCounts
 * @typedef {{ id: string, position: number, correctPosition: number, offBy: number }} Placement
 * @typedef {import("./widget-kit.js").Model} Model
 */

// ------------------------------------------------------------------ pure logic (tested in node)

/**
 * The ids in the right order: ascending rank.
 * @param {Item[]} items
 * @returns {string[]}
 */
export function correctOrder(items) {
  return [...items].sort((a, b) => a.rank - b.rank).map((it) => it.id);
}

/**
 * Pairs of items in the same order as `correct` (concordant) and in the opposite order (discordant).
 * @param {string[]} order
 * @param {string[]} correct
 * @returns {PairCounts}
 */
export function pairCounts(order, correct) {
  const position = new Map(correct.map((id, i) => [id, i]));
  const isPermutation =
    order.length === correct.length &&
    new Set(order).size === order.length &&
    order.every((id) => position.has(id));
  if (!isPermutation) throw new Error("order: must be a permutation of the correct order's items");
  if (order.length < 2) throw new Error("order: needs at least two items");
  const ranks = order.map((id) => /** @type {number} */ (position.get(id)));
  let concordant = 0;
  let discordant = 0;
  for (let i = 0; i < ranks.length; i++) {
    for (let j = i + 1; j < ranks.length; j++) {
      if (ranks[i] < ranks[j]) concordant++;
      else discordant++;
    }
  }
  return { concordant, discordant, pairs: (ranks.length * (ranks.length - 1)) / 2 };
}

/**
 * Kendall's tau-a: 1 same order, -1 reversed. Same formula as mxsec.widgets.kendall_tau.
 * @param {string[]} order
 * @param {string[]} correct
 * @returns {number}
 */
export function kendallTau(order, correct) {
  const { concordant, discordant, pairs } = pairCounts(order, correct);
  return (concordant - discordant) / pairs;
}

/**
 * Where each item is (1-based) and where it belongs.
 * @param {string[]} order
 * @param {string[]} correct
 * @returns {Placement[]}
 */
export function placements(order, correct) {
  return order.map((id, i) => {
    const correctPosition = correct.indexOf(id) + 1;
    return { id, position: i + 1, correctPosition, offBy: Math.abs(i + 1 - correctPosition) };
  });
}

/** One line of feedback on an item's place. @param {Placement} p @returns {string} */
export function placementText(p) {
  if (p.offBy === 0) return "In the right place.";
  const places = p.offBy === 1 ? "1 place" : `${p.offBy} places`;
  const way = p.position > p.correctPosition ? "too low" : "too high";
  return `${places} ${way}: it belongs at position ${p.correctPosition}.`;
}

/** @param {string[]} order @param {number} from @param {number} to @returns {string[]} a moved copy */
export function moveItem(order, from, to) {
  const next = [...order];
  const [id] = next.splice(from, 1);
  next.splice(Math.max(0, Math.min(to, order.length - 1)), 0, id);
  return next;
}

/** @param {string} label @param {number} position 1-based @param {number} total @returns {string} */
export function moveMessage(label, position, total) {
  return `${label} moved to position ${position} of ${total}`;
}

/** Tau with two decimals and a true minus sign. @param {number} tau @returns {string} */
export function formatTau(tau) {
  const text = Math.abs(tau).toFixed(2);
  return tau < 0 && text !== "0.00" ? `\u2212${text}` : text;
}

/** @param {string[]} order @param {string[]} correct @returns {string} */
export function scoreText(order, correct) {
  const counts = pairCounts(order, correct);
  const tau = kendallTau(order, correct);
  return `Kendall's tau: ${formatTau(tau)}. ${counts.concordant} of ${counts.pairs} pairs in the right order.`;
}

const TAU_EXPLAINED =
  "Kendall's tau compares every pair of items: it is the share of pairs you put " +
  "in the survey's order minus the share you put the other way round, so 1.00 is the survey's order, " +
  "0 no agreement and \u22121.00 the exact reverse.";

// ------------------------------------------------------------------ view

/** @type {WeakMap<Model, string[]>} the order each quiz started with, for "Try again" */
const initialOrders = new WeakMap();
let uid = 0;

/**
 * @param {{ model: Model, el: HTMLElement }} ctx
 * @returns {() => void} cleanup
 */
function render({ model, el }) {
  const n = ++uid;
  /** @type {Item[]} */
  const items = model.get("items");
  const byId = new Map(items.map((it) => [it.id, it]));
  const correct = correctOrder(items);
  const start = initialOrders.get(model) ?? [...model.get("order")];

  const titleId = `mxsec-rq-${n}-title`;
  const helpId = `mxsec-rq-${n}-help`;
  const answerId = `mxsec-rq-${n}-answer`;
  const list = h("ol", { class: "mxsec-rq-list", "aria-labelledby": titleId });
  const live = h("p", { class: "mxsec-sr-only", "aria-live": "polite" });
  const result = h("div", { class: "mxsec-rq-result", "aria-live": "polite" });
  const checkBtn = h("button", { type: "button", class: "mxsec-btn mxsec-primary" }, "Check");
  const revealBtn = h(
    "button",
    { type: "button", class: "mxsec-btn", "aria-expanded": "false", "aria-controls": answerId },
    "Reveal answer",
  );
  const resetBtn = h("button", { type: "button", class: "mxsec-btn" }, "Try again");
  const answer = h(
    "div",
    { class: "mxsec-rq-answer", id: answerId, hidden: true },
    h("p", { class: "mxsec-rq-answer-title" }, "The correct order"),
    h("ol", {}, ...correct.map((id) => h("li", {}, `${byId.get(id)?.label} (rank ${byId.get(id)?.rank})`))),
  );

  /** @type {Map<string, {li: HTMLElement, pos: HTMLElement, handle: HTMLElement, up: HTMLElement, down: HTMLElement, feedback: HTMLElement}>} */
  const rows = new Map();
  for (const item of items) rows.set(item.id, makeRow(item));

  el.replaceChildren(
    h(
      "div",
      { class: "mxsec-widget mxsec-ranking-quiz", role: "group", "aria-labelledby": titleId },
      titleHeading(el, titleId, model.get("title")),
      h("p", { class: "mxsec-rq-prompt" }, model.get("prompt")),
      h(
        "p",
        { class: "mxsec-rq-help", id: helpId },
        "Drag an item by its handle, or use its Up and Down buttons. With the keyboard: on an item, " +
          "press Space to pick it up, the arrow keys to move it and Space again to drop it.",
      ),
      list,
      live,
      h("div", { class: "mxsec-rq-actions" }, checkBtn, revealBtn, resetBtn),
      result,
      answer,
      h("p", { class: "mxsec-rq-source" }, model.get("source_note")),
    ),
  );

  /** @type {{ id: string, from: number } | null} item picked up with the keyboard */
  let picked = null;

  /**
   * @param {Item} item
   */
  function makeRow(item) {
    const handle = h(
      "button",
      { type: "button", class: "mxsec-rq-handle", "aria-pressed": "false", "aria-describedby": helpId },
      h("span", { class: "mxsec-rq-grip", "aria-hidden": "true" }, "\u2807"),
      item.label,
    );
    const [up, down] = [
      ["up", "\u25B2 ", "Up"],
      ["down", "\u25BC ", "Down"],
    ].map(([way, arrow, text]) =>
      h(
        "button",
        { type: "button", class: "mxsec-btn mxsec-rq-move", "aria-label": `Move ${item.label} ${way}` },
        h("span", { "aria-hidden": "true" }, arrow),
        text,
      ),
    );
    const pos = h("span", { class: "mxsec-rq-pos", "aria-hidden": "true" });
    const feedback = h("div", { class: "mxsec-rq-feedback", hidden: true });
    const li = h(
      "li",
      { class: "mxsec-rq-item", "data-id": item.id },
      h("div", { class: "mxsec-rq-row" }, pos, handle, h("span", { class: "mxsec-rq-moves" }, up, down)),
      feedback,
    );
    up.addEventListener("click", () => moveBy(item.id, -1));
    down.addEventListener("click", () => moveBy(item.id, 1));
    handle.addEventListener("keydown", (e) => onHandleKey(item.id, e));
    // Focus moving elsewhere drops the item; a blur with no new target comes from reordering rows.
    handle.addEventListener("focusout", (e) => {
      if (picked?.id === item.id && e.relatedTarget) drop();
    });
    handle.addEventListener("pointerdown", (e) => startDrag(item.id, e));
    return { li, pos, handle, up, down, feedback };
  }

  /** @returns {string[]} */
  const order = () => model.get("order");
  /** @param {string} id */
  const label = (id) => byId.get(id)?.label ?? id;

  /**
   * Store a new order; a check made before the move no longer applies.
   * @param {string[]} next
   */
  function commit(next) {
    save(model, { order: next, checked: false });
  }

  /**
   * @param {string} id
   * @param {number} delta
   */
  function moveBy(id, delta) {
    const from = order().indexOf(id);
    const to = from + delta;
    if (to < 0 || to >= order().length) {
      live.textContent = `${label(id)} is already at the ${to < 0 ? "top" : "bottom"}.`;
      return;
    }
    commit(moveItem(order(), from, to));
    live.textContent = moveMessage(label(id), to + 1, order().length);
  }

  /**
   * @param {string} id
   * @param {KeyboardEvent} e
   */
  function onHandleKey(id, e) {
    const index = order().indexOf(id);
    if (picked && picked.id !== id) drop();
    if (e.key === " " || e.key === "Enter") {
      e.preventDefault();
      if (picked) drop();
      else pickUp(id, index);
    } else if (e.key === "ArrowUp" || e.key === "ArrowDown") {
      e.preventDefault();
      const delta = e.key === "ArrowUp" ? -1 : 1;
      if (picked) moveBy(id, delta);
      else rows.get(order()[index + delta] ?? id)?.handle.focus();
    } else if (e.key === "Escape" && picked) {
      e.preventDefault();
      const { from } = picked;
      commit(moveItem(order(), index, from));
      picked = null;
      update();
      live.textContent = `Move cancelled. ${label(id)} is back at position ${from + 1} of ${order().length}.`;
    }
  }

  /**
   * @param {string} id
   * @param {number} index
   */
  function pickUp(id, index) {
    picked = { id, from: index };
    update();
    live.textContent =
      `${label(id)} picked up, position ${index + 1} of ${order().length}. ` +
      "Arrow keys move it, Space drops it, Escape cancels.";
  }

  function drop() {
    if (!picked) return;
    const { id } = picked;
    picked = null;
    update();
    live.textContent = `${label(id)} dropped at position ${order().indexOf(id) + 1} of ${order().length}.`;
  }

  /**
   * Pointer (mouse, touch, pen) drag: the row moves while dragging; the order is stored on release.
   * @param {string} id
   * @param {PointerEvent} down
   */
  function startDrag(id, down) {
    if (down.button !== 0) return;
    const row = /** @type {HTMLElement} */ (rows.get(id)?.li);
    const handle = /** @type {HTMLElement} */ (rows.get(id)?.handle);
    let dragging = false;
    /** @param {PointerEvent} e */
    const onMove = (e) => {
      if (!dragging && Math.abs(e.clientY - down.clientY) < 4) return;
      if (!dragging) {
        dragging = true;
        row.classList.add("mxsec-rq-dragging");
      }
      const before = [...list.children].find((li) => {
        const box = li.getBoundingClientRect();
        return li !== row && e.clientY < box.top + box.height / 2;
      });
      list.insertBefore(row, before ?? null);
    };
    const onUp = () => {
      document.removeEventListener("pointermove", onMove);
      document.removeEventListener("pointerup", onUp);
      document.removeEventListener("pointercancel", onUp);
      if (!dragging) return;
      row.classList.remove("mxsec-rq-dragging");
      const next = [...list.children].map((li) => /** @type {string} */ (li.getAttribute("data-id")));
      if (next.join() !== order().join()) {
        commit(next);
        live.textContent = moveMessage(label(id), next.indexOf(id) + 1, next.length);
      }
    };
    // Moving the row releases pointer capture, so the drag listens on the document.
    handle.setPointerCapture(down.pointerId);
    document.addEventListener("pointermove", onMove);
    document.addEventListener("pointerup", onUp);
    document.addEventListener("pointercancel", onUp);
  }

  /** Bring the view in line with the model: order, positions, picked item, feedback, result. */
  function update() {
    const active = document.activeElement;
    const current = order();
    const checked = model.get("checked");
    const feedback = new Map(placements(current, correct).map((p) => [p.id, p]));
    current.forEach((id, i) => {
      const row = rows.get(id);
      if (!row) return;
      list.append(row.li);
      row.pos.textContent = String(i + 1);
      row.up.setAttribute("aria-disabled", String(i === 0));
      row.down.setAttribute("aria-disabled", String(i === current.length - 1));
      row.handle.setAttribute("aria-pressed", String(picked?.id === id));
      row.li.classList.toggle("mxsec-rq-picked", picked?.id === id);
      showFeedback(row.feedback, checked ? feedback.get(id) : undefined, byId.get(id)?.note);
    });
    if (active instanceof HTMLElement && list.contains(active)) active.focus();
    result.replaceChildren(
      ...(checked
        ? [
            h("p", { class: "mxsec-rq-score" }, scoreText(current, correct)),
            h("p", { class: "mxsec-rq-explain" }, TAU_EXPLAINED),
          ]
        : []),
    );
    const revealed = Boolean(model.get("revealed"));
    answer.hidden = !revealed;
    revealBtn.setAttribute("aria-expanded", String(revealed));
  }

  /**
   * @param {HTMLElement} box
   * @param {Placement | undefined} p
   * @param {string | undefined} note
   */
  function showFeedback(box, p, note) {
    box.hidden = !p;
    box.replaceChildren();
    if (!p) return;
    const right = p.offBy === 0;
    box.className = `mxsec-rq-feedback ${right ? "mxsec-rq-right" : "mxsec-rq-wrong"}`;
    box.append(
      h(
        "p",
        {},
        h("span", { class: "mxsec-rq-icon", "aria-hidden": "true" }, right ? "\u2713 " : "\u2717 "),
        h("strong", {}, right ? "Correct. " : "Not quite. "),
        placementText(p),
      ),
      ...(note ? [h("p", { class: "mxsec-rq-note" }, note)] : []),
    );
  }

  checkBtn.addEventListener("click", () =>
    save(model, { checked: true, score: kendallTau(order(), correct) }),
  );
  revealBtn.addEventListener("click", () => save(model, { revealed: !model.get("revealed") }));
  resetBtn.addEventListener("click", () => {
    picked = null;
    save(model, { order: [...start], checked: false, revealed: false, score: null });
    live.textContent = "The list is back in its starting order.";
  });

  return watch(model, ["order", "checked", "revealed", "score"], update);
}

export default {
  /** @param {{ model: Model }} ctx */
  initialize({ model }) {
    initialOrders.set(model, [...model.get("order")]);
  },
  render,
};
