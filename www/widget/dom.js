// dom.js: the few DOM helpers the widget's views share. Scenario text only ever reaches the page
// through these as text (textContent, text nodes), never parsed as markup.

const SVG = 'http://www.w3.org/2000/svg';

// Builds an element; `text` sets textContent, `on*` adds listeners, strings among the
// children become text nodes, and null, undefined and false are left out.
export function h(tag, props = {}, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v == null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  el.append(...kids.flat(9).filter(k => k != null && k !== false));
  return el;
}

export function s(tag, attrs = {}, text) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (text != null) el.textContent = text;
  return el;
}

export const button = (text, onclick, cls = '') => h('button', { type: 'button', class: `att-btn ${cls}`.trim(), onclick, text });
export const cap = t => t.charAt(0).toUpperCase() + t.slice(1);
export const paras = (text, cls) => (text || '').trim().split(/\n\s*\n/).filter(Boolean).map(p => h('p', { class: cls, text: p.trim() }));
export const reduced = () => matchMedia('(prefers-reduced-motion: reduce)').matches;

// A disclosure button (aria-expanded, aria-controls) that shows and hides `panel`.
export function disclose(label, panel, open, onchange) {
  const toggle = h('button', { type: 'button', class: 'att-btn att-quiet att-why', 'aria-expanded': String(open), 'aria-controls': panel.id, text: label });
  panel.hidden = !open;
  toggle.addEventListener('click', () => {
    const now = panel.hidden;
    panel.hidden = !now;
    toggle.setAttribute('aria-expanded', String(now));
    onchange?.(now);
  });
  return toggle;
}

// The face: a calm line drawing whose brows, eyes and mouth follow the mood.
// [inner brow y, outer brow y, eye height, eye y shift, mouth]
const FACES = {
  overwhelmed: [33, 39, 1.1, 0, 'M42 61 Q44.5 58 47 61 T52 61 T57 61'],
  distressed: [34, 39, 2.6, 0, 'M43 62 Q50 57 57 62'],
  shut_down: [39, 38.5, 0.9, 3, 'M45 61 L55 61'],
  withdrawn: [39, 38, 1.3, 2.5, 'M45 60 L55 60'],
  wary: [38, 37.5, 1.8, 0.5, 'M45 60 Q50 59.6 55 60'],
  uneasy: [35.5, 38, 2.4, 0, 'M44 60.5 Q50 58.5 56 60.5'],
  calm: [37, 37, 2.4, 0, 'M44 59 Q50 62 56 59'],
  opening: [36, 36, 2.6, 0, 'M43 58.5 Q50 63.5 57 58.5'],
  at_ease: [36, 35.5, 1.6, 0, 'M42 58 Q50 65 58 58'],
  confiding: [35.5, 36.5, 2.2, 0.5, 'M43 58.5 Q50 64 57 58.5'],
};

export function face() {
  const svg = s('svg', { viewBox: '0 0 100 100', class: 'att-face', 'aria-hidden': 'true', focusable: 'false' });
  svg.append(
    s('circle', { cx: 50, cy: 50, r: 49, class: 'att-face-bg' }),
    s('path', { d: 'M17 100 C19 81 33 74 50 74 C67 74 81 81 83 100 Z', class: 'att-face-body' }),
    s('ellipse', { cx: 50, cy: 46, rx: 20, ry: 23.5, class: 'att-face-head' }),
    s('path', { d: 'M30 44 C28 27 39 21 50 21 C61 21 72 27 70 44 C66 33 58 30 50 30 C42 30 34 33 30 44 Z', class: 'att-face-hair' }),
  );
  const parts = {};
  for (const k of ['browL', 'browR', 'mouth']) svg.append(parts[k] = s('path', { class: 'att-face-line' }));
  for (const k of ['eyeL', 'eyeR']) svg.append(parts[k] = s('ellipse', { class: 'att-face-eye', rx: 2.3 }));
  svg.mood = mood => {
    const [inner, outer, eye, shift, mouth] = FACES[mood] || FACES.calm;
    parts.browL.setAttribute('d', `M37 ${outer} Q41.5 ${(inner + outer) / 2 - 1} 46 ${inner}`);
    parts.browR.setAttribute('d', `M54 ${inner} Q58.5 ${(inner + outer) / 2 - 1} 63 ${outer}`);
    parts.eyeL.setAttribute('cx', 42); parts.eyeR.setAttribute('cx', 58);
    for (const e of [parts.eyeL, parts.eyeR]) { e.setAttribute('cy', 45 + shift); e.setAttribute('ry', eye); }
    parts.mouth.setAttribute('d', mouth);
  };
  return svg;
}
