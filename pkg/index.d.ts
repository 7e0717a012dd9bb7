/**
 * zilliz-cloud-backup: create Zilliz Cloud backups and follow the backup job to its end.
 * Runs in browsers, Node (>= 18), Deno, Bun and Cloudflare Workers (workerd).
 */

/** Resolves at once: every entry instantiates the wasm at import. Idempotent; never required. */
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
  /** Extra headers sent with every request (not `Authorization`). */
  headers?: Record<string, string> | Headers;
  /** A fetch implementation to use instead of the global one (a proxy, a service binding). */
  fetch?: (request: Request) => Promise<Response>;
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
  backupName: string;
  jobId: string;
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
  /** First pause between polls; grows ×1.5 per poll (±20 % jitter). Default 1000, at least 10. */
  minIntervalMs?: number;
  /** Longest pause between polls. Default 10000 (or minIntervalMs if larger). */
  maxIntervalMs?: number;
  /** Aborting rejects at once with an `AbortError` (the job goes on on the server). */
  signal?: AbortSignal;
  /** Called with each new state (status or progress changed). What it throws is ignored. */
  onProgress?: (job: Job) => void;
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
}

export class BackupClient {
  /** @throws ZillizError (`InvalidInput`) on bad options. */
  constructor(options: BackupClientOptions);
  /** Starts a backup. Sent once; re-sent only after a 429. */
  createBackup(clusterId: string, request: CreateBackupRequest, options?: CallOptions): Promise<CreatedBackup>;
  describeJob(jobId: string, options?: CallOptions): Promise<Job>;
  /** Resolves with the job once SUCCESSFUL; rejects `JobFailed`, `Timeout`, `Aborted`, … with `jobId`. */
  waitForJob(jobId: string, options?: WaitOptions): Promise<Job>;
  createBackupAndWait(clusterId: string, request: CreateBackupRequest, options?: WaitOptions): Promise<CreatedBackup & { job: Job }>;
  /** Frees the wasm memory of this client now (otherwise when garbage-collected). */
  free(): void;
}
