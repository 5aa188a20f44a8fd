// The command line of `setItemPolicies`:
//   ALMA_API_KEY=… ALMA_REGION=eu node dist/src/set-item-policies.js items.csv [--dry-run] [--retry-failed]
// (ALMA_BASE_URL instead of ALMA_REGION for a mock or a proxy). Exit codes: 0 done, 1 some failed, 75 paused at the
// daily limit (run it again after midnight UTC), 130/143 interrupted (run it again to resume).
import { createClient, type Region } from 'alma-client';
import { setItemPolicies } from './item-policies.js';

const [file, ...flags] = process.argv.slice(2);
const apiKey = process.env.ALMA_API_KEY;
if (!file || !apiKey) {
  console.error(
    'usage: ALMA_API_KEY=… ALMA_REGION=eu node set-item-policies.js items.csv [--dry-run] [--retry-failed]',
  );
  process.exit(64);
}
const baseUrl = process.env.ALMA_BASE_URL;
const alma = baseUrl
  ? createClient({ apiKey, baseUrl })
  : createClient({ apiKey, region: (process.env.ALMA_REGION ?? 'na') as Region });
const report = await setItemPolicies(alma, file, {
  dryRun: flags.includes('--dry-run'),
  retryFailed: flags.includes('--retry-failed'),
});
process.exitCode = report.exitCode;
