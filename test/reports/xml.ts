// A strict little XML 1.0 well-formedness checker for the tests (no dependency): one root element,
// balanced and properly nested tags, quoted attributes without `<`, only the five predefined
// entities and character references, no characters XML forbids. Returns the element tree.

export interface XmlElement { name: string; attrs: Record<string, string>; children: XmlElement[]; text: string }

const NAME_START = (c: string): boolean => /[A-Za-z_:]/.test(c);
const NAME_CHAR = (c: string): boolean => /[A-Za-z0-9_:.-]/.test(c);
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function parseXml(src: string): XmlElement {
  let i = 0;
  const fail = (why: string): never => { throw new Error(`not well-formed XML at offset ${i}: ${why} (…${JSON.stringify(src.slice(Math.max(0, i - 40), i + 40))}…)`); };
  for (const ch of src) {
    const cp = ch.codePointAt(0)!;
    const ok = cp === 0x9 || cp === 0xA || cp === 0xD || (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) || cp >= 0x10000;
    if (!ok) fail(`forbidden character U+${cp.toString(16).padStart(4, '0')}`);
  }
  const skipSpace = (): void => { while (i < src.length && ' \t\r\n'.includes(src[i]!)) i++; };
  const name = (): string => {
    if (!NAME_START(src[i] ?? '')) fail('expected a name');
    const s = i;
    while (i < src.length && NAME_CHAR(src[i]!)) i++;
    return src.slice(s, i);
  };
  const decode = (raw: string, inAttr: boolean): string => {
    let out = '';
    for (let k = 0; k < raw.length; k++) {
      const c = raw[k]!;
      if (c === '<') fail('`<` in text or attribute');
      if (inAttr && c === '"') fail('unescaped quote');
      if (c !== '&') { out += c; continue; }
      const end = raw.indexOf(';', k);
      if (end < 0) fail('unterminated entity');
      const ent = raw.slice(k + 1, end);
      if (ent.startsWith('#x')) out += String.fromCodePoint(parseInt(ent.slice(2), 16));
      else if (ent.startsWith('#')) out += String.fromCodePoint(parseInt(ent.slice(1), 10));
      else if (ent in ENTITIES) out += ENTITIES[ent];
      else fail(`unknown entity &${ent};`);
      k = end;
    }
    return out;
  };
  if (src.startsWith('<?xml')) { const e = src.indexOf('?>'); if (e < 0) fail('unterminated declaration'); i = e + 2; }
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  while (i < src.length) {
    if (src[i] !== '<') {
      const s = i;
      while (i < src.length && src[i] !== '<') i++;
      const text = decode(src.slice(s, i), false);
      if (stack.length === 0) { if (text.trim() !== '') fail('text outside the root element'); continue; }
      stack.at(-1)!.text += text;
      continue;
    }
    if (src.startsWith('<!--', i)) { const e = src.indexOf('-->', i); if (e < 0) fail('unterminated comment'); i = e + 3; continue; }
    if (src.startsWith('<![CDATA[', i)) { const e = src.indexOf(']]>', i); if (e < 0 || !stack.length) fail('bad CDATA'); stack.at(-1)!.text += src.slice(i + 9, e); i = e + 3; continue; }
    if (src[i + 1] === '/') {
      i += 2;
      const n = name();
      skipSpace();
      if (src[i] !== '>') fail('expected > after end tag');
      i++;
      const open = stack.pop();
      if (!open || open.name !== n) fail(`end tag </${n}> does not close <${open?.name ?? '(nothing)'}>`);
      continue;
    }
    i++;
    const parent = stack.at(-1);
    const el: XmlElement = { name: name(), attrs: {}, children: [], text: '' };
    if (parent) parent.children.push(el);
    else if (root) fail('second root element');
    else root = el;
    for (;;) {
      const before = i;
      skipSpace();
      if (src[i] === '/' && src[i + 1] === '>') { i += 2; break; }
      if (src[i] === '>') { i++; stack.push(el); break; }
      if (i === before) fail('expected whitespace before an attribute');
      const a = name();
      skipSpace();
      if (src[i] !== '=') fail('expected = after attribute name');
      i++;
      skipSpace();
      const q = src[i];
      if (q !== '"' && q !== "'") fail('attribute value must be quoted');
      const end = src.indexOf(q!, i + 1);
      if (end < 0) fail('unterminated attribute value');
      if (a in el.attrs) fail(`duplicate attribute ${a}`);
      el.attrs[a] = decode(src.slice(i + 1, end), q === '"');
      i = end + 1;
    }
  }
  if (stack.length) fail(`unclosed <${stack.at(-1)!.name}>`);
  if (!root) fail('no root element');
  return root!;
}

export function findAll(el: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement): void => { if (e.name === name) out.push(e); e.children.forEach(walk); };
  walk(el);
  return out;
}
