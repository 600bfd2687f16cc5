// The target defaults every command, the emulator and the generated documents share, spelled once
// here (test/house/defaults.test.ts fails when another runtime source spells one). The region and
// the account id are the documentation's sample target (spec §1, §8: examplebucket-1234567890
// .cn-hangzhou.oss-vectors.aliyuncs.com), an account nobody owns; the buckets are the run's own.

/** The signing region when none is given (`--region`). */
export const DEFAULT_REGION = 'cn-hangzhou';
/** The account id when none is given (`--account-id`): part of the virtual-hosted host and of the signed ARN. */
export const DEFAULT_ACCOUNT_ID = '1234567890';
/** The vector bucket a run uses (`--bucket`) and the emulator holds at start. */
export const DEFAULT_BUCKET = 'ovc-conformance';
/** The second bucket of the embedded emulator (the other-bucket cases), when `--other-bucket` is not given. */
export const DEFAULT_OTHER_BUCKET = `${DEFAULT_BUCKET}-b2`;
