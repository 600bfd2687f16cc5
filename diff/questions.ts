// The one table from a difference to the spec §12 question it speaks to (docs/spec.md
// §12, U1–U24), plus three points the documentation is silent on that are not in §12. A case,
// a pair of answers, a response header or a body field maps to a question; the first rule that
// matches wins. test/diff/questions.test.ts checks the table against generators/labels.ts.

export interface Question { id: string; title: string }

export const QUESTIONS: Readonly<Record<string, string>> = {
  U1: 'exact Message strings and EC values',
  U2: 'order of checks (which of several faults answers)',
  U3: 'empty body, {} or non-string indexName',
  U4: 'is the indexName format checked before the lookup',
  U5: 'a second DeleteVectorIndex (or a read) right after a delete',
  U6: 'how long creating/deleting last, and what other calls answer meanwhile',
  U7: 'PutVectorIndex with the name of an index in deleting',
  U8: 'PutVectorIndex with the same name and config',
  U9: 'required or defaulted index parameters',
  U10: 'case sensitivity of index names',
  U11: 'is Content-MD5 checked, and with which code',
  U12: 'is Content-Type enforced',
  U13: 'path-style addressing on the real service',
  U14: 'canonical query normalisation',
  U15: 'presigned URL expiry and scope date',
  U16: 'x-oss-ec and x-oss-server-time on errors',
  U17: 'quotas',
  U18: 'PutVectors payload limits',
  U19: 'metadata value types',
  U20: 'optional fields in vectors responses',
  U21: 'list ordering and nextToken',
  U22: 'createTime precision',
  U23: 'HostId and BucketName in error bodies',
  U24: 'policy and logging error codes',
  'extra-fields': 'fields DeleteVectorIndex does not define in the request body (not in §12; undocumented)',
  'json-bom': 'a UTF-8 byte order mark before the JSON text (RFC 8259 §8.1 lets a parser ignore it)',
  undocumented: 'a response header or body field the documentation does not mention',
  'not-comparable': 'the case could not be compared (skipped on one side)',
};

export function question(id: string): Question {
  const title = QUESTIONS[id];
  if (title === undefined) throw new Error(`unknown question '${id}'`);
  return { id, title };
}

export interface QuestionRule {
  q: string;
  /** The case id starts with this. */
  idPrefix?: string;
  /** The case carries this generator label (generators/labels.ts, `unknown.ref`). */
  label?: string;
  /** The two answers (either order), as `204`, `404 NoSuchVectorIndex`, or a bare code. */
  answers?: readonly [string, string];
  /** A response header name (lower case). */
  header?: string;
  /** A JSON body path (`Error.HostId`, `index.createTime`, `vectors[].data`); a prefix when it ends in `*`. */
  bodyPath?: string;
}

const DEL = 'delete-vector-index/';

export const QUESTION_RULES: readonly QuestionRule[] = [
  // Cases whose behaviour is itself an open question.
  { q: 'U5', idPrefix: `${DEL}404-no-such-vector-index/second-delete` },
  { q: 'U5', idPrefix: `${DEL}index-states/deleted` },
  { q: 'U5', idPrefix: `${DEL}races/concurrent-deletes` },
  { q: 'U6', idPrefix: `${DEL}409-vector-index-operation-conflict/observed-creating` },
  { q: 'U6', idPrefix: `${DEL}index-states/creating` },
  { q: 'U6', idPrefix: `${DEL}index-states/deleting` },
  { q: 'U6', idPrefix: `${DEL}lifecycle/` },
  { q: 'U11', idPrefix: `${DEL}400-invalid-digest/` },
  { q: 'U11', idPrefix: `${DEL}403-signature/md5-mismatch` },
  // Generator labels whose outcome rests on an unknown.
  { q: 'U5', label: 'index-deleted' },
  { q: 'U3', label: 'body-empty' },
  { q: 'U11', label: 'md5-mismatch' },
  { q: 'json-bom', label: 'json-bom' },
  { q: 'extra-fields', label: 'body-extra-field' },
  // Pairs of answers.
  { q: 'U5', answers: ['NoSuchVectorIndex', 'VectorIndexOperationConflict'] },
  { q: 'U5', answers: ['200', '404 NoSuchVectorIndex'] },
  { q: 'U3', answers: ['MalformedJson', 'VectorIndexParameterInvalid'] },
  { q: 'U4', answers: ['VectorIndexParameterInvalid', 'NoSuchVectorIndex'] },
  { q: 'U11', answers: ['InvalidDigest', '204'] },
  // Response headers.
  { q: 'U16', header: 'x-oss-ec' },
  { q: 'U16', header: 'x-oss-server-time' },
  // Body fields.
  { q: 'U23', bodyPath: 'Error.HostId' },
  { q: 'U23', bodyPath: 'Error.BucketName' },
  { q: 'U1', bodyPath: 'Error.EC' },
  { q: 'U1', bodyPath: 'Error.Message' },
  { q: 'U22', bodyPath: 'index.createTime' },
  { q: 'U22', bodyPath: 'indexes[].createTime' },
  { q: 'U6', bodyPath: 'index.status' },
  { q: 'U20', bodyPath: 'vectors*' },
  { q: 'U21', bodyPath: 'nextToken' },
];

/** A bare code matches an answer carrying that code; `204`/`200` match the status. */
function answerMatches(pattern: string, answer: string): boolean {
  if (pattern === answer) return true;
  const [status, code] = answer.split(' ');
  return pattern === code || pattern === status;
}

export interface CaseFacts { id: string; labels: readonly string[] }

/** The questions a case speaks to by its id or labels (in table order, no duplicates). */
export function questionsOfCase(c: CaseFacts): string[] {
  const out: string[] = [];
  for (const r of QUESTION_RULES) {
    const hit = (r.idPrefix !== undefined && c.id.startsWith(r.idPrefix)) || (r.label !== undefined && c.labels.includes(r.label));
    if (hit && !out.includes(r.q)) out.push(r.q);
  }
  return out;
}

export function questionOfAnswers(a: string, b: string): string | null {
  for (const r of QUESTION_RULES) {
    if (!r.answers) continue;
    const [x, y] = r.answers;
    if ((answerMatches(x, a) && answerMatches(y, b)) || (answerMatches(x, b) && answerMatches(y, a))) return r.q;
  }
  return null;
}

export function questionOfHeader(name: string): string {
  return QUESTION_RULES.find((r) => r.header === name.toLowerCase())?.q ?? 'undocumented';
}

export function questionOfBodyPath(path: string): string {
  const hit = QUESTION_RULES.find((r) => r.bodyPath !== undefined && (r.bodyPath.endsWith('*') ? path.startsWith(r.bodyPath.slice(0, -1)) : path === r.bodyPath));
  return hit?.q ?? 'undocumented';
}
