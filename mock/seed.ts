import { escapeXmlText } from '../runtime/xml/index.js';
import type { JsonObject } from '../runtime/xml/codec.js';
import type { MockStore } from './store.js';

/** A small, seedable PRNG (mulberry32): the same seed gives the same data and the same faults. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ['Jane', 'John', 'Amira', 'Kenji', 'Olga', 'Pedro', 'Grace', 'Tomasz', 'Ines', 'Liam'];
const LAST = ['Doe', 'Smith', 'Haddad', 'Tanaka', 'Ivanova', 'Garcia', 'Hopper', 'Nowak', 'Silva', 'Byrne'];
const TITLES = [
  'War and peace /',
  'Mythology /',
  'New York, New York : fifty years of art /',
  'The art of computer programming /',
  'Middlemarch /',
  'Things fall apart /',
  'Beloved /',
  'Cien años de soledad /',
];
const AUTHORS = [
  'Tolstoy, Leo,',
  'Harrison, Jane Ellen,',
  'Celant, Germano.',
  'Knuth, Donald E.',
  'Eliot, George,',
  'Achebe, Chinua,',
  'Morrison, Toni,',
  'García Márquez, Gabriel,',
];
const LIBRARIES = [
  { code: 'MAIN', name: 'Main Library' },
  { code: 'LAW', name: 'Law Library' },
  { code: 'SCI', name: 'Science Library' },
];

const coded = (value: string, desc: string) => ({ value, desc });
const pick = <T>(rnd: () => number, list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
const date = (rnd: () => number, year: number) =>
  `${year}-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}Z`;

export function marcRecord(mmsId: string, title: string, author: string): string {
  return (
    `<record><leader>00783cam a2200241 a 4500</leader><controlfield tag="001">${mmsId}</controlfield>` +
    '<controlfield tag="008">841221s1942    paua          000 1 eng  </controlfield>' +
    `<datafield ind1="1" ind2=" " tag="100"><subfield code="a">${escapeXmlText(author)}</subfield></datafield>` +
    `<datafield ind1="1" ind2="0" tag="245"><subfield code="a">${escapeXmlText(title)}</subfield></datafield>` +
    '<datafield ind1=" " ind2="0" tag="650"><subfield code="a">Literature.</subfield></datafield></record>'
  );
}

/** A MARC holdings record: 852 $b library, $c location, $h call number. */
function holdingRecord(library: string, location: string, callNumber: string): string {
  return (
    '<record><leader>00209cx  a22000851n 4500</leader><controlfield tag="008">1011252u    8   4001uueng0000000</controlfield>' +
    `<datafield ind1="0" ind2=" " tag="852"><subfield code="b">${library}</subfield><subfield code="c">${location}</subfield><subfield code="h">${escapeXmlText(callNumber)}</subfield></datafield></record>`
  );
}

/** Fills the store with `size` users and bibs and the records around them, deterministically from `seed`. */
export function seedStore(store: MockStore, seed: number, size: number): void {
  const rnd = random(seed);
  const base = '/almaws/v1';
  for (const library of LIBRARIES) {
    store.insert(`${base}/conf/libraries`, {
      code: library.code,
      id: store.newId(),
      name: library.name,
      path: `INST.${library.code}`,
      resource_sharing: false,
      campus: coded('MAIN', 'Main Campus'),
    });
    for (const code of ['STACKS', 'REF']) {
      store.insert(`${base}/conf/libraries/${library.code}/locations`, {
        code,
        name: code === 'STACKS' ? 'Stacks' : 'Reference',
        type: coded('OPEN', 'Open'),
        suppress_from_publishing: 'false',
        fulfillment_unit: coded('DEFAULT', 'Default'),
      });
    }
    store.insert(`${base}/conf/libraries/${library.code}/circ-desks`, {
      code: 'DEFAULT_CIRC_DESK',
      name: 'Circulation desk',
      reading_room: false,
    });
  }
  store.insert(`${base}/conf/code-tables`, {
    name: 'UserGroups',
    description: 'User groups',
    sub_system: coded('USERS', 'Users'),
    patron_facing: false,
    row: [
      { code: '01', description: 'Undergraduate', enabled: true },
      { code: '08', description: 'Staff', enabled: true },
    ],
  });
  store.setDocument(`${base}/conf/general`, {
    institution: coded('01XYZ_INST', 'Example University'),
    currency: 'EUR',
    time_zone: 'Europe/London',
  });
  for (let i = 1; i <= 3; i++) {
    store.insert(`${base}/conf/sets`, {
      name: `Set ${i}`,
      description: 'Seeded set',
      type: coded('ITEMIZED', 'Itemized'),
      content: coded('ITEM', 'Physical items'),
      private: coded('false', 'No'),
      status: coded('ACTIVE', 'Active'),
    });
    store.insert(`${base}/conf/jobs`, {
      id: `M${26714670000000 + i}`,
      name: `Job ${i}`,
      type: coded('MANUAL', 'Manual'),
      category: coded('EXPORT', 'Export'),
    });
  }
  for (let i = 1; i <= Math.max(3, Math.ceil(size / 4)); i++) {
    // Acquisitions records with what any Alma record has: an owner, a status, dates.
    const day = date(rnd, 2025);
    const owner = coded('MAIN', 'Main Library');
    store.insert(`${base}/acq/vendors`, {
      code: `VENDOR${i}`,
      name: `Vendor ${i}`,
      status: coded('ACTIVE', 'Active'),
      language: coded('en', 'English'),
      financial_sys_code: null,
      material_supplier: true,
      access_provider: false,
      licensor: false,
      governmental: false,
      creation_date: day,
      last_modified_date: day,
      contact_info: { address: [], email: [], phone: [] },
      note: [],
    });
    store.insert(`${base}/acq/funds`, {
      code: `FUND${i}`,
      name: `Fund ${i}`,
      type: coded('ALLOCATED', 'Allocated'),
      status: coded('ACTIVE', 'Active'),
      entity_type: coded('FUND', 'Fund'),
      owner,
      fiscal_period: coded('2026', '2026'),
      currency: coded('EUR', 'Euro'),
      allocated_balance: 1000 * i,
      available_balance: 800 * i,
      creation_date: day,
      note: [],
    });
    store.insert(`${base}/acq/po-lines`, {
      number: `POL-${1000 + i}`,
      vendor: coded(`VENDOR${i}`, `Vendor ${i}`),
      status: coded('ACTIVE', 'Active'),
      owner,
      type: coded('PRINTED_BOOK_OT', 'Print Book - One Time'),
      created_date: day,
      modification_date: day,
      price: { sum: String(25 * i), currency: coded('EUR', 'Euro') },
      note: [],
    });
    store.insert(`${base}/acq/invoices`, {
      number: `INV-${2000 + i}`,
      vendor: coded(`VENDOR${i}`, `Vendor ${i}`),
      owner,
      invoice_date: day,
      creation_date: day,
      total_amount: 100 * i,
      currency: coded('EUR', 'Euro'),
      invoice_status: coded('ACTIVE', 'Active'),
      payment: { prepaid: false, payment_status: coded('NOT_PAID', 'Not Paid') },
      note: [],
    });
    store.insert(`${base}/acq/licenses`, {
      code: `LIC${i}`,
      name: `License ${i}`,
      type: coded('NEW', 'New'),
      status: coded('ACTIVE', 'Active'),
      review_status: coded('ACCEPTED', 'Accepted'),
      licensor: coded(`VENDOR${i}`, `Vendor ${i}`),
      start_date: day,
      end_date: null,
      owner,
      created_date: day,
      last_modified_date: day,
      term: [],
      note: [],
    });
    const course = store.insert(`${base}/courses`, {
      code: `COURSE${i}`,
      name: `Course ${i}`,
      academic_department: coded('HIST', 'History'),
      status: 'ACTIVE',
    });
    store.insert(`${base}/courses/${String(course.id)}/reading-lists`, {
      code: `RL${i}`,
      name: `Reading list ${i}`,
      status: coded('Complete', 'Complete'),
    });
  }
  for (let i = 1; i <= size; i++) {
    const first = pick(rnd, FIRST);
    const last = pick(rnd, LAST);
    const userId = `user${i}`;
    store.insert(`${base}/users`, {
      record_type: coded('PUBLIC', 'Public'),
      primary_id: userId,
      first_name: first,
      last_name: last,
      full_name: `${first} ${last}`,
      // As Alma's JSON writes fields a record has no value for (its XML leaves them out): `null`.
      middle_name: null,
      job_description: null,
      user_group: coded(i % 5 === 0 ? '08' : '01', i % 5 === 0 ? 'Staff' : 'Undergraduate'),
      campus_code: { value: 'MAIN', desc: null },
      expiry_date: i % 3 === 0 ? null : date(rnd, 2030),
      status: coded('ACTIVE', 'Active'),
      password: '',
      contact_info: {
        address: [],
        email: [
          { email_address: `${userId}@example.org`, preferred: true, email_type: [coded('personal', 'Personal')] },
        ],
        phone: [],
      },
      user_identifier: [
        { id_type: coded('BARCODE', 'Barcode'), value: String(100000 + i).padStart(9, '0'), status: 'ACTIVE' },
      ],
      // Lists Alma always writes, empty or not.
      user_role: [],
      user_block: [],
      user_note: [],
      user_statistic: [],
    });
    const title = pick(rnd, TITLES);
    const author = pick(rnd, AUTHORS);
    const bib = store.insert(`${base}/bibs`, {
      record_format: 'marc21',
      title,
      author,
      created_date: date(rnd, 2020),
      suppress_from_publishing: 'false',
    });
    const mmsId = String(bib.mms_id);
    bib.anies = [marcRecord(mmsId, title, author)];
    const library = pick(rnd, LIBRARIES);
    // A holding as Alma keeps it (rest_holding.xsd): its library, location and call number are in the MARC 852.
    const created = date(rnd, 2021);
    const holding = store.insert(`${base}/bibs/${mmsId}/holdings`, {
      created_by: 'import',
      created_date: created,
      last_modified_by: 'import',
      last_modified_date: created,
      suppress_from_publishing: 'false',
      anies: [holdingRecord(library.code, 'STACKS', `PG${3366 + i} .V6`)],
    });
    const holdingId = String(holding.holding_id);
    const item = store.insert(`${base}/bibs/${mmsId}/holdings/${holdingId}/items`, {
      bib_data: { mms_id: mmsId, title, author },
      holding_data: { holding_id: holdingId, call_number: `PG${3366 + i} .V6`, copy_id: null, in_temp_location: false },
      item_data: {
        barcode: `3907401${String(i).padStart(7, '0')}`,
        base_status: coded('1', 'Item in place'),
        physical_material_type: coded('BOOK', 'Book'),
        library: coded(library.code, library.name),
        location: coded('STACKS', 'Stacks'),
      },
    });
    if (i % 3 === 0) {
      store.insert(`${base}/users/${userId}/loans`, {
        user_id: userId,
        item_barcode: getBarcode(item),
        title,
        due_date: '2026-12-24T23:59:00Z',
        loan_status: 'ACTIVE',
        library: coded(library.code, library.name),
      });
    }
    if (i % 4 === 0)
      store.insert(`${base}/users/${userId}/requests`, {
        user_primary_id: userId,
        request_type: 'HOLD',
        mms_id: mmsId,
        title,
        request_status: 'NOT_STARTED',
      });
    if (i % 5 === 0)
      store.insert(`${base}/users/${userId}/fees`, {
        type: coded('OVERDUEFINE', 'Overdue fine'),
        status: coded('ACTIVE', 'Active'),
        // As rest_fee.xsd writes it: the user's id with a link to the user.
        user_primary_id: { value: userId, link: `${base}/users/${userId}` },
        balance: 2.5,
        original_amount: 2.5,
      });
  }
}

function getBarcode(item: JsonObject): string {
  return String((item.item_data as JsonObject).barcode);
}
