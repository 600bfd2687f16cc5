// Names what is wrong with a text JSON.parse rejected, by one pass over it outside string
// literals. Each finding is a fact about the text; when nothing specific is found the caller
// falls back to `json-malformed`.

const JSON_WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const WORD_START = /[A-Za-z_$]/;
const WORD_CHAR = /[A-Za-z0-9_$]/;
const NUMBER_CHAR = /[0-9eE+\-.]/;

export function scanMalformedJson(text: string): string[] {
  const found = new Set<string>();
  const stack: string[] = [];
  let previous = ''; // the last structural character outside strings and comments
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      if (c === "'") found.add('json-single-quote');
      i = skipString(text, i, c);
      if (i > n) { found.add('json-truncated'); break; }
      previous = 'value';
      continue;
    }
    if (c === '{' || c === '[') {
      stack.push(c);
      previous = c;
    } else if (c === '}' || c === ']') {
      if (previous === ',') found.add('json-trailing-comma');
      const open = stack.pop();
      if (open === undefined || (open === '{') !== (c === '}')) found.add('json-unbalanced');
      previous = 'value';
    } else if (c === ',' || c === ':') {
      previous = c;
    } else if (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) {
      found.add('json-comment');
      if (text[i + 1] === '/') {
        const end = text.indexOf('\n', i + 2);
        i = end < 0 ? n : end + 1;
      } else {
        const end = text.indexOf('*/', i + 2);
        i = end < 0 ? n : end + 2;
      }
      continue;
    } else if (WORD_START.test(c)) {
      let j = i + 1;
      while (j < n && WORD_CHAR.test(text[j]!)) j++;
      const word = text.slice(i, j);
      if (word === 'NaN' || word === 'Infinity') found.add('json-non-finite');
      else if (word !== 'true' && word !== 'false' && word !== 'null') found.add('json-bare-word');
      previous = 'value';
      i = j;
      continue;
    } else if (NUMBER_CHAR.test(c)) {
      previous = 'value';
    } else if (!JSON_WHITESPACE.has(c)) {
      previous = 'value';
    }
    i++;
  }
  if (stack.length > 0) found.add('json-truncated');
  return [...found];
}

/** Index just past the closing quote, or n + 1 when the string never closes. */
function skipString(text: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\') { i += 2; continue; }
    if (c === quote) return i + 1;
    i++;
  }
  return text.length + 1;
}
