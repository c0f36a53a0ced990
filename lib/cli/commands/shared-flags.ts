/**
 * The flags `fetch` and `sync` share (target, keys, API version, request pacing, output), as table entries.
 * A new shared flag is one entry here and one line in `resolveConnection`.
 *
 * @module
 */
import { DEFAULT_API_VERSION, MX_API_VERSIONS } from '../../core/config.js';
import type { FlagSpec } from '../args/spec.js';
import { DEMO } from '../options.js';

/** The help heading of the target flags. */
export const TARGET_GROUP = 'Target (default: the embedded sandbox)';
/** The help heading of the request flags. */
export const REQUEST_GROUP = 'Requests';
/** The help heading of the output flags. */
export const OUTPUT_GROUP = 'Output';

/** `--base-url`, `--env`, `--client-id`, `--api-key`, `--api-version`. */
export const TARGET_FLAGS: ReadonlyArray<FlagSpec> = [
  { name: 'base-url', value: 'URL', help: 'an MX-compatible host: a standalone sandbox, a backend proxy', group: TARGET_GROUP },
  {
    name: 'env',
    value: 'NAME',
    choices: ['integration', 'production'],
    help: "MX's hosts int-api.mx.com or api.mx.com; excludes --base-url",
    group: TARGET_GROUP,
  },
  { name: 'client-id', value: 'ID', help: 'MX client id', default: '$MX_CLIENT_ID', group: TARGET_GROUP },
  {
    name: 'api-key',
    value: 'KEY',
    secret: true,
    help: 'MX API key; prefer the variable, flags show in ps',
    default: '$MX_API_KEY',
    group: TARGET_GROUP,
  },
  {
    name: 'api-version',
    value: 'VERSION',
    choices: MX_API_VERSIONS,
    help: 'the MX API version every request names in Accept-Version',
    default: DEFAULT_API_VERSION,
    group: TARGET_GROUP,
  },
];

/** `--rate-limit`, `--retries`, `--timeout`. */
export const REQUEST_FLAGS: ReadonlyArray<FlagSpec> = [
  { name: 'rate-limit', value: 'N', help: 'at most N requests per second, shared by every request of the run', default: 'none', group: REQUEST_GROUP },
  {
    name: 'retries',
    value: 'N',
    help: 'retries of a request or step that failed transiently, 0 to 10',
    default: "the library's policy, 3",
    group: REQUEST_GROUP,
  },
  { name: 'timeout', value: 'SECONDS', help: 'give up after this long, prompts included (exit 124)', default: 'none', group: REQUEST_GROUP },
];

/** `--out`. */
export const OUT_FLAG: FlagSpec = {
  name: 'out',
  value: 'DIR',
  help: 'where PDFs go, one folder per member; checked before any request',
  default: DEMO.out,
  group: OUTPUT_GROUP,
};

/** `--json`. */
export const JSON_FLAG: FlagSpec = {
  name: 'json',
  help: 'NDJSON events on stdout, one object per line, each with a "type"; no live display',
  group: OUTPUT_GROUP,
};

/** `--allow-unverified` (fetch, sync, worker). */
export const ALLOW_UNVERIFIED_FLAG: FlagSpec = {
  name: 'allow-unverified',
  help: 'keep a PDF MX sends without a content_hash (checked as a PDF, marked unverified); without it, refused (exit 6)',
  group: OUTPUT_GROUP,
};
