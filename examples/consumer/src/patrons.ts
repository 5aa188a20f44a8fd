// What a library's own tooling looks like on top of the generated client: a patron summary, a walk over every
// patron, and a safe update of one field.
import {
  getUser,
  getUserOperation,
  isAlmaError,
  listUserFees,
  listUsers,
  paginate,
  updateUser,
  type AlmaClient,
  type User,
} from 'alma-client';

export interface PatronSummary {
  id: string;
  name: string;
  group: string | undefined;
  /** `YYYY-MM-DD`, or `undefined` when the record has no expiry date. */
  expires: string | undefined;
  fees: number;
  owed: number;
  /** The campus's description, else its code. */
  campus: string;
}

/** One patron at a glance; `undefined` when Alma has no such user. */
export async function patronSummary(alma: AlmaClient, userId: string): Promise<PatronSummary | undefined> {
  try {
    const [user, fees] = await Promise.all([getUser(alma, { userId }), listUserFees(alma, { userId })]);
    return {
      id: user.primary_id ?? userId,
      name: user.full_name ?? [user.first_name, user.last_name].filter(Boolean).join(' '),
      // A field without a value is `null` in Alma's JSON and absent in its XML: `??` handles both.
      group: user.user_group?.value ?? undefined,
      expires: user.expiry_date?.slice(0, 10) ?? undefined,
      fees: fees.total_record_count ?? fees.fee?.length ?? 0,
      owed: fees.total_sum ?? 0,
      campus: user.campus_code?.desc ?? user.campus_code?.value ?? 'no campus',
    };
  } catch (err) {
    // The codes getUser documents as "not found" are typed: a typo here would not compile.
    if (isAlmaError(err, getUserOperation) && (err.code === '401861' || err.code === '401890')) return undefined;
    throw err;
  }
}

/** The primary ids of every patron, page by page. */
export async function allPatronIds(alma: AlmaClient, pageSize = 7): Promise<string[]> {
  const ids: string[] = [];
  for await (const user of paginate(listUsers, alma, {}, { pageSize })) ids.push(user.primary_id ?? '?');
  return ids;
}

/** Sets a patron's job description; Alma's PUT replaces the whole record, so every other field goes back too. */
export async function setJobDescription(
  alma: AlmaClient,
  userId: string,
  description: string,
): Promise<User | undefined> {
  const { updated } = await updateUser(alma, { userId }, (user) => {
    user.job_description = description;
  });
  return updated;
}
