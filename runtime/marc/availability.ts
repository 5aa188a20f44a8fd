import type { DataField } from './fields.js';
import type { MarcRecord } from './record.js';

// Alma's availability fields, added to a bib's MARC when it is read with `expand=p_avail` (AVA, one per holding),
// `e_avail` (AVE, one per portfolio) or `d_avail` (AVD, one per representation). The subfield codes are those the
// "Retrieve Bib" operation documents (bibs.json, GET /almaws/v1/bibs/{mms_id}).

/** Physical availability: one per holding (or per temporary location), from an AVA field. */
export interface PhysicalAvailability {
  /** `$0`: the bib's MMS id. */
  mmsId?: string;
  /** `$8`: the holding id (absent for items in a temporary location). */
  holdingId?: string;
  /** `$a` */
  institution?: string;
  /** `$b`: the library code; `$q` its name. */
  library?: string;
  libraryName?: string;
  /** `$j`: the location code; `$c` its display name. */
  location?: string;
  locationName?: string;
  /** `$d`, with its type (`$k`). */
  callNumber?: string;
  callNumberType?: string;
  /** `$e`: `available`, `unavailable` or `check_holdings`. */
  availability?: 'available' | 'unavailable' | 'check_holdings' | (string & {});
  /** `$f` and `$g`: items in all, and items not available. */
  totalItems?: number;
  unavailableItems?: number;
  /** `$p` */
  priority?: number;
  /** `$t`: holdings information (repeatable). */
  holdingsInformation: string[];
  /** `$v`: calculated summary information. */
  summary?: string;
  /** The field as read, for the subfields this type does not name. */
  field: DataField;
}

/** Electronic availability: one per portfolio, from an AVE field. */
export interface ElectronicAvailability {
  /** `$8` */
  portfolioId?: string;
  /** `$c`: the electronic collection's id; `$m` its name. */
  collectionId?: string;
  collectionName?: string;
  /** `$e`: the activation status (`Available`, …). */
  activationStatus?: string;
  /** `$l` */
  library?: string;
  /** `$u`: the bib's services page. */
  link?: string;
  /** `$s`: the coverage statement. */
  coverage?: string;
  /** `$t` */
  interfaceName?: string;
  /** `$n` */
  publicNote?: string;
  field: DataField;
}

/** Digital availability: one per representation, from an AVD field. */
export interface DigitalAvailability {
  /** `$a` */
  institution?: string;
  /** `$b` */
  representationId?: string;
  /** `$c`: `REPRESENTATION` or `REMOTE_REPRESENTATION`. */
  type?: string;
  /** `$d` */
  repository?: string;
  /** `$e` */
  label?: string;
  /** `$f` */
  publicNote?: string;
  /** `$h` */
  link?: string;
  field: DataField;
}

export interface Availability {
  physical: PhysicalAvailability[];
  electronic: ElectronicAvailability[];
  digital: DigitalAvailability[];
}

/** The availability fields of a bib read with `expand=p_avail,e_avail,d_avail` (empty lists for those not asked). */
export function availabilityOf(record: MarcRecord): Availability {
  return {
    physical: record.getDataFields('AVA').map((field) => {
      const s = reader(field);
      return {
        mmsId: s('0'),
        holdingId: s('8'),
        institution: s('a'),
        library: s('b'),
        libraryName: s('q'),
        location: s('j'),
        locationName: s('c'),
        callNumber: s('d'),
        callNumberType: s('k'),
        availability: s('e'),
        totalItems: count(s('f')),
        unavailableItems: count(s('g')),
        priority: count(s('p')),
        holdingsInformation: field.getSubfields('t'),
        summary: s('v'),
        field,
      };
    }),
    electronic: record.getDataFields('AVE').map((field) => {
      const s = reader(field);
      return {
        portfolioId: s('8'),
        collectionId: s('c'),
        collectionName: s('m'),
        activationStatus: s('e'),
        library: s('l'),
        link: s('u'),
        coverage: s('s'),
        interfaceName: s('t'),
        publicNote: s('n'),
        field,
      };
    }),
    digital: record.getDataFields('AVD').map((field) => {
      const s = reader(field);
      return {
        institution: s('a'),
        representationId: s('b'),
        type: s('c'),
        repository: s('d'),
        label: s('e'),
        publicNote: s('f'),
        link: s('h'),
        field,
      };
    }),
  };
}

function reader(field: DataField): (code: string) => string | undefined {
  return (code) => field.subfield(code);
}

function count(value: string | undefined): number | undefined {
  return value !== undefined && /^\d+$/.test(value.trim()) ? Number(value) : undefined;
}
