// The `html` template tag of the HTML reports (report.html, diff.html): literal parts are markup,
// every interpolated value is escaped unless it is already markup (Raw).
import { escapeHtml } from './escape.ts';

export class Raw { constructor(readonly html: string) {} }
export type Value = Raw | string | number | boolean | null | undefined | readonly Value[];

function render(v: Value): string {
  if (v instanceof Raw) return v.html;
  if (Array.isArray(v)) return v.map(render).join('');
  if (v === null || v === undefined || v === false) return '';
  return escapeHtml(String(v));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Raw {
  let out = strings[0]!;
  values.forEach((v, i) => { out += render(v) + strings[i + 1]!; });
  return new Raw(out);
}
