// What the widgets' front ends share. Each widget imports it (`import { h, save } from "./widget-kit.js";`),
// as node's tests do; anywidget cannot follow that import from the blob URL it loads `_esm` from, so
// mxsec.widgets._base.esm() puts this file, with its comments and `export` keywords removed, in the
// import's place. Keep to what that handles: top-level `export function` or `export const`, and
// comments on lines of their own.

/**
 * A widget's model, as anywidget (in Jupyter) or mxsec-embed.js (in the static book) passes it.
 * @typedef {{
 *   get(name: string): any, set(name: string, value: any): void, save_changes(): void,
 *   on(event: string, cb: Function): void, off(event: string, cb?: Function): void
 * }} Model
 */

/**
 * An element with attributes; children are appended as nodes or text, never parsed as HTML.
 * An attribute that is null, undefined or false is left out; true gives an empty one (`hidden`).
 * @param {string} tag
 * @param {Record<string, string | number | boolean | null | undefined>} [attrs]
 * @param {...(Node | string)} children
 * @returns {HTMLElement}
 */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value != null && value !== false) node.setAttribute(name, value === true ? "" : String(value));
  }
  node.append(...children);
  return node;
}

/**
 * Set several traits, then sync them to Python in one message.
 * @param {Model} model
 * @param {Record<string, any>} changes trait name -> new value
 */
export function save(model, changes) {
  for (const [name, value] of Object.entries(changes)) model.set(name, value);
  model.save_changes();
}

/**
 * Run `update` now and again whenever one of the named traits changes.
 * @param {Model} model
 * @param {string[]} traits
 * @param {() => void} update
 * @returns {() => void} what stops it: a view's cleanup
 */
export function watch(model, traits, update) {
  const events = traits.map((name) => `change:${name}`);
  for (const event of events) model.on(event, update);
  update();
  return () => {
    for (const event of events) model.off(event, update);
  };
}

/**
 * A widget's title as a heading one level below the section it sits in (h3 under an h2, at most
 * h6), so that screen-reader users can jump to it: the level is read from the last heading shown
 * before `el` once `el` is in the document (JupyterLab attaches it after rendering).
 * @param {HTMLElement} el the widget's host
 * @param {string} id
 * @param {string} text
 * @returns {HTMLElement}
 */
export function titleHeading(el, id, text) {
  /** @returns {number | null} the heading level for the title, or null while `el` is detached */
  const level = () => {
    if (!el.isConnected) return null;
    let above = 2;
    for (const heading of document.querySelectorAll("h1, h2, h3, h4, h5, h6")) {
      // Headings not shown (the print-only contents, a widget's static form) do not count.
      if (el.contains(heading) || heading.getClientRects().length === 0) continue;
      if (heading.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING)
        above = Number(heading.tagName[1]);
    }
    return Math.min(above + 1, 6);
  };
  let node = h(`h${level() ?? 3}`, { class: "mxsec-title", id }, text);
  if (!el.isConnected && typeof requestAnimationFrame === "function") {
    /** @param {number} tries */
    const retry = (tries) => {
      const wanted = level();
      if (wanted == null) {
        if (tries > 0) requestAnimationFrame(() => retry(tries - 1));
      } else if (node.tagName !== `H${wanted}`) {
        const better = h(`h${wanted}`, { class: "mxsec-title", id }, text);
        node.replaceWith(better);
        node = better;
      }
    };
    requestAnimationFrame(() => retry(120));
  }
  return node;
}
