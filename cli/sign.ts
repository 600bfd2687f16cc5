// `ovc sign`: prints the V4 signing headers for one request, one per line, for `curl -H @file`.
// The secret comes from the environment at run time and is never printed.
import { Command } from 'commander';
import { signRequest } from '../protocol/signer.ts';
import { credentialsFromEnv } from '../client/config.ts';
import { UsageError } from './errors.ts';
import { DEFAULT_ACCOUNT_ID, DEFAULT_REGION } from '../contracts/defaults.ts';

export function signCommand(): Command {
  return new Command('sign')
    .description('print V4 signing headers for a request (used by the curl lines of failing cases)')
    .requiredOption('--method <m>', 'HTTP method')
    .option('--query <q>', 'raw query string without ?', '')
    .option('--bucket <b>', 'bucket (absent for service-level requests)')
    .option('--region <r>', 'signing region', DEFAULT_REGION)
    .option('--account-id <id>', 'account id', DEFAULT_ACCOUNT_ID)
    .option('-H, --header <h...>', "a header as sent, 'Name: value'", [])
    .action((o: { method: string; query: string; bucket?: string; region: string; accountId: string; header: string[] }) => {
      const credentials = credentialsFromEnv();
      if (!credentials) throw new UsageError('OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET must be set.');
      const headers: Array<[string, string]> = o.header.map((h) => {
        const i = h.indexOf(':');
        if (i <= 0) throw new UsageError(`-H expects 'Name: value', got '${h}'.`);
        return [h.slice(0, i).trim(), h.slice(i + 1).trim()];
      });
      const signed = signRequest({ region: o.region, accountId: o.accountId, bucket: o.bucket, method: o.method, query: o.query, headers, credentials });
      for (const [k, v] of Object.entries(signed.headers)) process.stdout.write(`${k}: ${v}\n`);
    });
}
