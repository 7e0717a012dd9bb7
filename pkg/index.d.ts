/**
 * zilliz-cloud-backup: create Zilliz Cloud backups and follow the backup job to its end.
 * Runs in browsers, Node (>= 18), Deno, Bun and Cloudflare Workers (workerd).
 */

/**
 * Never required. The browser and workerd entries instantiate the wasm at import, the Node, Bun and
 * Deno entries when their first client is made; this does it now, and rejects if the `.wasm` cannot
 * be read.
 * Idempotent.
 */
export function init(): Promise<void>;

export interface BackupClientOptions {
  /** The Zilliz Cloud API key, sent only as `Authorization: Bearer <token>`. Keep it server-side. */
  token: string;
  /** Default `"https://api.cloud.zilliz.com"`. Must be https (plain http only for loopback hosts). */
  baseUrl?: string;
  /** Per HTTP request, in ms. Default 30000, at most 600000. */
  timeoutMs?: number;
  /** Retries of retryable failures (reads: 429, 5xx, network; creates: 429 only). Default 3, 0–10. */
  maxRetries?: number;
  /** Extra headers sent with every request (not `Authorization`): an object, a `Headers`, or any iterable of [name, value] pairs (a `Map`). */
  headers?: Record<string, string> | Headers | Iterable<readonly [string, string]>;
  /**
   * A fetch implementation to use (a proxy, a service binding); it is given a `Request`. Without
   * it: the global fetch, except in Node while the global fetch is Node's own: requests then go
   * through node:http(s) and their global agents (a replaced global fetch, such as a test's
   * stub, is used as is). The request's `signal` carries the timeout and the caller's abort;
   * a fetch that ignores it cannot hold a call past them (its late answer is dropped).
   */
  fetch?: (request: Request) => Promise<Response>;
  /**
   * Requests per second per endpoint, shared by every call and wait on this client (Zilliz Cloud
   * allows 20 per API key and endpoint). Polls of jobs expected to end soonest go first.
   * Default 20; 0 turns the limiter off. Use one client per API key.
   */
  requestsPerSecond?: number;
}

export interface DbCollections {
  /** Default `"default"`. All collections of one request must belong to one database. */
  dbName?: string;
  collectionNames: string[];
}

export type CreateBackupRequest =
  | { backupType: "CLUSTER"; crossRegionCopies?: { regionId: string }[] }
  | { backupType: "COLLECTION"; dbCollections: DbCollections[]; crossRegionCopies?: { regionId: string }[] };

export interface CreatedBackup {
  backupId: string;
  backupName: string | null;
  /** `null` only when the backup was found by reconciling after an ambiguous failure. */
  jobId: string | null;
  /** True when a failed-looking create turned out to have made this backup. */
  reconciled: boolean;
}

export interface CreateOptions extends CallOptions {
  /** `"fail"` (default): a busy cluster is an error naming the running backup. `"wait"`: wait for it, then create. */
  whenBusy?: "fail" | "wait";
  /** After a 5xx/network error/timeout, look for the backup the request may have made (default true). */
  reconcile?: boolean;
}

export type JobStatus = "PENDING" | "IN_PROGRESS" | "SUCCESSFUL" | "FAILED" | "CANCELING" | (string & {});

export interface Job {
  jobId: string;
  /** BACKUP, RESTORE, … (kept verbatim; new values may appear). */
  type: string | null;
  status: JobStatus;
  /** 0–100 (the API sends a string; this is a number). */
  progress: number;
  startTime: string | null;
  endTime: string | null;
  /** Failure text; `""` or `null` on success. */
  reason: string | null;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface WaitOptions {
  /** The whole wait's deadline in ms. Default 3600000 (1 h), at most 7 days. */
  timeoutMs?: number;
  /** First pause between polls; doubles per poll, or follows the ETA (±20 % jitter). Default 1000, at least 10. */
  minIntervalMs?: number;
  /** Longest pause between polls. Default 60000 (or minIntervalMs if larger). */
  maxIntervalMs?: number;
  /** Aborting rejects at once with an `AbortError` (the job goes on on the server). */
  signal?: AbortSignal;
  /** Called with each new state (status or progress changed). What it throws is ignored. */
  onProgress?: (job: Job, info: ProgressInfo) => void;
}

export interface ProgressInfo {
  /** Estimated ms to the end from the progress rate; null until the progress has moved twice. */
  etaMs: number | null;
  elapsedMs: number;
  polls: number;
}

export interface BackupWaitOptions extends Omit<WaitOptions, "onProgress"> {
  onProgress?: (backup: Backup, info: ProgressInfo) => void;
}

/** Plain JSON: store it (KV, Durable Object) and pass it back to continue the wait. */
export interface WaitResumeState {
  jobId: string;
  wait: WaiterState;
}

export interface WaiterState {
  startedAt: number;
  deadline: number;
  nextPollAt: number;
  minIntervalMs: number;
  maxIntervalMs: number;
  polls: number;
  unchangedPolls: number;
  history: [number, number][];
  last: Job | null;
}

export interface WaitStepOptions extends WaitOptions {
  /** How long this call may poll (e.g. what is left of a worker invocation). */
  budgetMs: number;
}

export type WaitStep = { done: true; job: Job } | { done: false; state: WaitResumeState };

export type BackupStatus = "CREATING" | "AVAILABLE" | "DELETED" | (string & {});

export interface BackupCollection {
  /** null when the server used the older, ungrouped shape. */
  dbName: string | null;
  collectionName: string;
  description: string | null;
  status: "LOADED" | "UNLOADED" | (string & {}) | null;
}

export interface Backup {
  backupId: string;
  backupName: string | null;
  backupType: "CLUSTER" | "COLLECTION" | (string & {}) | null;
  creationMethod: "MANUAL" | "AUTO" | (string & {}) | null;
  status: BackupStatus;
  /** Bytes. */
  size: number | null;
  createTime: string | null;
  expireTime: string | null;
  clusterId: string | null;
  clusterName: string | null;
  projectId: string | null;
  regionId: string | null;
  /** describeBackup only; both documented shapes are flattened into this one. */
  collections: BackupCollection[] | null;
}

export interface ListBackupsQuery {
  projectId?: string;
  clusterId?: string;
  creationMethod?: "MANUAL" | "AUTO";
  backupType?: "CLUSTER" | "COLLECTION";
  /** ISO-8601 UTC, e.g. "2024-07-30T16:49:50Z". */
  startTime?: string;
  endTime?: string;
  /** 1–100. */
  pageSize?: number;
  /** 1-based. */
  currentPage?: number;
}

export interface BackupPage {
  count: number;
  currentPage: number;
  pageSize: number;
  backups: Backup[];
  /** The page to ask for next; null after the last one. */
  nextPage: number | null;
}

export interface RestoreClusterOptions {
  targetProjectId: string;
  clusterName: string;
  cuSize: number;
  /** Default "KEEP". */
  collectionStatus?: "KEEP" | "RELEASE";
  restoreVersionPolicy?: "ORIGINAL" | "LATEST";
}

/** The password is shown only once: store it now. */
export interface RestoredCluster {
  clusterId: string;
  username: string | null;
  password: string | null;
  jobId: string | null;
}

export interface RestoreCollectionOptions {
  destClusterId: string;
  /** Exactly one collection per request. */
  dbCollections: {
    dbName?: string;
    destDbName?: string;
    collections: { collectionName: string; destCollectionName?: string; destCollectionStatus?: "LOADED" | "UNLOADED" }[];
  }[];
}

export interface ExportOptions {
  integrationId: string;
  directory?: string;
}

export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7 | "MON" | "TUE" | "WED" | "THU" | "FRI" | "SAT" | "SUN" | (string & {});

export type BackupPolicyInput =
  | { enabled: false }
  | {
      enabled: true;
      /** Weekdays (1 = Monday), names, "daily", "weekdays", "weekends" or "1,3,5". */
      frequency?: Weekday[] | string;
      /** A two-hour UTC window "HH:00-HH:00", or its start "HH:00". */
      startTime?: string;
      /** 1–30. */
      retentionDays?: number;
      crossRegionCopies?: { regionId: string; retentionDays?: number }[];
    };

export interface BackupPolicy {
  clusterId: string;
  status: "ENABLED" | "DISABLED" | (string & {});
  /** Weekdays, 1 = Monday … 7 = Sunday. */
  frequency: number[];
  startTime: string | null;
  retentionDays: number | null;
  crossRegionCopies: { regionId: string; retentionDays?: number }[] | null;
}

export type ZillizErrorKind =
  | "InvalidInput" | "Unauthorized" | "Forbidden" | "NotFound" | "RateLimited" | "Server"
  | "Network" | "Protocol" | "Api" | "Timeout" | "Aborted" | "JobFailed";

/** Every rejection. `name` is `"ZillizError"`, or `"AbortError"` when `kind` is `"Aborted"`. */
export interface ZillizError extends Error {
  name: "ZillizError" | "AbortError";
  kind: ZillizErrorKind;
  /** Whether the same call may succeed if made again later. */
  retryable: boolean;
  /** The API's body `code`, when it sent one. */
  code?: number;
  httpStatus?: number;
  /** The `RequestId` response header, when sent. */
  requestId?: string;
  /** The job a wait (or create-and-wait) was following: never lost on failure. */
  jobId?: string;
  /** The backup a create-and-wait created, when the failure came after the create. */
  backupId?: string;
  /** The job as last seen (always for `JobFailed`). */
  job?: Job | null;
  /** How long a 429 asked to wait, when longer than the client waits by itself. */
  retryAfterMs?: number;
  /** The backup already running on a busy cluster (one manual backup job per cluster). */
  runningBackupId?: string;
  /** The server's own `message`, word for word (at most 1000 characters): for showing to people. */
  serverMessage?: string;
}

export class BackupClient {
  /** @throws ZillizError (`InvalidInput`) on bad options. */
  constructor(options: BackupClientOptions);
  /** Starts a backup: never blindly re-sent; after an ambiguous failure, reconciled (see README). */
  createBackup(clusterId: string, request: CreateBackupRequest, options?: CreateOptions): Promise<CreatedBackup>;
  describeJob(jobId: string, options?: CallOptions): Promise<Job>;
  /** Resolves with the job once SUCCESSFUL; rejects `JobFailed`, `Timeout`, `Aborted`, … with `jobId`. */
  waitForJob(jobId: string, options?: WaitOptions): Promise<Job>;
  /** Polls within `budgetMs`; returns the job when done, else a state to pass back later. */
  waitForJobStep(jobIdOrState: string | WaitResumeState, options: WaitStepOptions): Promise<WaitStep>;
  /** `job` is null (and `backup` set) only when the create was reconciled without a job id. */
  createBackupAndWait(clusterId: string, request: CreateBackupRequest, options?: WaitOptions & Omit<CreateOptions, "signal">):
    Promise<CreatedBackup & { job: Job | null; backup: Backup | null }>;
  listBackups(query?: ListBackupsQuery, options?: CallOptions): Promise<BackupPage>;
  /** Every page, lazily: `for await (const b of client.listAllBackups({ clusterId }))`. */
  listAllBackups(query?: ListBackupsQuery, options?: CallOptions): AsyncGenerator<Backup, void, undefined>;
  describeBackup(clusterId: string, backupId: string, options?: CallOptions): Promise<Backup>;
  deleteBackup(clusterId: string, backupId: string, options?: CallOptions): Promise<{ backupId: string; backupName: string | null }>;
  /** CREATING → AVAILABLE; rejects `JobFailed` if the backup is deleted first. */
  waitForBackup(clusterId: string, backupId: string, options?: BackupWaitOptions): Promise<Backup>;
  restoreCluster(clusterId: string, backupId: string, restore: RestoreClusterOptions, options?: CallOptions): Promise<RestoredCluster>;
  restoreClusterAndWait(clusterId: string, backupId: string, restore: RestoreClusterOptions, options?: WaitOptions):
    Promise<RestoredCluster & { job: Job | null }>;
  restoreCollection(clusterId: string, backupId: string, restore: RestoreCollectionOptions, options?: CallOptions): Promise<{ jobId: string }>;
  restoreCollectionAndWait(clusterId: string, backupId: string, restore: RestoreCollectionOptions, options?: WaitOptions):
    Promise<{ jobId: string; job: Job }>;
  exportBackup(clusterId: string, backupId: string, exportTo: ExportOptions, options?: CallOptions): Promise<{ jobId: string }>;
  getBackupPolicy(clusterId: string, options?: CallOptions): Promise<BackupPolicy>;
  /** Enabling also starts one backup at once. */
  setBackupPolicy(clusterId: string, policy: BackupPolicyInput, options?: CallOptions): Promise<{ clusterId: string; status: string }>;
  /** Frees the wasm memory of this client now (otherwise when garbage-collected). */
  free(): void;
}
