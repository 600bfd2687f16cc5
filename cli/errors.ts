/** Bad input or an unusable target: printed as one sentence, exit 2. */
export class UsageError extends Error {}
