// Name rules and numeric limits of OSS Vectors (spec §3, §4). Every other module reads them here.

/** Index names: 1–63 characters, letters and digits, starting with a letter (D-PutIdx). */
export const INDEX_NAME_MAX = 63;
export const INDEX_NAME_PATTERN = new RegExp(`^[A-Za-z][A-Za-z0-9]{0,${INDEX_NAME_MAX - 1}}$`);
/**
 * The complement of INDEX_NAME_PATTERN, written without look-ahead so that Rust (Pact) and
 * ECMAScript engines read it alike: empty, not starting with a letter, holding a character other
 * than a letter or digit, or longer than INDEX_NAME_MAX. test/pact/consumer.test.ts checks that
 * exactly one of the two patterns accepts any string.
 */
export const INVALID_INDEX_NAME_PATTERN = new RegExp(`^(|[^A-Za-z][\\s\\S]*|[\\s\\S]*[^A-Za-z0-9][\\s\\S]*|[A-Za-z0-9]{${INDEX_NAME_MAX + 1},})$`);

/** Vector bucket names: 3–32 characters of [a-z0-9-], not starting or ending with '-' (D-PutBkt). */
export const BUCKET_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{1,30}[a-z0-9]$/;
export const BUCKET_NAME_MIN = 3;
export const BUCKET_NAME_MAX = 32;

/** nonFilterableMetadataKeys entries (D-PutIdx). */
export const METADATA_KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export const LIMITS = {
  indexesPerBucket: 100,
  bucketsPerRegion: 100,
  dimensionMin: 1,
  dimensionMax: 4096,
  dataTypes: ['float32'] as const,
  distanceMetrics: ['euclidean', 'cosine'] as const,
  nonFilterableKeysMax: 10,
  vectorsPerPut: 500,
  vectorKeyMaxChars: 1024,
  metadataMaxBytes: 40 * 1024,
  getVectorsKeysMax: 100,
  deleteVectorsKeysMax: 500,
  listVectorsDefault: 500,
  listVectorsMax: 1000,
  listVectorsSegmentsMax: 16,
  listIndexesDefault: 100,
  listIndexesMax: 500,
  listBucketsDefault: 100,
  listBucketsMax: 1000,
  topKMin: 1,
  topKMax: 100,
  clockSkewMs: 15 * 60 * 1000,
  requestIdLength: 24,
  /** Request bodies above this are refused without being read (emulator choice, §12 U18). */
  maxBodyBytes: 20 * 1024 * 1024,
} as const;

export type DistanceMetric = (typeof LIMITS.distanceMetrics)[number];

export function isValidIndexName(name: unknown): name is string {
  return typeof name === 'string' && INDEX_NAME_PATTERN.test(name);
}

export function isValidBucketName(name: unknown): name is string {
  return typeof name === 'string' && BUCKET_NAME_PATTERN.test(name);
}

/** Index states (D-GetIdx): the literal is `enable`, not `enabled`. */
export const INDEX_STATES = ['creating', 'enable', 'deleting'] as const;
export type IndexState = (typeof INDEX_STATES)[number];
