import { isAssignable } from './assignable.js';
import type { ApiModel, Operation, OperationRole } from './model.js';

/**
 * Each operation's Alma role (see `OperationRole`), found once here from the IR and read by the emitter, the mock and
 * the runtime's paging: nothing else matches paths or export names to decide what an operation is, so a naming
 * override changes names only.
 */
export function assignRoles(model: ApiModel): void {
  for (const area of model.areas) {
    for (const op of area.operations) op.role = roleOf(op, area.operations, model);
  }
}

// Alma's job and Analytics resources, by path shape (the specs name them so in every area that has them).
const JOB_RUN = /\/conf\/jobs\/\{[^}]+\}$/;
const JOB_INSTANCE = /\/conf\/jobs\/\{[^}]+\}\/instances\/\{[^}]+\}$/;
const ANALYTICS_REPORT = /\/analytics\/reports$/;

function roleOf(op: Omit<Operation, 'role'>, area: readonly Omit<Operation, 'role'>[], model: ApiModel): OperationRole {
  const endsWithParam = /\}\/?$/.test(op.path);
  if (op.response.type?.kind === 'file') return { kind: 'file' };
  switch (op.method) {
    case 'GET': {
      if (JOB_INSTANCE.test(op.path)) return { kind: 'job-instance' };
      if (ANALYTICS_REPORT.test(op.path)) return { kind: 'analytics-report' };
      if (endsWithParam) return { kind: 'get' };
      const response = op.response.type?.kind === 'ref' ? model.schemas[op.response.type.id] : undefined;
      return response?.listItem ? { kind: 'list', item: response.listItem } : { kind: 'singleton' };
    }
    case 'POST':
      if (JOB_RUN.test(op.path) && op.queryParams.some((p) => p.wireName === 'op')) return { kind: 'job-run' };
      return endsWithParam || op.queryParams.some((p) => p.wireName === 'op') ? { kind: 'action' } : { kind: 'create' };
    case 'PUT': {
      const kind = endsWithParam ? 'replace' : 'replaceAll';
      const get = readWith(op, area, model);
      return get ? { kind, readWith: get.operationId } : { kind };
    }
    case 'DELETE':
      return endsWithParam ? { kind: 'delete' } : { kind: 'deleteAll' };
  }
}

/** The GET on a PUT's path whose record can be PUT back as it is (the PUT takes a required body of a named type). */
function readWith(
  put: Omit<Operation, 'role'>,
  area: readonly Omit<Operation, 'role'>[],
  model: ApiModel,
): Omit<Operation, 'role'> | undefined {
  if (!put.requestBody?.required || put.requestBody.type.kind !== 'ref') return undefined;
  const get = area.find((op) => op.method === 'GET' && op.path === put.path);
  return get?.response.type?.kind === 'ref' && isAssignable(get.response.type, put.requestBody.type, model)
    ? get
    : undefined;
}

/** The operation of `area` with this role kind, if there is one. */
export function withRole(operations: readonly Operation[], kind: OperationRole['kind']): Operation | undefined {
  return operations.find((op) => op.role.kind === kind);
}
