// words.js: the widget's words. Every string the widget shows comes from its message catalogue
// (www/i18n/widget.LANG.json, compiled by scripts/messages.mjs); this module holds the one the
// widget uses, and formats numbers with Intl in its language.

import en from '../i18n/widget.en.js';
import { catalogue } from './i18n.js';

export const words = catalogue('widget', en);
export const t = (id, args) => words.t(id, args);
/// A number in the interface's language: 42, ٤٢.
export const num = (x, options) => words.number(x, options);
/// A change of trust, signed: +3, -2, 0.
export const signed = x => words.number(x, { signDisplay: 'exceptZero' });
/// The MITI 4.2.1 guide figures the debrief's levels are set by (src/debrief.rs: `level(ratio,
/// 1.0, 2.0)`, `level(share, 0.4, 0.5)`), as a guide message's {fair} and {good}: the ratio of
/// reflections to questions, or the share of complex reflections, in the digits of `c`'s language.
export function mitiGuide(what, c = words) {
  const [fair, good] = what === 'share' ? [0.4, 0.5] : [1, 2];
  const options = what === 'share' ? { style: 'percent' } : {};
  return { fair: c.number(fair, options), good: c.number(good, options) };
}
/// A scenario's line quoted in the interface's language: “…”, « … ».
export const quoted = text => t('quote', { text });

/// A message with elements in it, as children for h(): each argument that is a node (or a list
/// of them) goes where its placeholder is; the rest are formatted as usual.
export function parts(id, args) {
  const nodes = [], plain = {};
  for (const [k, v] of Object.entries(args)) {
    if (v !== null && typeof v === 'object') { plain[k] = `\uE000${nodes.length}\uE001`; nodes.push(v); } else plain[k] = v;
  }
  return t(id, plain).split(/\uE000(\d+)\uE001/).map((p, i) => (i % 2 ? nodes[Number(p)] : p)).filter(p => p !== '');
}
