// summary.json (the RunSummary with the baseline it was gated against) and matrix.json (rows ×
// outcomes, coverage).
import { SUMMARY_FILE } from './runs.ts';
import type { ReportWriter } from './view.ts';

export const summaryWriter: ReportWriter = { file: SUMMARY_FILE, render: (v) => `${JSON.stringify(v.stored, null, 2)}\n` };
export const matrixWriter: ReportWriter = { file: 'matrix.json', render: (v) => `${JSON.stringify(v.matrix, null, 2)}\n` };
