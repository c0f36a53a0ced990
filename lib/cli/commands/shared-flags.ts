/**
 * Flags shared by `fetch` and `sync`: the target, the keys, the output mode, the time bound.
 *
 * @module
 */
import { Option, type Command } from 'commander';

/** The help heading of the target flags. */
export const TARGET_GROUP = 'Target (default: the embedded sandbox):';
/** The help heading of the output flags. */
export const OUTPUT_GROUP = 'Output and run:';

/** Adds `--base-url`, `--env`, `--client-id`, `--api-key` to a command. */
export const addTargetFlags = (command: Command): Command =>
  command
    .addOption(new Option('--base-url <url>', 'an MX-compatible host (a standalone sandbox, a proxy)').helpGroup(TARGET_GROUP))
    .addOption(
      new Option('--env <name>', "MX's host: integration (int-api.mx.com) or production (api.mx.com)")
        .choices(['integration', 'production'])
        .conflicts('baseUrl')
        .helpGroup(TARGET_GROUP),
    )
    .addOption(new Option('--client-id <id>', 'MX client id (default: $MX_CLIENT_ID)').helpGroup(TARGET_GROUP))
    .addOption(
      new Option('--api-key <key>', 'MX API key (default: $MX_API_KEY; prefer the variable: flags show in ps)').helpGroup(
        TARGET_GROUP,
      ),
    );

/** Adds `--json` and `--timeout` to a command. */
export const addOutputFlags = (command: Command): Command =>
  command
    .addOption(new Option('--json', 'NDJSON events on stdout (one object per line, each with a "type"); no bars').helpGroup(OUTPUT_GROUP))
    .addOption(new Option('--timeout <seconds>', 'give up after this long (exit 124)').helpGroup(OUTPUT_GROUP))
    .addOption(new Option('--retries <n>', 'retries of a request or step that failed transiently (default: the library policy)').helpGroup(OUTPUT_GROUP));

/** Collects a repeatable flag's values. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
