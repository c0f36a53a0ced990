/**
 * Cancellation of a real workflow run (sandbox over loopback HTTP, disk sink) at chosen and random points:
 * before the first request, during status polling, in the middle of a PDF download, and at random moments.
 * After unsubscribing: no request in flight on the HTTP agent, the download's request aborted, no temp or
 * partial file in the output folder, and — once the sandbox is closed — no socket, timer or file handle more
 * than before the test.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { filter, take, type Subscription } from 'rxjs';
import { nodeSha256 } from '../../lib/node/hash.js';
import { MANIFEST_FILE } from '../../lib/node/layout.js';
import { readManifest } from '../../lib/node/manifest.js';
import { writeStatements } from '../../lib/node/sink.js';
import type { StatementEvent } from '../../lib/workflow/events.js';
import { fetchStatements$ } from '../../lib/workflow/fetch-statements.js';
import {
  baseline, expectNoNewResources, inFlightRequests, listFiles, partFiles, settle,
} from './helpers/resources.js';
import { within } from '../helpers/bounded.js';
import { sandboxClient, seededMember } from './helpers/sandbox.js';

const MB = 1024 * 1024;

/** Each PDF under `dir` has a manifest entry whose size and SHA-256 match the file's bytes. */
const expectRecordedAndWhole = async (dir: string, pdfs: ReadonlyArray<string>): Promise<void> => {
  for (const rel of pdfs) {
    const read = await readManifest(path.join(dir, path.dirname(rel), MANIFEST_FILE));
    expect(read.kind, `${rel}: manifest`).to.equal('ok');
    const entry = read.kind === 'ok' ? read.manifest.statements.find((s) => s.file === rel) : undefined;
    expect(entry, `${rel}: not in the manifest`).to.not.equal(undefined);
    const bytes = await readFile(path.join(dir, rel));
    expect(bytes.length, `${rel}: size`).to.equal(entry!.bytes);
    expect(createHash('sha256').update(bytes).digest('hex'), `${rel}: sha256`).to.equal(entry!.sha256);
  }
};

/** Where to cut: a predicate on the events (cut at the first match), or a delay in ms after subscribing. */
type Cut = { readonly at: (e: StatementEvent) => boolean } | { readonly afterMs: number } | { readonly sync: true };

/**
 * Starts a sandbox and a run, cuts it as told, and checks that nothing is left. Returns what the run did
 * before the cut (its events and the requests sent).
 */
const cutAndCheck = async (cut: Cut) => {
  const before = await baseline();
  const dir = await mkdtemp(path.join(tmpdir(), 'mx-cancel-'));
  const { sandbox, client, seen } = await sandboxClient({
    seedUsers: 1, aggregationMs: 150, statementsPerMember: 3, largePdfBytes: 3 * MB, seed: 'cancel',
  });
  const events: StatementEvent[] = [];
  try {
    const member = await seededMember(client, 1);
    const requestsBefore = seen.length;
    const sink = writeStatements(dir);
    const run$ = fetchStatements$(client, { member, download: { sink, progress: true }, hasher: nodeSha256 });
    let sub: Subscription | undefined;
    let cutTimer: NodeJS.Timeout | undefined;
    let finished = false;
    try {
      await within(new Promise<void>((resolve) => {
        sub = run$.subscribe({
          next: (r) => {
            if (E.isRight(r)) events.push(r.right);
            if ('at' in cut && E.isRight(r) && cut.at(r.right)) {
              sub?.unsubscribe();
              resolve();
            }
          },
          complete: () => {
            finished = true;
            resolve();
          },
        });
        if ('sync' in cut) {
          sub.unsubscribe();
          resolve();
        }
        // a cut at a real moment of a real run over loopback HTTP (the sandbox has no clock to inject)
        if ('afterMs' in cut) {
          cutTimer = setTimeout(() => {
            sub?.unsubscribe();
            resolve();
          }, cut.afterMs);
        }
      }), 20_000, 'the run to reach its cut');
    } finally {
      clearTimeout(cutTimer);
      sub?.unsubscribe();
    }
    await within(sink.idle(), 10_000, 'the sink to finish its clean-up');
    await settle();
    expect(inFlightRequests(), 'requests still in flight after unsubscribe').to.equal(0);
    const files = await listFiles(dir);
    expect(partFiles(files), 'temp files left').to.deep.equal([]);
    // Whatever is on disk is complete: only verified PDFs (and the manifest) were kept. Every reported download
    // is there; a save whose commit had begun when the run was cut may be there unreported, but only whole and
    // recorded in the manifest with its exact size and SHA-256.
    const pdfs = files.filter((f) => f.endsWith('.pdf'));
    const reported = events.filter((e) => e.type === 'statement-downloaded').map((e) => path.relative(dir, e.location));
    expect(pdfs).to.include.members(reported);
    await expectRecordedAndWhole(dir, pdfs);
    return { events, requests: seen.slice(requestsBefore), finished };
  } finally {
    await within(sandbox.close(), 10_000, 'the sandbox to close');
    await rm(dir, { recursive: true, force: true });
    await settle();
    await expectNoNewResources(before);
  }
};

describe('reliability: cancellation', function () {
  this.timeout(30_000);

  it('before anything: unsubscribing at once aborts the first request before it is answered and leaves nothing', async () => {
    const { requests, events } = await cutAndCheck({ sync: true });
    expect(requests.length).to.be.at.most(1);
    expect(requests.every((r) => r.init.signal.aborted), 'the request started on subscribe was aborted').to.equal(true);
    expect(events).to.have.length(0);
  });

  it('during status polling: leaves no timer, socket or file', async () => {
    const { events, requests } = await cutAndCheck({ at: (e) => e.type === 'status' && e.isBeingAggregated === true });
    expect(events.some((e) => e.type === 'status')).to.equal(true);
    expect(requests.some((r) => r.url.endsWith('/status'))).to.equal(true);
  });

  it('in the middle of a PDF download: aborts the request and removes the temp file', async () => {
    const { events, requests } = await cutAndCheck({ at: (e) => e.type === 'statement-progress' && e.received > 64 * 1024 });
    expect(events.some((e) => e.type === 'statement-progress')).to.equal(true);
    const pdfs = requests.filter((r) => r.url.endsWith('.pdf'));
    expect(pdfs.length).to.be.greaterThan(0);
    expect(pdfs.every((r) => r.init.signal.aborted), 'every PDF request in flight was aborted').to.equal(true);
  });

  it('at random moments of the run (seeded): always leaves nothing behind', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 700 }), async (ms) => {
        await cutAndCheck({ afterMs: ms });
      }),
      { numRuns: 6, seed: 0xca7ce1 },
    );
  });
});
