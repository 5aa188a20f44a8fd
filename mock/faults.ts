import type { FaultRule } from './settings.js';
import type { Route } from './routes.js';
import { random } from './seed.js';

/** The faults the mock injects (`FaultRule`): which one, if any, befalls a call; seeded, so a run repeats. */
export class Faults {
  private readonly chance: () => number;

  constructor(
    private readonly rules: readonly FaultRule[],
    seed: number,
  ) {
    this.chance = random(seed ^ 0x5eed);
  }

  /** The first rule for the call's operation (by export name or `"METHOD /path"`, or any) whose dice fall. */
  pick(route: Route): FaultRule | undefined {
    for (const rule of this.rules) {
      const other =
        rule.route &&
        rule.route !== route.operation.exportName &&
        rule.route !== `${route.method} ${route.operation.path}`;
      const spent = rule.times !== undefined && (this.fired.get(rule) ?? 0) >= rule.times;
      if (!other && !spent && this.chance() < rule.probability) {
        this.fired.set(rule, (this.fired.get(rule) ?? 0) + 1);
        return rule;
      }
    }
    return undefined;
  }

  private readonly fired = new Map<FaultRule, number>();
}
