import type { Shape } from '../generator/config-shape.js';

/** The faults `alma-codegen mock` can inject (see `FaultRule`). */
export const FAULT_KINDS = [
  'error-500',
  'gateway-503',
  'reset-before',
  'reset-after',
  'slow',
  'truncated',
  'xml-as-json',
  'concurrent-edit',
  'drop-field',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** What an API key of the mock may do. */
export type Plan = 'read-write' | 'read-only' | 'guest';

export interface FaultRule {
  kind: FaultKind;
  /** Chance per request, 0 to 1. */
  probability: number;
  /** Only requests to this operation: its export name (`getUser`) or `"METHOD /path"` as in the spec. All when absent. */
  route?: string;
  /** For `slow`: how long to wait before answering. Default 2 000 ms. */
  delayMs?: number;
  /** At most this many times (then the rule is spent). Default: no limit. */
  times?: number;
  /** For `drop-field`: the MARC tag Alma silently drops from a saved record. Default `500`. */
  tag?: string;
}

/** Where and how the mock sends webhooks (see `MockSettings.webhooks`). */
export interface WebhookSettings {
  url: string;
  secret: string;
  format?: 'json' | 'xml';
  timeoutMs?: number;
  retries?: number;
  retryDelayMs?: number;
}

/** An API key the mock accepts, and what Alma would let it do. */
export interface MockKey {
  key: string;
  /** `read-write` (default), `read-only`, `guest` (the guest sandbox: GET only). */
  plan?: Plan;
  /** The institution whose thresholds it counts against (its code). Default `default`. */
  institution?: string;
  /** The API areas it is issued for (`users`, `bibs`, …). Default: every area. */
  areas?: string[];
  /** The environment it reaches (`/conf/general` says so). Default `sandbox`. */
  environment?: 'sandbox' | 'production';
  /** `institution` (default): the member institution's data; `network`: its Network Zone's. */
  zone?: 'institution' | 'network';
}

/** Settings of `alma-codegen mock`: the `mock:` section of the configuration, and the mock's options. */
export interface MockSettings {
  /** 0 picks a free port. */
  port?: number;
  /** API keys the mock accepts. Default: one read-write key, `mock-key` (every area, sandbox, the institution zone). */
  keys?: MockKey[];
  /** Seed of the data and of the faults. Default 1. */
  seed?: number;
  /** How many users (and bibs, with holdings and items) to seed. Default 20. */
  size?: number;
  /** Calls per second per institution. Default 25. */
  perSecondLimit?: number;
  /** Calls per day per institution. Default 100 000. */
  dailyBudget?: number;
  faults?: FaultRule[];
  /**
   * Job runs: how many reads of an instance until it ends (default 3), or how long it runs (`durationMs`: it ends
   * by time, reads or not, as with a webhook listener), the final status per job id (default COMPLETED_SUCCESS), and
   * Alma's limits on jobs started through the API: at most `running` at once (3; else 402222) and the same job
   * `perJobPerWindow` times a `windowMs` (5 an hour; else 402223).
   */
  jobs?: {
    polls?: number;
    durationMs?: number;
    outcomes?: Record<string, string>;
    limits?: { running?: number; perJobPerWindow?: number; windowMs?: number };
  };
  /**
   * A webhook listener to send events to, as an integration profile would: JOB_END when a job ends, LOAN, REQUEST,
   * BIB, ITEM, USER for writes made through the mock; signed with `secret`, in `format` (default json), sent again
   * (same id) after a non-2xx or no answer within `timeoutMs` (default 5 000, Alma's), up to `retries` times (3).
   */
  webhooks?: WebhookSettings;
  /** Analytics reports: rows per report (default 60) and "still loading" answers before the first rows (default 1). */
  analytics?: { rows?: number; loadingPolls?: number };
}

/** The `mock:` section of the configuration as the validator checks it. */
export const MOCK_SHAPE: Shape = {
  kind: 'object',
  fields: {
    port: { shape: { kind: 'number', min: 0, max: 65535 } },
    seed: { shape: { kind: 'number' } },
    size: { shape: { kind: 'number', min: 0, max: 100_000 } },
    perSecondLimit: { shape: { kind: 'number', min: 1 } },
    dailyBudget: { shape: { kind: 'number', min: 0 } },
    jobs: {
      shape: {
        kind: 'object',
        fields: {
          polls: { shape: { kind: 'number', min: 1 } },
          durationMs: { shape: { kind: 'number', min: 0 } },
          limits: {
            shape: {
              kind: 'object',
              fields: {
                running: { shape: { kind: 'number', min: 1 } },
                perJobPerWindow: { shape: { kind: 'number', min: 1 } },
                windowMs: { shape: { kind: 'number', min: 1 } },
              },
            },
          },
          outcomes: {
            shape: {
              kind: 'map',
              values: {
                kind: 'string',
                pattern: /^[A-Z_]+$/,
                patternHint: 'a job status such as COMPLETED_SUCCESS or COMPLETED_FAILED',
              },
            },
          },
        },
      },
    },
    webhooks: {
      shape: {
        kind: 'object',
        fields: {
          url: { shape: { kind: 'string' }, required: true },
          secret: { shape: { kind: 'string' }, required: true },
          format: { shape: { kind: 'string', pattern: /^(json|xml)$/, patternHint: 'json or xml' } },
          timeoutMs: { shape: { kind: 'number', min: 1 } },
          retries: { shape: { kind: 'number', min: 0 } },
          retryDelayMs: { shape: { kind: 'number', min: 0 } },
        },
      },
    },
    analytics: {
      shape: {
        kind: 'object',
        fields: {
          rows: { shape: { kind: 'number', min: 0 } },
          loadingPolls: { shape: { kind: 'number', min: 0 } },
        },
      },
    },
    keys: {
      shape: {
        kind: 'list',
        items: {
          kind: 'object',
          fields: {
            key: { shape: { kind: 'string' }, required: true },
            plan: {
              shape: {
                kind: 'string',
                pattern: /^(read-write|read-only|guest)$/,
                patternHint: 'read-write, read-only or guest',
              },
            },
            institution: { shape: { kind: 'string' } },
            areas: {
              shape: { kind: 'list', items: { kind: 'string', pattern: /^[a-z-]+$/, patternHint: 'an area name' } },
            },
            environment: {
              shape: { kind: 'string', pattern: /^(sandbox|production)$/, patternHint: 'sandbox or production' },
            },
            zone: {
              shape: { kind: 'string', pattern: /^(institution|network)$/, patternHint: 'institution or network' },
            },
          },
        },
      },
    },
    faults: {
      shape: {
        kind: 'list',
        items: {
          kind: 'object',
          fields: {
            kind: {
              shape: {
                kind: 'string',
                pattern: new RegExp(`^(${FAULT_KINDS.join('|')})$`),
                patternHint: `one of ${FAULT_KINDS.join(', ')}`,
              },
              required: true,
            },
            probability: { shape: { kind: 'number', min: 0, max: 1 }, required: true },
            route: { shape: { kind: 'string' } },
            delayMs: { shape: { kind: 'number', min: 0 } },
            times: { shape: { kind: 'number', min: 1 } },
            tag: { shape: { kind: 'string', pattern: /^[0-9A-Z]{3,4}$/, patternHint: 'a MARC tag such as 500' } },
          },
        },
      },
    },
  },
};
