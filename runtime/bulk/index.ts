// Bulk runs (the package's `./bulk` entry): a journal, resume, the daily limit, several machines. Node only; BullMQ,
// ioredis and csv-parse are optional peers, loaded when a run uses them.
export { runBulk, type BulkOptions } from './run.js';
export { type BulkReport, EXIT_CODES } from './report.js';
export type { BulkContext, Reconciled } from './item.js';
export type { JournalEntry, JournalState, SyncMode } from './journal.js';
export type { BulkCounts, BulkEvent, ProgressMode } from './progress.js';
export type { DistributedOptions } from './distributed.js';
export { csvRows, jsonLines } from './input.js';
export { FAILURE_COLUMNS } from './report.js';
export { BulkSetupError } from './platform.js';
