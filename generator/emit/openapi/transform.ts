import Module, { createRequire } from 'node:module';
import type * as OpenapiTypescript from 'openapi-typescript';
import { requireWithCompileCache } from '../../load/compile-cache.js';

const require = createRequire(import.meta.url);

/**
 * openapi-typescript's transform and the helpers its `openapiTS()` builds the context with, from its CommonJS build (its
 * ESM build imports the `typescript` package from ESM, and Node then scans all of that CommonJS file for its export
 * names and module syntax first, which doubles the load). Not `openapiTS()` itself: it lints and bundles the spec with
 * Redocly first, whose load is half of openapi-typescript's (0.5 s), for nothing here — the spec is bundled already
 * (`bundleSpec`) and the checks that matter (refs, OpenAPI version, unique operationIds) are the IR's.
 */
export function loadOpenapiTypescript(): OpenapiTransform {
  standInForRedoclyUtils();
  const transformSchema = requireWithCompileCache<OpenapiTransform['transformSchema']>(
    require,
    'openapi-typescript/dist/transform/index.cjs',
  );
  const { scanDiscriminators, resolveRef, getEntries } = require('openapi-typescript/dist/lib/utils.cjs') as Pick<
    typeof OpenapiTypescript,
    'scanDiscriminators' | 'resolveRef' | 'getEntries'
  >;
  return { transformSchema, scanDiscriminators, resolveRef, getEntries };
}
export type OpenapiTransform = Pick<
  typeof OpenapiTypescript,
  'transformSchema' | 'scanDiscriminators' | 'resolveRef' | 'getEntries'
>;

/**
 * Redocly's `lib/utils.js` as far as the transform reaches it: Redocly's `ref-utils.js`, which the transform uses,
 * takes two one-line functions from it, and the whole module loads minimatch, js-yaml, an HTTPS proxy agent and
 * pluralize (110 ms). Reading any other member fails at once, naming it (a later openapi-typescript may need more).
 */
function standInForRedoclyUtils(): void {
  const file = createRequire(require.resolve('openapi-typescript')).resolve('@redocly/openapi-core/lib/utils.js');
  if (require.cache[file]) return;
  const members: Record<string, unknown> = {
    isPlainObject: (value: unknown) => value !== null && typeof value === 'object' && !Array.isArray(value),
    isTruthy: (value: unknown) => Boolean(value),
  };
  const exports = new Proxy(members, {
    get(target, name) {
      if (typeof name === 'symbol' || name in target || name === '__esModule') return target[name as string];
      throw new Error(
        `openapi-typescript uses ${name} of @redocly/openapi-core/lib/utils.js: add it to standInForRedoclyUtils (generator/emit/openapi/transform.ts)`,
      );
    },
  });
  require.cache[file] = Object.assign(new Module(file), { filename: file, loaded: true, exports });
}

/** The context `openapiTS(spec, { alphabetize: true, silent: true })` transforms with (its defaults otherwise). */
export function transformContext(
  spec: OpenapiTypescript.OpenAPI3,
  openapi: OpenapiTransform,
): OpenapiTypescript.GlobalContext {
  return {
    additionalProperties: false,
    alphabetize: true,
    arrayLength: false,
    defaultNonNullable: true,
    discriminators: openapi.scanDiscriminators(spec, { alphabetize: true, silent: true }),
    emptyObjectsUnknown: false,
    enum: false,
    enumValues: false,
    conditionalEnums: false,
    dedupeEnums: false,
    excludeDeprecated: false,
    exportType: false,
    immutable: false,
    rootTypes: false,
    rootTypesNoSchemaPrefix: false,
    rootTypesKeepCasing: false,
    injectFooter: [],
    pathParamsAsTypes: false,
    postTransform: undefined,
    propertiesRequiredByDefault: false,
    // Read by `openapiTS()`'s own validation only, which is not run (see `loadOpenapiTypescript`).
    redoc: undefined as never,
    silent: true,
    inject: undefined,
    transform: undefined,
    transformProperty: undefined,
    makePathsEnum: false,
    generatePathParams: false,
    readWriteMarkers: false,
    resolve: ($ref) => openapi.resolveRef(spec, $ref, { silent: true }),
  };
}

/** The compiler openapi-typescript builds its syntax tree with (loaded by it already). */
export function loadTypescript(): typeof import('typescript') {
  return require('typescript') as typeof import('typescript');
}

export function openapiTypescriptVersion(): string {
  return (require('openapi-typescript/package.json') as { version: string }).version;
}
