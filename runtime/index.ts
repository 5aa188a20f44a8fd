export {
  AlmaClient,
  createClient,
  REGIONS,
  type AlmaTarget,
  type ApiKey,
  type ApiKeys,
  type ClientChanges,
  type ClientOptions,
  type ClientSettings,
  type KeyEntry,
  type Region,
  type RequestEvent,
  type ResponseEvent,
  type WireFormat,
} from './client.js';
export {
  AlmaAbortError,
  AlmaApiError,
  AlmaAuthError,
  AlmaConfigError,
  AlmaConflictError,
  AlmaEnvironmentError,
  AlmaDailyLimitError,
  AlmaDecodeError,
  AlmaError,
  AlmaNetworkError,
  AlmaNotFoundError,
  AlmaOutcomeUnknownError,
  AlmaRateLimitError,
  AlmaReadOnlyError,
  AlmaServerError,
  AlmaTimeoutError,
  AlmaVerifyError,
  isAlmaError,
  type AlmaErrorDetail,
  type ErrorCodeOf,
  type GatewayErrorCode,
} from './errors.js';
export type {
  AlmaDocument,
  CallOptions,
  CodeValue,
  HttpMethod,
  JsonValue,
  KnownValueList,
  KnownValues,
  NoParams,
  OperationSpec,
  ResponseMeta,
} from './operation.js';
export { withResponse, type WithResponse } from './with-response.js';
export {
  AlmaQueryError,
  renderSearch,
  type Search,
  type SearchAll,
  type SearchSpec,
  type SearchTerm,
} from './search.js';
export { byIds, type ByIdsOptions } from './helpers/by-ids.js';
export type { JsonObject } from './xml/codec.js';
export { CodeValueXml, type XmlProp, type XmlType } from './xml/schema.js';
export type { Budget, RetryOptions, SlotRule, SlotStore } from './governance/settings.js';
export { redisSlotStore, type RedisLike } from './governance/redis.js';
export { paginate, paginatePages, type ItemOf, type PaginateOptions } from './helpers/paginate.js';
export { safeUpdate, type FieldChange, type SafeUpdateOptions, type SafeUpdateResult } from './helpers/update.js';
export { jobLimits, type JobLimitOptions, type JobLimits } from './helpers/job-limits.js';
export {
  AlmaJobError,
  runJob,
  type JobInstanceLike,
  type JobRun,
  type JobRunAnswer,
  type RunJobOptions,
} from './helpers/jobs.js';
export {
  analyticsPages,
  analyticsRows,
  type AnalyticsOptions,
  type AnalyticsPage,
  type AnalyticsRow,
} from './helpers/analytics.js';
export {
  type Availability,
  availabilityOf,
  ControlField,
  DataField,
  type DigitalAvailability,
  diffRecords,
  type ElectronicAvailability,
  formatMarcDiff,
  type MarcChange,
  MarcError,
  type MarcField,
  MarcRecord,
  marcOf,
  type PhysicalAvailability,
  type Subfield,
  tagMatches,
  type WithMarc,
  withMarc,
} from './marc/index.js';
export { type MarcUpdateOptions, type MarcUpdateResult, updateMarc } from './helpers/marc.js';
export { findOne } from './helpers/network-zone.js';
export {
  type AccessReport,
  type AreaAccess,
  type AreaTests,
  formatAccessReport,
  probeAccess,
} from './helpers/probe.js';
