/**
 * `overhead`: the same sandbox GET (`GET /institutions/mxbank`) through the library
 * (`client.institutions.read$`, decoded with io-ts) and through raw cross-fetch (same URL, same headers,
 * `JSON.parse` of the text), interleaved one by one after a warm-up. Two more sides locate the cost: the raw GET
 * with an `AbortSignal`, and the floor (`bench/lib/floor-call.ts`), the least that meets the design card. Both sides use cross-fetch with its default
 * agent, which on Node ≥ 19 is `http.globalAgent` with keep-alive on: the same connection pool for both.
 */
import { performance } from 'node:perf_hooks';
import crossFetch from 'cross-fetch';
import * as E from 'fp-ts/lib/Either.js';
import { firstValueFrom } from 'rxjs';
import { createMxClient } from '../../lib/api/client.js';
import { InstitutionResponseBody } from '../../lib/codecs/index.js';
import { MX_JSON } from '../../lib/http/media-types.js';
import { floorGet$ } from '../lib/floor-call.js';
import { log, runPhase } from '../lib/phase.js';
import type { OverheadResult } from '../lib/results.js';
import { startSandboxChild } from '../lib/sandbox-child.js';
import { median, percentile, round } from '../lib/stats.js';

const PATH = '/institutions/mxbank';

runPhase('overhead', async ({ quick }): Promise<OverheadResult> => {
  const requests = quick ? 300 : 1000;
  const warmup = quick ? 100 : 200;
  const sandbox = await startSandboxChild({ seed: 'bench-overhead' });
  try {
    const client = createMxClient({ baseUrl: sandbox.url, clientId: sandbox.clientId, apiKey: sandbox.apiKey });
    // the same headers the library sends (MX refuses a request without Accept-Version since August 2026)
    const headers = {
      Authorization: `Basic ${Buffer.from(`${sandbox.clientId}:${sandbox.apiKey}`).toString('base64')}`,
      Accept: MX_JSON,
      'Accept-Version': client.config.apiVersion,
    };
    const viaLibrary = async (): Promise<number> => {
      const t0 = performance.now();
      const result = await firstValueFrom(client.institutions.read$('mxbank'));
      const ms = performance.now() - t0;
      if (E.isLeft(result)) throw new Error(`library GET failed: ${result.left.message}`);
      return ms;
    };
    // `signal`: the same raw GET made abortable, as the library's must be (abort on unsubscribe).
    const viaRaw = async (abortable = false): Promise<number> => {
      const t0 = performance.now();
      const res = await crossFetch(`${sandbox.url}${PATH}`, abortable ? { headers, signal: new AbortController().signal } : { headers });
      const body = JSON.parse(await res.text()) as { institution?: { code?: string } };
      const ms = performance.now() - t0;
      if (res.status !== 200 || body.institution?.code !== 'mxbank') throw new Error(`raw GET failed: ${res.status}`);
      return ms;
    };

    const viaFloor = async (): Promise<number> => {
      const t0 = performance.now();
      const result = await firstValueFrom(floorGet$(`${sandbox.url}${PATH}`, headers, InstitutionResponseBody));
      const ms = performance.now() - t0;
      if (E.isLeft(result)) throw new Error(`floor GET failed: ${result.left}`);
      return ms;
    };

    for (let i = 0; i < warmup; i++) {
      await viaLibrary();
      await viaRaw();
      await viaRaw(true);
      await viaFloor();
    }
    const lib: number[] = [];
    const raw: number[] = [];
    const rawAbortable: number[] = [];
    const floor: number[] = [];
    // The four sides in rotating order, so none always runs right after another.
    const sides = [
      async () => lib.push(await viaLibrary()),
      async () => raw.push(await viaRaw()),
      async () => rawAbortable.push(await viaRaw(true)),
      async () => floor.push(await viaFloor()),
    ];
    for (let i = 0; i < requests; i++) {
      for (let k = 0; k < sides.length; k++) await sides[(i + k) % sides.length]!();
    }
    const libraryMedianMs = median(lib);
    const rawMedianMs = median(raw);
    log(`overhead: library ${libraryMedianMs.toFixed(3)} ms, raw ${rawMedianMs.toFixed(3)} ms, floor ${median(floor).toFixed(3)} ms (medians of ${requests})`);
    return {
      requests,
      libraryMedianMs: round(libraryMedianMs, 4),
      rawMedianMs: round(rawMedianMs, 4),
      ratio: round(libraryMedianMs / rawMedianMs, 4),
      overheadMsPerRequest: round(libraryMedianMs - rawMedianMs, 4),
      rawAbortableMedianMs: round(median(rawAbortable), 4),
      ratioVsAbortable: round(libraryMedianMs / median(rawAbortable), 4),
      floorMedianMs: round(median(floor), 4),
      floorRatio: round(median(floor) / rawMedianMs, 4),
      ratioVsFloor: round(libraryMedianMs / median(floor), 4),
      libraryP90Ms: round(percentile(lib, 90), 4),
      rawP90Ms: round(percentile(raw, 90), 4),
      warmup,
    };
  } finally {
    await sandbox.close();
  }
});
