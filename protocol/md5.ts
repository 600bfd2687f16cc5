import { createHash } from 'node:crypto';

/** base64(MD5(body)); the empty-body value is `1B2M2Y8AsgTpgAmY7PhCfg==` (spec §10). */
export function contentMd5(body: string | Uint8Array): string {
  return createHash('md5').update(body).digest('base64');
}

export const EMPTY_BODY_MD5 = '1B2M2Y8AsgTpgAmY7PhCfg==';
