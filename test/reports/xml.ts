// XML for the tests, read with a conforming, well-kept parser (@xmldom/xmldom, pinned in
// package.json) instead of a parser of our own: a home-made parser that skipped attribute-value
// normalisation (XML 1.0 §3.3.3: a literal tab, LF or CR in an attribute becomes a space) let a
// wrong attribute escaper pass (test/reports/escape.test.ts shows it now fails).
//
// Every report of the parser, warnings included (an unquoted attribute value, a missing space
// between attributes), is an error here. xmldom does not check the Char production (§2.2), so
// characters XML 1.0 forbids are refused before parsing. Returns the element tree.
import { DOMParser, type Element as DomElement, type Node as DomNode } from '@xmldom/xmldom';

export interface XmlElement { name: string; attrs: Record<string, string>; children: XmlElement[]; text: string }

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;

/** XML 1.0 §2.2 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF] (lone surrogates are not characters). */
const NOT_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

export function parseXml(src: string): XmlElement {
  const bad = NOT_CHAR.exec(src);
  if (bad) throw new Error(`not well-formed XML at offset ${bad.index}: forbidden character U+${bad[0].codePointAt(0)!.toString(16).padStart(4, '0')}`);
  const parser = new DOMParser({
    onError: (level, message) => { throw new Error(`not well-formed XML (${level}): ${message}`); },
  });
  const doc = parser.parseFromString(src, 'text/xml');
  const root = doc.documentElement;
  if (!root) throw new Error('not well-formed XML: no root element');
  return toElement(root);
}

function toElement(el: DomElement): XmlElement {
  const attrs: Record<string, string> = {};
  for (let i = 0; i < el.attributes.length; i++) {
    const a = el.attributes.item(i)!;
    attrs[a.name] = a.value;
  }
  const children: XmlElement[] = [];
  let text = '';
  for (let i = 0; i < el.childNodes.length; i++) {
    const n: DomNode = el.childNodes.item(i)!;
    if (n.nodeType === ELEMENT_NODE) children.push(toElement(n as DomElement));
    else if (n.nodeType === TEXT_NODE || n.nodeType === CDATA_SECTION_NODE) text += n.nodeValue ?? '';
  }
  return { name: el.tagName, attrs, children, text };
}

export function findAll(el: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement): void => { if (e.name === name) out.push(e); e.children.forEach(walk); };
  walk(el);
  return out;
}
