/** Command-line flags shared by `bench/run.ts` and the phase scripts. */

/** What a bench run was asked for. */
export interface BenchArgs {
  /** `--quick`: the reduced sizes (the whole run under 2 minutes on 2 cores). */
  readonly quick: boolean;
  /** `--only overhead,polling`: run these phases only (default: all). */
  readonly only: ReadonlyArray<string> | undefined;
  /** `--out FILE`: where to write the results (default `bench/results.json`). */
  readonly out: string | undefined;
}

/** Parses `argv` (without the node and script entries). Unknown flags throw, naming the flag. */
export const parseArgs = (argv: ReadonlyArray<string>): BenchArgs => {
  let quick = false;
  let only: string[] | undefined;
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--quick') quick = true;
    else if (arg === '--only') only = (argv[++i] ?? '').split(',').filter((s) => s !== '');
    else if (arg.startsWith('--only=')) only = arg.slice('--only='.length).split(',').filter((s) => s !== '');
    else if (arg === '--out') out = argv[++i];
    else if (arg.startsWith('--out=')) out = arg.slice('--out='.length);
    else throw new Error(`bench: unknown argument ${JSON.stringify(arg)} (known: --quick, --only a,b, --out FILE)`);
  }
  return { quick, only, out };
};
