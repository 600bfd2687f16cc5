import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeXml, escapeXmlAttr, jsonForScript, stripControlChars } from '../../reports/escape.ts';
import { parseXml } from './xml.ts';

describe('escaping', () => {
  it('escapes the five HTML metacharacters', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('removes characters XML 1.0 forbids, keeps tab, LF, CR and astral characters', () => {
    expect(stripControlChars('a\u0000b\u0001c\u001Fd\tx\ny\rz\uFFFE\uFFFF😀')).toBe('abcd\tx\ny\rz😀');
    expect(stripControlChars('lone \uD800 high and \uDC00 low')).toBe('lone  high and  low');
  });

  it('the test parser is conforming: it normalises attribute whitespace (XML 1.0 §3.3.3) and keeps character references', () => {
    expect(parseXml('<r a="x\ty\nz\r\nw&#9;&#10;&#13;v"/>').attrs.a).toBe('x y z w\t\n\rv');
    for (const bad of ['<r><a></r>', '<r a="<"/>', '<r a=1/>', '<r>&foo;</r>', '<r/><s/>', '<r a="1" a="2"/>', '<r>\u0001</r>', '<r a="\uD800"/>']) {
      expect(() => parseXml(bad), JSON.stringify(bad)).toThrow(/not well-formed/);
    }
  });

  // The escaper an attribute needs keeps tab, LF and CR as character references; a text escaper
  // leaves them raw, and a conforming parser then reads them back as spaces.
  it.each([
    ['escapeXmlAttr', escapeXmlAttr, true],
    ['escapeXml used for an attribute (leaves \\n raw)', escapeXml, false],
    ['an escaper that writes only &#10; (leaves \\t and \\r raw)', (t: string) => escapeXml(t).replace(/\n/g, '&#10;'), false],
  ] as Array<[string, (t: string) => string, boolean]>)('attribute round trip with %s', (_name, escape, survives) => {
    const value = 'line1\nline2\ttab\r\nend';
    const read = parseXml(`<r a="${escape(value)}"/>`).attrs.a;
    expect(read === value).toBe(survives);
  });

  it('produces XML a strict parser reads back unchanged (but for removed characters)', () => {
    const nasty = `<x a="1"> & 'q' ]]> \u0007 line1\nline2\ttab`;
    const doc = parseXml(`<r a="${escapeXmlAttr(nasty)}">${escapeXml(nasty)}</r>`);
    expect(doc.attrs.a).toBe(stripControlChars(nasty));
    expect(doc.text).toBe(stripControlChars(nasty));
  });

  it('embeds JSON that cannot close its script element and parses back to the same value', () => {
    const value = { s: '</script><!-- <script>alert(1)</script> & \u2028 \u2029', n: [1, null, 'ü'] };
    const text = jsonForScript(value);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});
