// MARC records: read, edit and write them losslessly (`<package>/marc`, also exported from the package's root; an app
// that never touches MARC does not carry this code in a bundle).
export {
  type Availability,
  availabilityOf,
  type DigitalAvailability,
  type ElectronicAvailability,
  type PhysicalAvailability,
} from './availability.js';
export { diffRecords, formatMarcDiff, type MarcChange } from './diff.js';
export { marcOf, type WithMarc, withMarc } from './embedded.js';
export { ControlField, DataField, type MarcField, type Subfield, tagMatches } from './fields.js';
export { MarcError, MarcRecord } from './record.js';
