// GitHub Actions annotations for the regressions of a run: one `::error` workflow command per
// fail/error case that no baseline lists, printed by the run command when GITHUB_ACTIONS=true.
import { actualText, byId, expectedText, isRegression } from './cases.ts';
import type { CaseResult } from './model.ts';
import { collectSecrets, redactText } from './redact.ts';

/** GitHub shows at most 10 error annotations per step; past this many only a count is printed. */
export const MAX_ANNOTATIONS = 50;

/** Escapes the message of a workflow command (`%`, CR, LF). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a property value of a workflow command (also `:` and `,`). */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function githubAnnotations(results: readonly CaseResult[], secrets: readonly string[] = collectSecrets()): string[] {
  const bad = byId(results.filter(isRegression));
  const lines = bad.slice(0, MAX_ANNOTATIONS).map((r) => {
    const message = [
      `${r.outcome === 'error' ? 'error' : 'fail'}: expected ${expectedText(r)}, got ${actualText(r)}`,
      r.reason ?? '',
      `seed ${r.seed}`,
      r.replay ? `replay: ${r.replay}` : '',
    ].filter(Boolean).join('\n');
    return `::error title=${escapeProperty(redactText(r.id, secrets))}::${escapeData(redactText(message, secrets))}`;
  });
  if (bad.length > MAX_ANNOTATIONS) {
    lines.push(`::error title=ovc::${escapeData(`${bad.length - MAX_ANNOTATIONS} more failing cases; see summary.md and report.html`)}`);
  }
  return lines;
}
