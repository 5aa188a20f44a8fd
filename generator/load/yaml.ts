import { CORE_SCHEMA, load as loadYaml, YAMLException } from 'js-yaml';
import { GeneratorError } from '../errors.js';

/** YAML (its core schema: no custom tags); a syntax error is a `GeneratorError` at its line and column. */
export function parseYaml(text: string, file: string, say: { problem: string; fix: string }): unknown {
  try {
    return loadYaml(text, { filename: file, schema: CORE_SCHEMA });
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    const { mark } = error;
    const where = mark ? `line ${mark.line + 1}, column ${mark.column + 1}` : '';
    throw new GeneratorError(file, where, `${say.problem}: ${error.reason}`, say.fix);
  }
}
