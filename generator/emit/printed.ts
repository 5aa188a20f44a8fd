import { sha256 } from '../base/hash.js';
import { printStatements, type StatementStructures } from './ts-morph.js';

/**
 * A module's statements printed one by one, each taken from the last generation's printing where its structure is
 * the same (ts-morph's printing is most of a module's emit time, cold); the join is the one ts-morph prints a list of
 * statements with, so the bytes are those of printing them all at once.
 */
export class PrintedStatements {
  private readonly before: Record<string, string>;
  private readonly now: Record<string, string> = {};

  constructor(
    cached: string | undefined,
    private readonly codeHash: string,
  ) {
    this.before = cached === undefined ? {} : (JSON.parse(cached) as Record<string, string>);
  }

  print(statements: (StatementStructures | string)[]): string {
    if (statements.length === 0) return '';
    const keys = statements.map((statement) => sha256(`${this.codeHash}\u0000${JSON.stringify(statement)}`));
    if (!keys.some((key) => key in this.before)) return this.printAll(statements, keys);
    const texts = statements.map((statement, i) => {
      const text = this.before[keys[i]!] ?? printStatements([statement]).replace(/\n+$/, '');
      this.now[keys[i]!] = text;
      return text;
    });
    return `${texts.join('\n\n')}\n`;
  }

  /**
   * Nothing printed before: all at once (one call is faster than one a statement, cold), kept by statement where
   * the printing splits into exactly one text a statement.
   */
  private printAll(statements: (StatementStructures | string)[], keys: string[]): string {
    const printed = printStatements(statements);
    const texts = printed.replace(/\n+$/, '').split('\n\n');
    const aligned =
      texts.length === keys.length &&
      statements.every((statement, i) =>
        typeof statement === 'string'
          ? texts[i] === statement.replace(/\n+$/, '')
          : !('name' in statement) || texts[i]!.includes(` ${statement.name}`),
      );
    if (aligned) for (const [i, key] of keys.entries()) this.now[key] = texts[i]!;
    return printed;
  }

  /** This generation's printing, for the next one. */
  toJson(): string {
    return JSON.stringify(this.now);
  }
}
