// Which property of a list page holds its items: the generated descriptor says (`listItems`, from the IR's list
// role), the client marks each decoded page with it, and `paginate` reads the mark.

const PAGE_ITEMS = Symbol.for('alma-codegen.page-items');

/** Marks a decoded page of a list operation with its items' key (not enumerable: JSON and equality ignore it). */
export function markPage<T>(page: T, listItems: string | undefined): T {
  if (listItems !== undefined && page !== null && typeof page === 'object')
    Object.defineProperty(page, PAGE_ITEMS, { value: listItems, enumerable: false });
  return page;
}

/**
 * The items of a page: under the key its list operation names, absent when Alma leaves an empty list out. A page
 * no generated function marked (a list function of your own) has its items in its one array property.
 */
export function itemsOfPage(page: object): unknown[] {
  const key = (page as { [PAGE_ITEMS]?: string })[PAGE_ITEMS];
  if (key !== undefined) {
    const items = (page as Record<string, unknown>)[key];
    return Array.isArray(items) ? items : [];
  }
  for (const value of Object.values(page)) if (Array.isArray(value)) return value;
  return [];
}
