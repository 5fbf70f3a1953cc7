// The help-page widget: a button in the corner that opens the privacy assistant's chat in a panel.
// Include it with <script src="https://<assistant host>/widget.js" data-lang="fr" defer></script>; the host's
// FRAME_ANCESTORS setting must name the help page's origin. STRINGS is written in front of this file by the server.
(() => {
  const me = document.currentScript;
  const origin = new URL(me.src, location.href).origin;
  const wanted = (me.dataset.lang || document.documentElement.lang || navigator.language || "").slice(0, 2);
  const lang = STRINGS[wanted] ? wanted : "en";
  const words = STRINGS[lang];
  const style = document.createElement("style");
  style.textContent = `
    .pna-open {position: fixed; right: 1rem; bottom: 1rem; z-index: 2147483000; min-height: 48px; padding: 0 1.1rem;
      border: 0; border-radius: 24px; background: #0b57d0; color: #fff; font: 600 1rem system-ui, sans-serif;
      box-shadow: 0 2px 8px rgba(0,0,0,.3); cursor: pointer}
    .pna-panel {position: fixed; right: 1rem; bottom: 4.5rem; z-index: 2147483001; width: min(26rem, calc(100vw - 2rem));
      height: min(40rem, calc(100vh - 6rem)); display: flex; flex-direction: column; background: #fff;
      border: 1px solid #747775; border-radius: 12px; box-shadow: 0 4px 24px rgba(0,0,0,.3); overflow: hidden}
    .pna-panel[hidden] {display: none}
    .pna-bar {display: flex; justify-content: space-between; align-items: center; padding: 0 .25rem 0 .9rem;
      background: #0b57d0; color: #fff; font: 600 1rem system-ui, sans-serif}
    .pna-close {min-width: 44px; min-height: 44px; border: 0; background: transparent; color: #fff; font-size: 1.5rem;
      cursor: pointer}
    .pna-open:focus-visible, .pna-close:focus-visible {outline: 3px solid #fff; outline-offset: -5px}
    .pna-panel iframe {flex: 1; width: 100%; border: 0}
    @media (max-width: 480px) {.pna-panel {right: 0; bottom: 0; width: 100vw; height: 100vh; border-radius: 0}}`;
  document.head.appendChild(style);

  const open = document.createElement("button");
  open.type = "button";
  open.className = "pna-open";
  open.textContent = words.ask_assistant;
  open.setAttribute("aria-expanded", "false");
  open.setAttribute("aria-controls", "pna-panel");

  const panel = document.createElement("div");
  panel.id = "pna-panel";
  panel.className = "pna-panel";
  panel.hidden = true;
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", words.ask_assistant);
  const bar = document.createElement("div");
  bar.className = "pna-bar";
  const title = document.createElement("span");
  title.textContent = words.title;
  const close = document.createElement("button");
  close.type = "button";
  close.className = "pna-close";
  close.textContent = "×";
  close.setAttribute("aria-label", words.close);
  bar.append(title, close);
  const frame = document.createElement("iframe");
  frame.title = words.title;
  panel.append(bar, frame);

  function show(visible) {
    panel.hidden = !visible;
    open.setAttribute("aria-expanded", String(visible));
    if (visible) {
      if (!frame.src) frame.src = `${origin}/?lang=${lang}&embed=1`;  // loaded on first open only
      close.focus();
    } else {
      open.focus();
    }
  }
  open.addEventListener("click", () => show(panel.hidden));
  close.addEventListener("click", () => show(false));
  panel.addEventListener("keydown", (event) => { if (event.key === "Escape") show(false); });
  addEventListener("message", (event) => {  // Escape pressed inside the chat
    if (event.origin === origin && event.data && event.data.type === "privacy-assistant:close" && !panel.hidden) {
      show(false);
    }
  });
  document.body.append(open, panel);
})();
