// embed-host.js: an optional helper for a page that shows embed.html in iframes. It sizes each
// such iframe to its content (so no scroll bar appears), and re-dispatches every message of the
// widget as a DOM event on its iframe: `attunement-start`, `-resume`, `-choice`, `-complete`,
// `-skip`, `-height` and `-scroll`, bubbling, with the message as `detail` (docs/embedding.md).
// On `scroll` it scrolls the page to the widget's current focus point (the peer's newest line
// and the next choices, or the debrief), since an iframe sized to its content cannot scroll itself.
// It works as a classic script (`<script src=… defer>`, no CORS needed) or as a module, and
// defines no globals. A message counts only if it comes from one of this page's iframes and from
// the origin of that iframe's `src`; the hello that asks for the current height goes to that
// origin only.
{
    const HELLO = { source: 'attunement-host', type: 'hello' };
    const origin = iframe => {
        try { return new URL(iframe.src, document.baseURI).origin; } catch { return null; }
    };
    const ours = iframe => iframe.hasAttribute('data-attunement') || /\/embed\.html$/.test(new URL(iframe.src || 'about:blank', document.baseURI).pathname);
    // A cross-origin document is unreadable once it has loaded; until then the iframe holds an
    // about:blank of this page's origin, and a hello to it would be refused with an error.
    const loaded = iframe => {
        try { return iframe.contentWindow.location.href !== 'about:blank'; } catch { return true; }
    };
    const hello = iframe => {
        const target = origin(iframe);
        if (target && target !== 'null' && iframe.contentWindow) iframe.contentWindow.postMessage(HELLO, target);
    };

    // Scrolls this page as little as shows the frame's rows top..bottom (its content's pixels),
    // keeping `top` in view when both do not fit; no motion under prefers-reduced-motion.
    const reveal = (iframe, top, bottom) => {
        const box = iframe.getBoundingClientRect(), s = getComputedStyle(iframe);
        const inset = (parseFloat(s.borderTopWidth) || 0) + (parseFloat(s.paddingTop) || 0);
        const a = box.top + inset + top - 8, z = box.top + inset + bottom + 8 - innerHeight;
        const by = z <= a ? Math.min(Math.max(0, z), a) : a;
        if (Math.abs(by) > 1) scrollBy({ top: by, behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' });
    };

    addEventListener('message', event => {
        const data = event.data;
        if (!data || data.source !== 'attunement' || typeof data.type !== 'string') return;
        const iframe = [...document.querySelectorAll('iframe')].find(f => f.contentWindow === event.source);
        if (!iframe || !ours(iframe) || origin(iframe) !== event.origin) return;
        if (data.type === 'height' && Number.isFinite(data.height)) {
            // The message gives the content's height; a border-box iframe also holds its border and padding.
            const s = getComputedStyle(iframe);
            const extra = s.boxSizing === 'border-box'
                ? ['borderTopWidth', 'borderBottomWidth', 'paddingTop', 'paddingBottom'].reduce((sum, k) => sum + (parseFloat(s[k]) || 0), 0)
                : 0;
            iframe.style.height = `${Math.max(0, data.height) + extra}px`;
        }
        if (data.type === 'scroll' && Number.isFinite(data.top) && Number.isFinite(data.bottom)) reveal(iframe, data.top, data.bottom);
        iframe.dispatchEvent(new CustomEvent(`attunement-${data.type}`, { bubbles: true, detail: data }));
    });

    // Iframes that load from now on are greeted on load; those already there, now.
    document.addEventListener('load', event => {
        if (event.target.localName === 'iframe' && ours(event.target)) hello(event.target);
    }, true);
    for (const iframe of document.querySelectorAll('iframe')) if (ours(iframe) && loaded(iframe)) hello(iframe);
}
