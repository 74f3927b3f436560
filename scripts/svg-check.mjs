// Checks of the SVG files descent draws, for the test scripts (scripts/test-cli.mjs,
// scripts/test-examples.mjs): a strict XML well-formedness parser (elements properly nested and
// closed, attributes quoted and not repeated, only the five predefined entities and character
// references, one root element) and helpers that count the marks Vega drew.
//
// Vega's SVG renderer writes each mark as <g class="mark-<type> role-mark <name>_marks"> holding
// one element per item: <path> for points, areas, lines (one per series) and rects, <line> for
// rules, <text> for text marks. Named layers of descent's specs (bands, lines, bars, contours,
// particles, …) make the group names predictable.

const NAME = /^[A-Za-z_:][A-Za-z0-9_.:-]*/;

/**
 * Parse an XML document; throws an Error saying where it is not well-formed.
 * @returns {{ name: string, attrs: Record<string, string>, children: object[], text?: string }} the root element
 *   (`text`: an element's character data)
 */
export function parseXML(text) {
  let i = 0;
  const fail = (what) => {
    const line = text.slice(0, i).split('\n').length;
    throw new Error(`not well-formed XML at line ${line} (offset ${i}): ${what}: ${JSON.stringify(text.slice(i, i + 40))}`);
  };
  const checkText = (s, where) => {
    for (const m of s.matchAll(/&([^;\s]*);?/g)) {
      if (!m[0].endsWith(';') || !/^(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+)$/.test(m[1])) fail(`bad entity ${m[0]} in ${where}`);
    }
    if (where === 'an attribute' && s.includes('<')) fail('"<" in an attribute value');
  };
  const skipSpace = () => { while (i < text.length && /\s/.test(text[i])) i++; };
  const stack = [];
  let root = null;
  if (text.startsWith('<?xml')) { i = text.indexOf('?>'); if (i < 0) fail('unterminated XML declaration'); i += 2; }
  while (i < text.length) {
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end < 0) fail('unterminated comment');
      i = end + 3;
    } else if (text.startsWith('<![CDATA[', i)) {
      if (!stack.length) fail('CDATA outside the root');
      const end = text.indexOf(']]>', i);
      if (end < 0) fail('unterminated CDATA');
      i = end + 3;
    } else if (text.startsWith('<!DOCTYPE', i)) {
      if (root) fail('DOCTYPE after the root');
      const end = text.indexOf('>', i);
      i = end + 1;
    } else if (text.startsWith('</', i)) {
      i += 2;
      const m = NAME.exec(text.slice(i));
      if (!m) fail('bad closing tag');
      i += m[0].length;
      skipSpace();
      if (text[i] !== '>') fail('closing tag not ended by >');
      i++;
      const open = stack.pop();
      if (!open || open.name !== m[0]) fail(`</${m[0]}> closes ${open ? `<${open.name}>` : 'nothing'}`);
    } else if (text[i] === '<') {
      i++;
      const m = NAME.exec(text.slice(i));
      if (!m) fail('bad tag name');
      i += m[0].length;
      const el = { name: m[0], attrs: {}, children: [] };
      for (;;) {
        const before = i;
        skipSpace();
        if (text.startsWith('/>', i)) { i += 2; break; }
        if (text[i] === '>') { i++; stack.push(el); break; }
        if (i === before) fail('attributes must be separated by white space');
        const a = NAME.exec(text.slice(i));
        if (!a) fail('bad attribute name');
        i += a[0].length;
        skipSpace();
        if (text[i] !== '=') fail(`attribute ${a[0]} without =`);
        i++;
        skipSpace();
        const q = text[i];
        if (q !== '"' && q !== "'") fail(`attribute ${a[0]} not quoted`);
        const end = text.indexOf(q, i + 1);
        if (end < 0) fail('unterminated attribute value');
        const value = text.slice(i + 1, end);
        checkText(value, 'an attribute');
        if (Object.hasOwn(el.attrs, a[0])) fail(`attribute ${a[0]} repeated`);
        el.attrs[a[0]] = value;
        i = end + 1;
      }
      const parent = stack.length ? stack[stack.length - (stack[stack.length - 1] === el ? 2 : 1)] : null;
      if (parent) parent.children.push(el);
      else if (root) fail('a second root element');
      else root = el;
    } else {
      const end = text.indexOf('<', i);
      const s = text.slice(i, end < 0 ? text.length : end);
      if (!stack.length && s.trim()) fail('text outside the root element');
      checkText(s, 'text');
      if (stack.length) stack[stack.length - 1].text = (stack[stack.length - 1].text ?? '') + s;
      i = end < 0 ? text.length : end;
    }
  }
  if (stack.length) throw new Error(`not well-formed XML: <${stack[stack.length - 1].name}> is never closed`);
  if (!root) throw new Error('not well-formed XML: no root element');
  return root;
}

/** Every element below `el` (depth first) for which `pred` holds. */
export function findAll(el, pred, out = []) {
  for (const c of el.children) {
    if (pred(c)) out.push(c);
    findAll(c, pred, out);
  }
  return out;
}

/**
 * The items Vega drew for the mark named `name` of type `type` (area, line, rect, symbol, rule,
 * text): the child elements of its <g class="mark-<type> … <name>_marks"> group(s).
 */
export function markItems(root, type, name) {
  const groups = findAll(root, (e) => e.name === 'g' && (e.attrs.class ?? '').split(' ').includes(`mark-${type}`) && (e.attrs.class ?? '').split(' ').includes(`${name}_marks`));
  return groups.flatMap((g) => g.children);
}

/** Parse and check an SVG document: its root is <svg> with a width and height. Returns the root. */
export function parseSVG(text) {
  const root = parseXML(text);
  if (root.name !== 'svg') throw new Error(`the root element is <${root.name}>, not <svg>`);
  if (!(Number(root.attrs.width) > 0 && Number(root.attrs.height) > 0)) throw new Error('the <svg> has no positive width and height');
  return root;
}

/** The labels of the legends Vega drew (the <text> items of its legend-label groups), in order. */
export function legendLabels(root) {
  const groups = findAll(root, (e) => e.name === 'g' && (e.attrs.class ?? '').split(' ').includes('role-legend-label'));
  const decode = (s) => s.replace(/&(lt|gt|amp|quot|apos);/g, (_, e) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[e]);
  return groups.flatMap((g) => findAll(g, (e) => e.name === 'text')).map((t) => decode(t.text ?? ''));
}
