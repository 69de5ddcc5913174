// Policy sorter: place each policy in a category by drag and drop or with its own menu, then check.

import { h, save, titleHeading, watch } from "./widget-kit.js";

/**
 * @typedef {{ id: string, label: string, category: string, feedback: string, chapter?: string }} SortItem
 * @typedef {{ id: string, label: string, definition: string, chapter?: string }} Category
 * @typedef {Record<string, string>} Placements item id -> category id
 * @typedef {"correct" | "wrong" | "unsorted"} Verdict
 * @typedef {import("./widget-kit.js").Model} Model
 */

/** The pool's zone id: an item with no placement is unsorted. */
export const UNSORTED = "";

// ------------------------------------------------------------------ pure logic (tested in node)

/**
 * A copy of the placements with one item moved (to the pool when `zone` is UNSORTED).
 * @param {Placements} placements
 * @param {string} id
 * @param {string} zone
 * @returns {Placements}
 */
export function place(placements, id, zone) {
  const next = { ...placements };
  if (zone === UNSORTED) delete next[id];
  else next[id] = zone;
  return next;
}

/**
 * @param {SortItem[]} items
 * @param {Placements} placements
 * @param {string} zone
 * @returns {SortItem[]}
 */
export function itemsIn(items, placements, zone) {
  return items.filter((it) => (placements[it.id] ?? UNSORTED) === zone);
}

/**
 * @param {SortItem[]} items
 * @param {Placements} placements
 * @returns {{ score: number, total: number, unsorted: number, verdicts: Record<string, Verdict> }}
 */
export function grade(items, placements) {
  /** @type {Record<string, Verdict>} */
  const verdicts = {};
  for (const it of items) {
    const zone = placements[it.id] ?? UNSORTED;
    verdicts[it.id] = zone === UNSORTED ? "unsorted" : zone === it.category ? "correct" : "wrong";
  }
  const count = (/** @type {Verdict} */ v) => Object.values(verdicts).filter((x) => x === v).length;
  return { score: count("correct"), total: items.length, unsorted: count("unsorted"), verdicts };
}

/**
 * @param {number} score
 * @param {number} total
 * @param {number} [unsorted]
 * @returns {string}
 */
export function scoreText(score, total, unsorted = 0) {
  const left =
    unsorted === 0
      ? ""
      : unsorted === 1
        ? " 1 card is still unsorted."
        : ` ${unsorted} cards are still unsorted.`;
  return `${score} of ${total} placed as the paper does.${left}`;
}

/**
 * Where to read about an item: its chapter, as a link only in the static book (where chapters
 * are pages next to this one).
 * @param {SortItem} item
 * @param {Category[]} categories
 * @param {boolean} isStatic
 * @returns {{ text: string, href: string | null } | null}
 */
export function readMore(item, categories, isStatic) {
  if (!item.chapter) return null;
  const category =
    categories.find((c) => c.chapter === item.chapter) ?? categories.find((c) => c.id === item.category);
  const text = `Read more: the ${category?.label ?? item.chapter} chapter`;
  return { text, href: isStatic ? `${item.chapter}.html` : null };
}

// ------------------------------------------------------------------ view

let uid = 0;

/**
 * @param {{ model: Model, el: HTMLElement }} ctx
 * @returns {() => void} cleanup
 */
function render({ model, el }) {
  const n = ++uid;
  /** @type {SortItem[]} */
  const items = model.get("items");
  /** @type {Category[]} */
  const categories = model.get("categories");
  const zoneName = (/** @type {string} */ zone) => categories.find((c) => c.id === zone)?.label ?? "Unsorted";
  const titleId = `mxsec-ps-${n}-title`;
  const live = h("p", { class: "mxsec-sr-only", "aria-live": "polite" });
  const result = h("div", { class: "mxsec-ps-result", "aria-live": "polite" });
  const checkBtn = h("button", { type: "button", class: "mxsec-btn mxsec-primary" }, "Check");
  const resetBtn = h("button", { type: "button", class: "mxsec-btn" }, "Reset");

  /** @type {Map<string, { list: HTMLElement, count: HTMLElement }>} */
  const zones = new Map();
  const makeZone = (/** @type {string} */ zone, /** @type {string} */ definition) => {
    const headId = `mxsec-ps-${n}-zone-${zone || "pool"}`;
    const count = h("span", { class: "mxsec-ps-count" });
    const list = h("ul", { class: "mxsec-ps-cards" });
    const box = h(
      "div",
      {
        class: `mxsec-ps-zone${zone ? "" : " mxsec-ps-pool"}`,
        "data-zone": zone,
        role: "group",
        "aria-labelledby": headId,
      },
      h("p", { class: "mxsec-ps-zone-title", id: headId }, zoneName(zone), count),
      ...(definition ? [h("p", { class: "mxsec-ps-definition" }, definition)] : []),
      list,
    );
    zones.set(zone, { list, count });
    return box;
  };
  const pool = makeZone(UNSORTED, "");
  const grid = h("div", { class: "mxsec-ps-grid" }, ...categories.map((c) => makeZone(c.id, c.definition)));

  /** @type {Map<string, { card: HTMLElement, select: HTMLSelectElement, feedback: HTMLElement }>} */
  const cards = new Map(items.map((it) => [it.id, makeCard(it)]));

  el.replaceChildren(
    h(
      "div",
      { class: "mxsec-widget mxsec-policy-sorter", role: "group", "aria-labelledby": titleId },
      titleHeading(el, titleId, model.get("title")),
      h("p", { class: "mxsec-ps-prompt" }, model.get("prompt")),
      h(
        "p",
        { class: "mxsec-ps-help" },
        "Drag a card into a category, or choose its category in the card's menu.",
      ),
      pool,
      grid,
      live,
      h("div", { class: "mxsec-ps-actions" }, checkBtn, resetBtn),
      result,
    ),
  );

  /**
   * @param {SortItem} item
   */
  function makeCard(item) {
    const labelId = `mxsec-ps-${n}-item-${item.id}`;
    const selectLabelId = `${labelId}-menu`;
    const select = /** @type {HTMLSelectElement} */ (
      h(
        "select",
        { class: "mxsec-ps-select", "aria-labelledby": `${selectLabelId} ${labelId}` },
        h("option", { value: UNSORTED }, "Unsorted"),
        ...categories.map((c) => h("option", { value: c.id }, c.label)),
      )
    );
    const feedback = h("div", { class: "mxsec-ps-feedback", hidden: true });
    const card = h(
      "li",
      { class: "mxsec-ps-card", "data-id": item.id },
      h(
        "div",
        { class: "mxsec-ps-card-top" },
        h("span", { class: "mxsec-ps-grip", "aria-hidden": "true" }, "\u2807"),
        h("p", { class: "mxsec-ps-label", id: labelId }, item.label),
      ),
      h("p", { class: "mxsec-ps-menu" }, h("span", { id: selectLabelId }, "Category"), " ", select),
      feedback,
    );
    select.addEventListener("change", () => moveTo(item.id, select.value));
    card.addEventListener("pointerdown", (e) => startDrag(item.id, e));
    return { card, select, feedback };
  }

  /** @returns {Placements} */
  const placements = () => model.get("placements");

  /**
   * Store a placement; a check made before the move no longer applies.
   * @param {string} id
   * @param {string} zone
   */
  function moveTo(id, zone) {
    const next = place(placements(), id, zone);
    save(model, { placements: next, checked: false });
    live.textContent = `${items.find((it) => it.id === id)?.label} moved to ${zoneName(zone)}.`;
  }

  /**
   * Pointer drag: the card drops into the zone under the pointer. Mouse drags start
   * anywhere on the card; touch and pen only on the grip, so the page can still be scrolled.
   * @param {string} id
   * @param {PointerEvent} down
   */
  function startDrag(id, down) {
    const target = /** @type {HTMLElement} */ (down.target);
    const onGrip = target.closest(".mxsec-ps-grip");
    if (down.button !== 0 || target.closest("select, a, button") || (down.pointerType !== "mouse" && !onGrip))
      return;
    const card = /** @type {HTMLElement} */ (cards.get(id)?.card);
    const box = card.getBoundingClientRect();
    // The card stays in its list (which may scroll); a copy of its label follows the pointer.
    const ghost = h(
      "div",
      {
        class: "mxsec-ps-ghost",
        "aria-hidden": "true",
        style: `left:${box.left}px;top:${box.top}px;width:${box.width}px`,
      },
      items.find((it) => it.id === id)?.label ?? "",
    );
    let over = /** @type {HTMLElement | null} */ (null);
    let dragging = false;
    /** @param {PointerEvent} e */
    const zoneAt = (e) => {
      const hit = document.elementFromPoint(e.clientX, e.clientY)?.closest("[data-zone]");
      return hit && el.contains(hit) ? /** @type {HTMLElement} */ (hit) : null;
    };
    /** @param {PointerEvent} e */
    const onMove = (e) => {
      const dx = e.clientX - down.clientX;
      const dy = e.clientY - down.clientY;
      if (!dragging && Math.hypot(dx, dy) < 5) return;
      if (!dragging) el.firstElementChild?.append(ghost);
      dragging = true;
      card.classList.add("mxsec-ps-dragging");
      ghost.style.transform = `translate(${dx}px, ${dy}px)`;
      if (e.clientY < 40 || e.clientY > window.innerHeight - 40)
        window.scrollBy(0, e.clientY < 40 ? -20 : 20);
      over?.classList.remove("mxsec-ps-over");
      over = zoneAt(e);
      over?.classList.add("mxsec-ps-over");
    };
    /** @param {PointerEvent} e */
    const onUp = (e) => {
      card.removeEventListener("pointermove", onMove);
      card.removeEventListener("pointerup", onUp);
      card.removeEventListener("pointercancel", onUp);
      over?.classList.remove("mxsec-ps-over");
      card.classList.remove("mxsec-ps-dragging");
      ghost.remove();
      const zone = dragging && e.type === "pointerup" ? zoneAt(e) : null;
      if (zone && zone.dataset.zone !== (placements()[id] ?? UNSORTED))
        moveTo(id, zone.dataset.zone ?? UNSORTED);
    };
    down.preventDefault();
    card.setPointerCapture(down.pointerId);
    card.addEventListener("pointermove", onMove);
    card.addEventListener("pointerup", onUp);
    card.addEventListener("pointercancel", onUp);
  }

  /** Bring the view in line with the model: which card is where, and the feedback once checked. */
  function update() {
    const active = document.activeElement;
    const current = placements();
    const checked = Boolean(model.get("checked"));
    const graded = grade(items, current);
    for (const [zone, { list, count }] of zones) {
      const inside = itemsIn(items, current, zone);
      list.append(...inside.map((it) => /** @type {HTMLElement} */ (cards.get(it.id)?.card)));
      count.textContent = ` (${inside.length})`;
    }
    for (const it of items) {
      const card = cards.get(it.id);
      if (!card) continue;
      card.select.value = current[it.id] ?? UNSORTED;
      showFeedback(card.feedback, it, checked ? graded.verdicts[it.id] : null);
    }
    if (active instanceof HTMLElement && el.contains(active)) active.focus();
    result.replaceChildren(
      ...(checked
        ? [h("p", { class: "mxsec-ps-score" }, scoreText(graded.score, graded.total, graded.unsorted))]
        : []),
    );
  }

  /**
   * @param {HTMLElement} box
   * @param {SortItem} item
   * @param {Verdict | null} verdict
   */
  function showFeedback(box, item, verdict) {
    // Unsorted cards get no mark: the score line counts them.
    box.hidden = !verdict || verdict === "unsorted";
    box.replaceChildren();
    if (box.hidden) return;
    const right = verdict === "correct";
    box.className = `mxsec-ps-feedback ${right ? "mxsec-ps-right" : "mxsec-ps-wrong"}`;
    box.append(
      h(
        "p",
        {},
        h("span", { "aria-hidden": "true" }, right ? "\u2713 " : "\u2717 "),
        h("strong", {}, right ? "Correct" : "Not quite"),
      ),
    );
    if (right) return;
    box.append(h("p", {}, item.feedback));
    const more = readMore(item, categories, document.documentElement.dataset.mxsecStatic === "1");
    if (more) box.append(h("p", {}, more.href ? h("a", { href: more.href }, more.text) : more.text));
  }

  checkBtn.addEventListener("click", () => {
    save(model, { checked: true, score: grade(items, placements()).score });
  });
  resetBtn.addEventListener("click", () => {
    save(model, { placements: {}, checked: false, score: null });
    live.textContent = "All cards are back in Unsorted.";
  });

  return watch(model, ["placements", "checked", "score"], update);
}

export default { render };
