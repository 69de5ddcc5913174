// Renders the anywidgets embedded in a static page (myst-nb's widget-state and widget-view
// scripts) with no kernel and no network: each widget's own ES module and CSS travel in its state.
// A classic script, not a module, so that it also runs from a copy of the site opened straight
// from disk (file://), where browsers refuse module scripts; the widgets' own modules are still
// imported, from blob URLs, which file:// pages allow.
(() => {
  /**
   * @typedef {{ model_name: string, model_module: string, model_module_version?: string,
   *   state: Record<string, any> }} ModelEntry
   * @typedef {{ get(name: string): any, set(name: string, value: any): void, save_changes(): void,
   *   send(): void, on(event: string, cb: Function): void, off(event?: string, cb?: Function): void }} Model
   */

  const STATE_TYPE = "application/vnd.jupyter.widget-state+json";
  const VIEW_TYPE = "application/vnd.jupyter.widget-view+json";
  const KERNEL_NOTICE =
    "This control needs a live Python kernel: open the notebook on Binder or Colab to use it.";

  /**
   * Merge the models of every widget-state script on the page.
   * @param {string[]} texts the scripts' JSON
   * @returns {Record<string, ModelEntry>} by model id
   */
  function parseStates(texts) {
    return Object.assign({}, ...texts.map((text) => JSON.parse(text).state ?? {}));
  }

  /**
   * @param {ModelEntry | undefined} entry
   * @returns {boolean}
   */
  function isAnywidget(entry) {
    return entry?.model_module === "anywidget";
  }

  /**
   * @param {any} a
   * @param {any} b
   */
  const same = (a, b) => a === b || (typeof a === "object" && JSON.stringify(a) === JSON.stringify(b));

  /**
   * A model with no kernel behind it: values live here, `set` fires "change:<name>" then "change"
   * (handlers get the model and the new value, as with Backbone), saving and sending do nothing.
   * @param {Record<string, any>} state
   * @returns {Model}
   */
  function createModel(state) {
    const values = { ...state };
    /** @type {Map<string, Set<Function>>} */
    const handlers = new Map();
    /** @type {Model} */
    const model = {
      get: (name) => values[name],
      set(name, value) {
        if (same(values[name], value)) return;
        values[name] = value;
        for (const event of [`change:${name}`, "change"]) {
          for (const cb of [...(handlers.get(event) ?? [])]) cb(model, value);
        }
      },
      save_changes() {},
      send() {},
      on(event, cb) {
        if (!handlers.has(event)) handlers.set(event, new Set());
        handlers.get(event)?.add(cb);
      },
      off(event, cb) {
        if (!event) handlers.clear();
        else if (!cb) handlers.delete(event);
        else handlers.get(event)?.delete(cb);
      },
    };
    return model;
  }

  /** @typedef {{ initialize?: Function, render: Function }} Widget */

  /** @type {Map<string, Promise<Widget>>} one import per distinct module source */
  const modules = new Map();

  /**
   * The widget a module source defines: its default export, an object or a function returning one.
   * @param {string} source
   * @returns {Promise<Widget>}
   */
  function loadWidget(source) {
    if (!modules.has(source)) {
      const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
      modules.set(
        source,
        import(url)
          .then(async (mod) => {
            const def = mod.default ?? mod;
            return typeof def === "function" ? await def() : def;
          })
          .finally(() => URL.revokeObjectURL(url)),
      );
    }
    return /** @type {Promise<Widget>} */ (modules.get(source));
  }

  /** @type {Set<string>} widget classes whose CSS is on the page */
  const styled = new Set();

  /** @param {Record<string, any>} state */
  function addStyle(state) {
    const id = String(state._anywidget_id ?? state._css);
    if (!state._css || styled.has(id)) return;
    styled.add(id);
    const style = document.createElement("style");
    style.setAttribute("data-mxsec-css", id);
    style.textContent = state._css;
    document.head.append(style);
  }

  /** @type {Map<string, Promise<Model>>} one model (and one `initialize`) per model id */
  const models = new Map();

  /**
   * @param {string} id
   * @param {ModelEntry} entry
   * @param {Promise<Widget>} widget
   * @returns {Promise<Model>}
   */
  function modelFor(id, entry, widget) {
    if (!models.has(id)) {
      models.set(
        id,
        widget.then(async (w) => {
          const model = createModel(entry.state);
          await w.initialize?.({ model });
          return model;
        }),
      );
    }
    return /** @type {Promise<Model>} */ (models.get(id));
  }

  /**
   * @param {HTMLElement} host
   * @param {string} id
   * @param {ModelEntry | undefined} entry
   */
  async function show(host, id, entry) {
    if (!entry) throw new Error(`no saved state for widget ${id}`);
    if (!isAnywidget(entry)) {
      host.append(
        Object.assign(document.createElement("p"), {
          className: "mxsec-widget-notice",
          textContent: KERNEL_NOTICE,
        }),
      );
      return;
    }
    addStyle(entry.state);
    const widget = loadWidget(entry.state._esm);
    const model = await modelFor(id, entry, widget);
    await (await widget).render({ model, el: host });
  }

  /** Render every widget view on the page. */
  function renderAll() {
    const scripts = (/** @type {string} */ type) => [...document.querySelectorAll(`script[type="${type}"]`)];
    let entries = {};
    try {
      entries = parseStates(scripts(STATE_TYPE).map((s) => s.textContent ?? ""));
    } catch (err) {
      console.error("mxsec: could not read the widget state", err);
    }
    return Promise.all(
      scripts(VIEW_TYPE).map(async (script) => {
        const host = document.createElement("div");
        host.className = "mxsec-widget-host";
        script.after(host);
        let id = "";
        try {
          id = JSON.parse(script.textContent ?? "").model_id;
          host.setAttribute("data-model-id", id);
          await show(host, id, /** @type {Record<string, ModelEntry>} */ (entries)[id]);
          host.setAttribute("data-mxsec-ready", "1");
        } catch (err) {
          console.error(`mxsec: widget ${id} could not be shown`, err);
          host.setAttribute("data-mxsec-error", "1");
          host.textContent = `This widget could not be shown (${err instanceof Error ? err.message : err}).`;
          keepStaticForm(script);
        }
      }),
    );
  }

  /**
   * A widget that could not be shown leaves its static form (the element just before its view,
   * put there by the book) and its answers on screen, where they are otherwise hidden once
   * scripts run (mxsec-static.css).
   * @param {Element} script the widget's view
   */
  function keepStaticForm(script) {
    const form = script.previousElementSibling;
    if (!form?.classList.contains("mxsec-static")) return;
    const answers = document.getElementById(form.getAttribute("data-mxsec-answers") ?? "");
    for (const el of [form, answers, answers?.closest(".mxsec-answers")])
      el?.setAttribute("data-mxsec-failed", "1");
  }

  if (typeof document !== "undefined") {
    document.documentElement.dataset.mxsecStatic = "1";
    if (document.readyState === "loading")
      document.addEventListener("DOMContentLoaded", renderAll, { once: true });
    else renderAll();
  }

  // For node's tests of the logic above (tests/js/embed.test.mjs).
  if (typeof module !== "undefined")
    module.exports = { createModel, isAnywidget, KERNEL_NOTICE, parseStates };
})();
