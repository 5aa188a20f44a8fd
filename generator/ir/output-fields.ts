import type { IrType, NamedSchema } from './model.js';

/**
 * Fields Alma computes and ignores on input: those the schemas call "Output parameter" (a user's `full_name`, a
 * record's `created_date`). On a PUT Alma keeps its own values for them and recomputes the ones it derives.
 */
export function outputFields(schema: NamedSchema | undefined): string[] {
  const type: IrType | undefined = schema?.type;
  if (type?.kind !== 'object') return [];
  return type.properties.filter((p) => /\boutput parameter\b/i.test(p.description)).map((p) => p.name);
}

/**
 * List entries Alma writes brief unless asked for more: `GET /users` gives each user's names, group and status only,
 * unless `expand=full` (users.json: "To have all the user fields in the output use expand=full"; default `none`).
 */
export const BRIEF_ENTRIES: Readonly<
  Record<string, { fields: readonly string[]; full: { param: string; value: string } }>
> = {
  user: {
    fields: [
      'primary_id',
      'first_name',
      'middle_name',
      'last_name',
      'full_name',
      'user_group',
      'status',
      'record_type',
      'account_type',
      'expiry_date',
      'link',
    ],
    full: { param: 'expand', value: 'full' },
  },
};
