// Names what is wrong with a text that is not JSON, by one pass over it outside string literals.
// Every finding proves the text is not JSON (so a caller may skip JSON.parse, which takes seconds
// on megabytes of nested brackets); finding nothing proves nothing.

// Character codes.
const CH_TAB = 9;
const CH_LF = 10;
const CH_CR = 13;
const CH_SPACE = 32;
const CH_QUOTE = 34;
const CH_DOLLAR = 36;
const CH_APOS = 39;
const CH_STAR = 42;
const CH_PLUS = 43;
const CH_COMMA = 44;
const CH_MINUS = 45;
const CH_DOT = 46;
const CH_SLASH = 47;
const CH_ZERO = 48;
const CH_NINE = 57;
const CH_UPPER_A = 65;
const CH_UPPER_Z = 90;
const CH_LBRACKET = 91;
const CH_BACKSLASH = 92;
const CH_RBRACKET = 93;
const CH_UNDERSCORE = 95;
const CH_LOWER_A = 97;
const CH_LOWER_E = 101;
const CH_UPPER_E = 69;
const CH_LOWER_Z = 122;
const CH_LBRACE = 123;
const CH_RBRACE = 125;

function isWordStart(c: number): boolean {
  return (c >= CH_UPPER_A && c <= CH_UPPER_Z) || (c >= CH_LOWER_A && c <= CH_LOWER_Z) || c === CH_UNDERSCORE || c === CH_DOLLAR;
}

function isWordChar(c: number): boolean {
  return isWordStart(c) || (c >= CH_ZERO && c <= CH_NINE);
}

function isNumberChar(c: number): boolean {
  return (c >= CH_ZERO && c <= CH_NINE) || c === CH_MINUS || c === CH_PLUS || c === CH_DOT || c === CH_LOWER_E || c === CH_UPPER_E;
}

export function scanMalformedJson(text: string): string[] {
  const found = new Set<string>();
  const stack: number[] = [];
  let afterComma = false; // the last structural token outside strings and comments was ','
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === CH_LBRACKET || c === CH_LBRACE) {
      stack.push(c);
      afterComma = false;
      i++;
    } else if (c === CH_RBRACKET || c === CH_RBRACE) {
      if (afterComma) found.add('json-trailing-comma');
      const open = stack.pop();
      if (open === undefined || (open === CH_LBRACE) !== (c === CH_RBRACE)) found.add('json-unbalanced');
      afterComma = false;
      i++;
    } else if (c === CH_SPACE || c === CH_TAB || c === CH_LF || c === CH_CR) {
      i++;
    } else if (c === CH_QUOTE || c === CH_APOS) {
      if (c === CH_APOS) found.add('json-single-quote');
      i = skipString(text, i, c);
      if (i > n) { found.add('json-truncated'); break; }
      afterComma = false;
    } else if (c === CH_SLASH && (text.charCodeAt(i + 1) === CH_SLASH || text.charCodeAt(i + 1) === CH_STAR)) {
      found.add('json-comment');
      const line = text.charCodeAt(i + 1) === CH_SLASH;
      const end = text.indexOf(line ? '\n' : '*/', i + 2);
      i = end < 0 ? n : end + (line ? 1 : 2);
    } else if (isWordStart(c)) {
      let j = i + 1;
      while (j < n && isWordChar(text.charCodeAt(j))) j++;
      const word = text.slice(i, j);
      if (word === 'NaN' || word === 'Infinity') found.add('json-non-finite');
      else if (word !== 'true' && word !== 'false' && word !== 'null') found.add('json-bare-word');
      afterComma = false;
      i = j;
    } else if (c === CH_MINUS || (c >= CH_ZERO && c <= CH_NINE)) {
      // A whole number token, so exponents (1e5) are not read as words; '-Infinity' stops at 'I'.
      let j = i + 1;
      while (j < n && isNumberChar(text.charCodeAt(j))) j++;
      afterComma = false;
      i = j;
    } else {
      afterComma = c === CH_COMMA;
      i++;
    }
  }
  if (stack.length > 0) found.add('json-truncated');
  return [...found];
}

/** Index just past the closing quote, or n + 1 when the string never closes. */
function skipString(text: string, start: number, quote: number): number {
  let i = start + 1;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === CH_BACKSLASH) { i += 2; continue; }
    if (c === quote) return i + 1;
    i++;
  }
  return n + 1;
}
