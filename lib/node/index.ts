/**
 * mx-statements-rx/node — the Node-only parts: the disk sink for statement PDFs, native SHA-256 and a fetch on
 * `node:http`.
 *
 * @packageDocumentation
 */
export { writeStatements, type FileStatementSink } from './sink.js';
export type { WriteStatementsOptions } from './context.js';
export { nodeSha256 } from './hash.js';
export { nodeFetch } from './node-fetch.js';
export { sanitizeFileName, MAX_FILE_NAME_LENGTH } from './sanitize.js';
export { MANIFEST_FILE } from './layout.js';
export { MANIFEST_VERSION, readManifest, type Manifest, type ManifestEntry, type ManifestRead } from './manifest.js';
export { STATEMENTS_JOB_FILE } from './statements-job-record.js';
export * from './webhooks/index.js';
export * from './queue/index.js';
