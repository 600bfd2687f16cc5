// Escaping for the writers' output formats. Small and tested on its own (test/reports/escape.test.ts);
// to be replaced by a well-kept library (e.g. escape-html) once it is a direct dependency.

/** Characters XML 1.0 forbids even as references, and lone surrogates: removed, not escaped. */
const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function stripControlChars(text: string): string {
  return text.replace(INVALID_XML_CHARS, '');
}

const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text or attribute value for XML 1.0: entities escaped, forbidden characters removed. */
export function escapeXml(text: string): string {
  return stripControlChars(text).replace(/[&<>"']/g, (c) => XML_ENTITIES[c]!);
}

/** Attribute value that keeps its line breaks and tabs (a parser would normalise them to spaces). */
export function escapeXmlAttr(text: string): string {
  return escapeXml(text).replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text or (quoted) attribute value for HTML. */
export function escapeHtml(text: string): string {
  return stripControlChars(text).replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]!);
}

/**
 * JSON for a `<script type="application/json">` block: `<`, `>` and `&` written as \u escapes, so
 * no string in the data can close the element or open a comment; JSON.parse reads it unchanged.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
