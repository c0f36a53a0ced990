/** The shape of `bench/results.json`: one entry per phase (documented key by key in bench/README.md). */

/** `overhead`: the library against raw cross-fetch on the same GET. */
export interface OverheadResult {
  readonly requests: number;
  readonly libraryMedianMs: number;
  readonly rawMedianMs: number;
  readonly ratio: number;
  readonly overheadMsPerRequest: number;
  readonly rawAbortableMedianMs: number;
  readonly ratioVsAbortable: number;
  readonly floorMedianMs: number;
  readonly floorRatio: number;
  readonly ratioVsFloor: number;
  readonly libraryP90Ms: number;
  readonly rawP90Ms: number;
  readonly warmup: number;
}

/** One row of `polling`. */
export interface PollingRow {
  readonly jobSeconds: number;
  readonly policy: 'default' | 'fixed-3s';
  readonly statusRequests: number;
  readonly detectionLagSeconds: number;
  readonly maxStatusRequests: number;
  readonly maxDetectionLagSeconds: number;
  readonly pollCapSeconds: number;
  readonly withinDefaultDeadline: boolean;
  readonly runs: number;
}

/** `batch`: a rate-limited sync of seeded members. */
export interface BatchResult {
  readonly members: number;
  readonly rateLimit: number;
  readonly concurrency: number | 'rate-bound';
  readonly requests: number;
  readonly wallSeconds: number;
  readonly lowerBoundSeconds: number;
  readonly ratio: number;
  readonly http429: number;
  readonly failures: number;
  readonly peakRssMb: number;
  readonly baselineRssMb: number;
  readonly statements: number;
  readonly memberRuns: number;
  readonly duplicateMembers: number;
  readonly requestsByKind: Readonly<Record<string, number>>;
}

/** `bigPdf`: large statements streamed to disk. */
export interface BigPdfResult {
  readonly files: number;
  readonly mbEach: number;
  readonly peakRssMb: number;
  readonly baselineRssMb: number;
  readonly sampledPeakRssMb: number;
  readonly rssAfterEachMb: ReadonlyArray<number>;
  readonly concurrency: number;
  readonly verified: number;
  readonly wallSeconds: number;
}

/** `longJobs`: issue 13's setup, 20-s statements jobs at 50 req/s, synced with the defaults. */
export interface LongJobsResult {
  readonly members: number;
  readonly rateLimit: number;
  readonly jobSeconds: number;
  readonly statementsPerMember: number;
  readonly synced: number;
  readonly failures: number;
  readonly passes: number;
  readonly requests: number;
  readonly requestsPerMember: number;
  readonly statusPollsPerMember: number;
  readonly wallSeconds: number;
  readonly boundSeconds: number;
  readonly ratio: number;
  readonly requestBoundSeconds: number;
  readonly ratioVsRequestsMade: number;
  readonly http429: number;
  readonly downloaded: number;
  readonly requestsByKind: Readonly<Record<string, number>>;
}

/** `rerun`: the same members again at once, with `maxAge`. */
export interface RerunResult {
  readonly members: number;
  readonly fresh: number;
  readonly synced: number;
  readonly requests: number;
  readonly requestsPerMember: number;
  readonly requestsPerMemberBeyondListing: number;
  readonly requestsPerMemberBeyondUsers: number;
  readonly downloaded: number;
  readonly wallSeconds: number;
  readonly requestsByKind: Readonly<Record<string, number>>;
}

/** `batchWebhooks`: the long-job sync with the sandbox's webhooks waking the polls. */
export interface WebhooksResult {
  readonly members: number;
  readonly rateLimit: number;
  readonly jobSeconds: number;
  readonly synced: number;
  readonly failures: number;
  readonly wakeupsWired: boolean;
  readonly statusPollsPerMember: number;
  readonly requestsPerMember: number;
  readonly webhooksReceived: number;
  readonly webhookDuplicates: number;
  readonly webhooksRejected: number;
  readonly wallSeconds: number;
  readonly boundSeconds: number;
  readonly ratio: number;
  readonly requestBoundSeconds: number;
  readonly ratioVsRequestsMade: number;
  readonly http429: number;
}

/** `fleet`: BullMQ workers in separate processes sharing one rate, one killed with SIGKILL mid-run. */
export interface FleetResult {
  readonly members: number;
  readonly workers: number;
  readonly rateLimit: number;
  readonly jobSeconds: number;
  readonly statementsPerMember: number;
  readonly killedAtDone: number;
  readonly total: number;
  readonly synced: number;
  readonly failed: number;
  readonly duplicates: number;
  readonly syncedExactlyOnce: number;
  readonly requests: number;
  readonly requestsPerMember: number;
  readonly wallSeconds: number;
  readonly lowerBoundSeconds: number;
  readonly ratio: number;
  readonly http429: number;
  readonly http429AfterFirstSecond: number;
  readonly pdfRequests: number;
  readonly statements: number;
  readonly pdfsOnDisk: number;
  readonly attempts: number;
  readonly requestsByKind: Readonly<Record<string, number>>;
}

/** A phase that could not run: its error instead of figures. */
export interface PhaseFailure {
  readonly error: string;
}

/** One checked target. */
export interface TargetCheck {
  readonly key: string;
  readonly target: string;
  readonly actual: string;
  readonly met: boolean;
}

/** The whole file. */
export interface BenchResults {
  readonly meta: {
    readonly mode: 'quick' | 'full';
    readonly startedAt: string;
    readonly totalSeconds: number;
    readonly node: string;
    readonly platform: string;
    readonly cpus: number;
    readonly cpuModel: string;
    readonly loadAverage: ReadonlyArray<number>;
  };
  readonly overhead?: OverheadResult | PhaseFailure;
  readonly polling?: ReadonlyArray<PollingRow> | PhaseFailure;
  readonly batch?: BatchResult | PhaseFailure;
  readonly bigPdf?: BigPdfResult | PhaseFailure;
  readonly longJobs?: LongJobsResult | PhaseFailure;
  readonly rerun?: RerunResult | PhaseFailure;
  readonly batchWebhooks?: WebhooksResult | PhaseFailure;
  readonly fleet?: FleetResult | PhaseFailure;
  readonly targets: ReadonlyArray<TargetCheck>;
}

/** Whether a phase entry is a failure. */
export const isFailure = (v: unknown): v is PhaseFailure =>
  typeof v === 'object' && v !== null && typeof (v as { error?: unknown }).error === 'string';
