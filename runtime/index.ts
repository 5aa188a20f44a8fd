export { AlmaClient, createClient, REGIONS, type ClientOptions, type Region } from './client.js';
export { AlmaApiError, type AlmaErrorDetail } from './errors.js';
export type { AlmaDocument, JsonValue, NoParams, OperationSpec, CallOptions } from './operation.js';
