// Text from the database (area names, case numbers, categories…) never becomes HTML. Leaflet and
// echarts treat a string as markup, so map tooltips and popups get DOM nodes whose textContent is
// the text, and an echarts formatter escapes what it puts in. Used by the staff app and the
// residents' page alike (no dependencies).

/** An element holding `text` as text (never parsed), with optional class and inline style. */
export function textEl(tag: string, text: string, opts: { className?: string; style?: Partial<CSSStyleDeclaration>; testId?: string } = {}): HTMLElement {
  const el = document.createElement(tag);
  el.textContent = text;
  if (opts.className) el.className = opts.className;
  if (opts.style) Object.assign(el.style, opts.style);
  if (opts.testId) el.dataset.testid = opts.testId;
  return el;
}

/** A container of child nodes (built with textEl or by hand). */
export function nodeOf(tag: string, children: (Node | string | null | false | undefined)[], opts: { className?: string; style?: Partial<CSSStyleDeclaration>; testId?: string } = {}): HTMLElement {
  const el = textEl(tag, '', opts);
  for (const c of children) if (c) el.append(c);
  return el;
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** For the few places that must hand over a string of HTML (echarts formatters). */
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
