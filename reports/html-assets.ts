// The stylesheets and the script the HTML pages carry inline (their CSP forbids every fetch): real
// files in reports/assets/, shipped in the package ("files" in package.json) and read from the
// installed package at run time (contracts/packageFiles.ts), once per process.
import { readFileSync } from 'node:fs';
import { packageFile } from '../contracts/packageFiles.ts';

/** Each asset's path in the package. */
export const HTML_ASSETS = {
  reportCss: 'reports/assets/report.css',
  reportJs: 'reports/assets/report.js',
  diffCss: 'reports/assets/diff.css',
} as const;

export type HtmlAsset = keyof typeof HTML_ASSETS;

const read = new Map<HtmlAsset, string>();

/** The text of one asset, to inline into a `<style>` or `<script>` element. */
export function htmlAsset(name: HtmlAsset): string {
  const known = read.get(name);
  if (known !== undefined) return known;
  const rel = HTML_ASSETS[name];
  const file = packageFile(rel);
  if (!file) throw new Error(`${rel} is missing from the installed oss-vectors-conformance package; reinstall it.`);
  const text = readFileSync(file, 'utf8');
  // Inlined as is: a closing tag inside would end the element early.
  if (/<\/(style|script)/i.test(text)) throw new Error(`${rel} holds a closing </style> or </script> tag and cannot be inlined.`);
  read.set(name, text);
  return text;
}
