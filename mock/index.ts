export {
  startMockServer,
  type FaultKind,
  type FaultRule,
  type MockOptions,
  type MockServer,
  type Plan,
} from './server.js';
export { RequestLog, type LogEntry } from './log.js';
export { MockStore } from './store.js';
