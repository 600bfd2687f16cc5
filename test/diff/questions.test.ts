// The question table agrees with the generators' labels and names only questions it defines.
import { describe, expect, it } from 'vitest';
import { LABELS } from '../../generators/labels.ts';
import { QUESTION_RULES, QUESTIONS, questionOfAnswers, questionOfBodyPath, questionOfHeader, questionsOfCase } from '../../diff/questions.ts';

describe('question table', () => {
  it('defines U1–U24 and every question a rule names', () => {
    for (let i = 1; i <= 24; i++) expect(QUESTIONS[`U${i}`]).toBeTruthy();
    for (const r of QUESTION_RULES) expect(QUESTIONS[r.q], r.q).toBeTruthy();
  });

  it('every generator label whose outcome rests on a §12 unknown maps to that U-number', () => {
    for (const [label, info] of Object.entries(LABELS)) {
      const ref = (info.unknown as { ref: string } | null)?.ref;
      if (!ref || !/^U\d+$/.test(ref)) continue;
      expect(questionsOfCase({ id: 'x', labels: [label] }), label).toContain(ref);
    }
  });

  it('maps case ids, answer pairs, headers and body paths', () => {
    expect(questionsOfCase({ id: 'delete-vector-index/404-no-such-vector-index/second-delete', labels: [] })).toEqual(['U5']);
    expect(questionsOfCase({ id: 'delete-vector-index/index-states/creating#2', labels: ['index-creating'] })).toEqual(['U6']);
    expect(questionOfAnswers('409 VectorIndexOperationConflict', '404 NoSuchVectorIndex')).toBe('U5');
    expect(questionOfAnswers('400 MalformedJson', '400 VectorIndexParameterInvalid')).toBe('U3');
    expect(questionOfAnswers('204', '400 InvalidDigest')).toBe('U11');
    expect(questionOfAnswers('204', '404 NoSuchVectorIndex')).toBeNull();
    expect(questionOfHeader('X-OSS-EC')).toBe('U16');
    expect(questionOfHeader('x-oss-whatever')).toBe('undocumented');
    expect(questionOfBodyPath('Error.HostId')).toBe('U23');
    expect(questionOfBodyPath('vectors[].distance')).toBe('U20');
  });
});
