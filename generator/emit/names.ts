import type { ApiModel } from '../ir/model.js';
import type { RuntimeExport } from '../ir/naming.js';
import type { Names } from './types.js';

/**
 * The names a module's code uses, recorded as the code is written: its imports come from here, not from reading the
 * text back. A schema the model lacks is an untyped document.
 */
export class ModuleNames implements Names {
  readonly runtimeTypes = new Set<RuntimeExport>();
  readonly runtimeValues = new Set<RuntimeExport>();

  constructor(private readonly model: ApiModel) {}

  schema = (id: string): string => this.model.schemas[id]?.tsName ?? this.type('AlmaDocument');

  type = (name: RuntimeExport): string => {
    this.runtimeTypes.add(name);
    return name;
  };

  value = (name: RuntimeExport): string => {
    this.runtimeValues.add(name);
    return name;
  };
}
