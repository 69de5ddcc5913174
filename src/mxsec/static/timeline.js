// Timeline: a year slider with play/pause; for each year its period, president(s) and events.

import { h, save, titleHeading, watch } from "./widget-kit.js";

/**
 * @typedef {{ id: string, year: number, year_end?: number, title: string, description?: string,
 *   category: string, facts?: string[], approximate?: boolean, when_stated?: string,
 *   context?: boolean, note?: string }} TimelineEvent
 * @typedef {{ id: string, number: number, name: string, start: number, end: number,
 *   start_stated?: string, end_stated?: string, boundary_note?: string, summary?: string }} Period
 * @typedef {{ id: string, president: string, party?: string, start: number, end: number,
 *   took_office?: string, left_office?: string, in_paper: boolean, note?: string }} Administration
 * @typedef {Administration & { term: string | null }} InOffice
 * @typedef {{ periods: Period[], administrations: Administration[], events?: TimelineEvent[] }} TimelineData
 * @typedef {import("./widget-kit.js").Model} Model
 */

const STEP_MS = 800;

// ------------------------------------------------------------------ pure logic (tested in node)

/**
 * The paper's period a year falls in (as Course.period_of).
 * @param {Period[]} periods
 * @param {number} year
 * @returns {Period | null}
 */
export function periodOf(periods, year) {
  return periods.find((p) => p.start <= year && year <= p.end) ?? null;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * A day as the widget writes it: "2000-11-30" -> "30 Nov"; null without a day.
 * @param {string | undefined} day YYYY-MM-DD
 * @returns {string | null}
 */
export function dayMonth(day) {
  const parts = /^\d{4}-(\d{2})-(\d{2})$/.exec(day ?? "");
  return parts ? `${Number(parts[2])} ${MONTHS[Number(parts[1]) - 1]}` : null;
}

/**
 * Administrations in office during some part of the year (as Course.administrations_in). A year of
 * transition has two, each with its part of the year from the terms' first and last days
 * (`took_office`, `left_office` in data/administrations.yaml): "until 30 Nov", "from 1 Dec".
 * @param {Administration[]} administrations
 * @param {number} year
 * @returns {InOffice[]}
 */
export function administrationsIn(administrations, year) {
  const inOffice = administrations.filter((a) => a.start <= year && year <= a.end);
  /** @param {string} word @param {string | undefined} day */
  const part = (word, day) => (dayMonth(day) ? `${word} ${dayMonth(day)}` : null);
  return inOffice.map((a) => ({
    ...a,
    term:
      inOffice.length < 2
        ? null
        : a.end === year
          ? part("until", a.left_office)
          : a.start === year
            ? part("from", a.took_office)
            : null,
  }));
}

/**
 * Events under way in the year (an event spans `year`..`year_end`) in the chosen categories.
 * @param {TimelineEvent[]} events
 * @param {number} year
 * @param {string[]} [categories] all when omitted
 * @returns {TimelineEvent[]}
 */
export function eventsIn(events, year, categories) {
  return events.filter(
    (ev) =>
      ev.year <= year &&
      year <= (ev.year_end ?? ev.year) &&
      (!categories || categories.includes(ev.category)),
  );
}

/**
 * @param {TimelineData} data
 * @param {number} year
 * @param {string[]} [categories]
 * @returns {{ period: Period | null, administrations: InOffice[], events: TimelineEvent[] }}
 */
export function stateForYear(data, year, categories) {
  return {
    period: periodOf(data.periods, year),
    administrations: administrationsIn(data.administrations, year),
    events: eventsIn(data.events ?? [], year, categories),
  };
}

/**
 * The first later year with an event in the chosen categories, or null.
 * @param {TimelineEvent[]} events
 * @param {number} year
 * @param {string[]} [categories]
 * @returns {number | null}
 */
export function nextEventYear(events, year, categories) {
  const later = events.filter((ev) => ev.year > year && (!categories || categories.includes(ev.category)));
  return later.length ? Math.min(...later.map((ev) => ev.year)) : null;
}

/**
 * @param {{ year?: number, start?: number, year_end?: number, end?: number }} span
 * @returns {string} "1991" or "1990–1999"
 */
export function yearsLabel(span) {
  const from = span.year ?? span.start;
  const to = span.year_end ?? span.end ?? from;
  return from === to ? String(from) : `${from}\u2013${to}`;
}

// ------------------------------------------------------------------ view

let uid = 0;

/**
 * @param {Period} p
 * @param {number} count
 * @returns {HTMLElement[]}
 */
function periodBlock(p, count) {
  const stated =
    p.start_stated && p.end_stated
      ? [
          h(
            "p",
            {},
            `The paper's own words: from \u201c${p.start_stated}\u201d to \u201c${p.end_stated}\u201d.`,
          ),
        ]
      : [];
  return [
    h(
      "p",
      { class: "mxsec-tl-period" },
      h("strong", {}, `Period ${p.number} of ${count}: ${p.name}`),
      ` (${yearsLabel(p)})`,
    ),
    ...(p.summary ? [h("p", {}, p.summary)] : []),
    ...(p.boundary_note || stated.length
      ? [
          h(
            "details",
            { class: "mxsec-tl-details" },
            h("summary", {}, "How these years are set"),
            ...(p.boundary_note ? [h("p", {}, p.boundary_note)] : []),
            ...stated,
          ),
        ]
      : []),
  ];
}

/**
 * @param {InOffice} a
 * @returns {HTMLElement}
 */
function adminItem(a) {
  return h(
    "li",
    {},
    h("strong", {}, a.president),
    ` (${a.party ? `${a.party}, ` : ""}${yearsLabel(a)})`,
    ...(a.term ? [`, ${a.term}`] : []),
    ...(a.in_paper
      ? []
      : [" ", h("span", { class: "mxsec-tl-context" }, "(context \u2014 not in the paper)")]),
    ...(a.note ? [h("span", { class: "mxsec-tl-note" }, a.note)] : []),
  );
}

/**
 * @param {TimelineEvent} ev
 * @param {Record<string, string>} labels
 * @returns {HTMLElement}
 */
function eventItem(ev, labels) {
  const marks = [
    h("span", { class: "mxsec-tl-cat" }, labels[ev.category] ?? ev.category),
    ...(ev.year_end ? [h("span", { class: "mxsec-tl-mark" }, yearsLabel(ev))] : []),
    ...(ev.approximate
      ? [h("span", { class: "mxsec-tl-mark" }, `dated loosely: ${ev.when_stated ?? "approximate"}`)]
      : []),
    ...(ev.context ? [h("span", { class: "mxsec-tl-mark" }, "date is context")] : []),
  ];
  return h(
    "li",
    { class: "mxsec-tl-event" },
    h("p", { class: "mxsec-tl-event-title" }, h("strong", {}, ev.title)),
    h("p", { class: "mxsec-tl-marks" }, h("span", { class: "mxsec-sr-only" }, "Category: "), ...marks),
    ...(ev.description ? [h("p", {}, ev.description)] : []),
    ...(ev.facts?.length
      ? [h("ul", { class: "mxsec-tl-facts" }, ...ev.facts.map((f) => h("li", {}, f)))]
      : []),
    ...(ev.note ? [h("p", { class: "mxsec-tl-note" }, `Note: ${ev.note}`)] : []),
  );
}

/**
 * @param {{ model: Model, el: HTMLElement }} ctx
 * @returns {() => void} cleanup
 */
function render({ model, el }) {
  const n = ++uid;
  /** @type {TimelineEvent[]} */
  const events = model.get("events");
  /** @type {Period[]} */
  const periods = model.get("periods");
  /** @type {Record<string, string>} */
  const labels = model.get("category_labels");
  const start = model.get("start");
  const end = model.get("end");
  const span = end - start + 1;
  /** @param {number} year */
  const at = (year) => `${((year - start + 0.5) / span) * 100}%`;

  const titleId = `mxsec-tl-${n}-title`;
  const sliderId = `mxsec-tl-${n}-year`;
  const slider = /** @type {HTMLInputElement} */ (
    h("input", { type: "range", id: sliderId, class: "mxsec-tl-slider", min: start, max: end, step: 1 })
  );
  const yearShown = h("span", { class: "mxsec-tl-year", "aria-hidden": "true" });
  const prev = h(
    "button",
    { type: "button", class: "mxsec-btn" },
    h("span", { "aria-hidden": "true" }, "\u25C0 "),
    "Previous year",
  );
  const next = h(
    "button",
    { type: "button", class: "mxsec-btn" },
    "Next year",
    h("span", { "aria-hidden": "true" }, " \u25B6"),
  );
  const playIcon = h("span", { "aria-hidden": "true" });
  const play = h(
    "button",
    { type: "button", class: "mxsec-btn mxsec-tl-play", "aria-pressed": "false" },
    playIcon,
    "Play",
  );
  const ticks = h("div", { class: "mxsec-tl-ticks" });
  const marker = h("div", { class: "mxsec-tl-marker" });
  const bands = periods.map((p) =>
    h(
      "div",
      {
        class: "mxsec-tl-band",
        style: `left:${((p.start - start) / span) * 100}%;width:${((p.end - p.start + 1) / span) * 100}%`,
      },
      h("span", { class: "mxsec-tl-band-num" }, String(p.number)),
    ),
  );
  // The periods' names, in full, below the strip: a band is too narrow for one on a phone.
  const legendItems = periods.map((p) =>
    h(
      "li",
      { class: "mxsec-tl-legend-item", value: p.number },
      h("span", { class: "mxsec-tl-legend-name" }, p.name),
      ` (${yearsLabel(p)})`,
    ),
  );
  const legend = h(
    "ol",
    { class: "mxsec-tl-legend", "aria-label": "The paper's four periods" },
    ...legendItems,
  );
  const strip = h(
    "div",
    { class: "mxsec-tl-strip", "aria-hidden": "true" },
    h("div", { class: "mxsec-tl-bands" }, ...bands),
    ticks,
    marker,
    h("div", { class: "mxsec-tl-axis" }, h("span", {}, String(start)), h("span", {}, String(end))),
  );
  const boxes = Object.keys(labels).map(
    (id) => /** @type {HTMLInputElement} */ (h("input", { type: "checkbox", value: id })),
  );
  const filter = h(
    "fieldset",
    { class: "mxsec-tl-filter" },
    h("legend", {}, "Show events in these categories"),
    ...boxes.map((box) => h("label", { class: "mxsec-tl-check" }, box, ` ${labels[box.value]}`)),
  );
  const panel = h("div", { class: "mxsec-tl-panel" });
  const live = h("p", { class: "mxsec-sr-only", "aria-live": "polite" });

  el.replaceChildren(
    h(
      "div",
      { class: "mxsec-widget mxsec-timeline", role: "group", "aria-labelledby": titleId },
      titleHeading(el, titleId, model.get("title")),
      h(
        "div",
        { class: "mxsec-tl-controls" },
        h("label", { for: sliderId, class: "mxsec-tl-label" }, "Year"),
        slider,
        yearShown,
      ),
      h("div", { class: "mxsec-tl-controls" }, prev, play, next),
      strip,
      legend,
      filter,
      live,
      panel,
    ),
  );

  /** @returns {string[]} */
  const chosen = () => model.get("categories");
  /**
   * Go to a year; a manual move stops playback.
   * @param {number} year
   */
  function goTo(year) {
    save(model, { year: Math.max(start, Math.min(end, year)), playing: false });
  }
  const summary = () => {
    const s = stateForYear(
      { periods, administrations: model.get("administrations"), events },
      model.get("year"),
      chosen(),
    );
    const count = s.events.length === 1 ? "1 event" : `${s.events.length} events`;
    return `${model.get("year")}: period ${s.period?.number ?? "none"}, ${count} shown.`;
  };

  slider.addEventListener("input", () => goTo(Number(slider.value)));
  prev.addEventListener("click", () => {
    goTo(model.get("year") - 1);
    live.textContent = summary();
  });
  next.addEventListener("click", () => {
    goTo(model.get("year") + 1);
    live.textContent = summary();
  });
  play.addEventListener("click", () => save(model, { playing: !model.get("playing") }));
  strip.addEventListener("click", (e) => {
    const box = strip.getBoundingClientRect();
    goTo(start + Math.floor(((e.clientX - box.left) / box.width) * span));
  });
  filter.addEventListener("change", () => {
    save(model, { categories: boxes.filter((b) => b.checked).map((b) => b.value) });
    live.textContent = summary();
  });

  function update() {
    const year = model.get("year");
    const cats = chosen();
    const s = stateForYear({ periods, administrations: model.get("administrations"), events }, year, cats);
    slider.value = String(year);
    slider.setAttribute("aria-valuetext", `${year}${s.period ? `, period ${s.period.number}` : ""}`);
    yearShown.textContent = String(year);
    const playing = Boolean(model.get("playing"));
    play.setAttribute("aria-pressed", String(playing));
    playIcon.textContent = playing ? "\u275A\u275A " : "\u25B6 ";
    for (const box of boxes) box.checked = cats.includes(box.value);
    marker.style.left = at(year);
    bands.forEach((band, i) => {
      band.classList.toggle("mxsec-tl-band-current", periods[i] === s.period);
    });
    legendItems.forEach((item, i) => {
      item.classList.toggle("mxsec-tl-legend-current", periods[i] === s.period);
      if (periods[i] === s.period) item.setAttribute("aria-current", "true");
      else item.removeAttribute("aria-current");
    });
    const years = [...new Set(events.filter((ev) => cats.includes(ev.category)).map((ev) => ev.year))];
    ticks.replaceChildren(...years.map((y) => h("span", { class: "mxsec-tl-tick", style: `left:${at(y)}` })));
    const open = panel.querySelector("details")?.open;
    panel.replaceChildren(...panelContent(year, s, cats));
    const details = panel.querySelector("details");
    if (details && open) details.open = true;
  }

  /**
   * @param {number} year
   * @param {ReturnType<typeof stateForYear>} s
   * @param {string[]} cats
   * @returns {HTMLElement[]}
   */
  function panelContent(year, s, cats) {
    const following = nextEventYear(events, year, cats);
    const jump = [];
    if (following != null) {
      const button = h("button", { type: "button", class: "mxsec-btn" }, `Next event: ${following}`);
      button.addEventListener("click", () => {
        goTo(following);
        /** @type {HTMLElement | null} */ (panel.querySelector(".mxsec-tl-heading"))?.focus();
      });
      jump.push(h("p", {}, button));
    }
    return [
      h("p", { class: "mxsec-tl-heading", tabindex: -1 }, String(year)),
      ...(s.period
        ? periodBlock(s.period, periods.length)
        : [h("p", {}, "Outside the paper's four periods.")]),
      h("p", { class: "mxsec-tl-subhead" }, "In office"),
      h("ul", { class: "mxsec-tl-admins" }, ...s.administrations.map(adminItem)),
      h("p", { class: "mxsec-tl-subhead" }, `Events of ${year}`),
      ...(s.events.length
        ? [h("ul", { class: "mxsec-tl-events" }, ...s.events.map((ev) => eventItem(ev, labels)))]
        : [h("p", {}, `No events recorded for ${year} in the selected categories.`), ...jump]),
    ];
  }

  return watch(model, ["year", "categories", "playing"], update);
}

export default {
  /**
   * Playback belongs to the model, so two views of one timeline do not both advance it.
   * @param {{ model: Model }} ctx
   */
  initialize({ model }) {
    /** @type {ReturnType<typeof setInterval> | undefined} */
    let timer;
    const tick = () => {
      const year = Math.min(model.get("year") + 1, model.get("end"));
      save(model, year >= model.get("end") ? { year, playing: false } : { year });
    };
    const onPlaying = () => {
      clearInterval(timer);
      if (!model.get("playing")) return;
      if (model.get("year") >= model.get("end")) save(model, { year: model.get("start") });
      timer = setInterval(tick, STEP_MS);
    };
    if (model.get("playing")) save(model, { playing: false });
    model.on("change:playing", onPlaying);
    return () => {
      clearInterval(timer);
      model.off("change:playing", onPlaying);
    };
  },
  render,
};
