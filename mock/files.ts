import { escapeXmlText } from '../runtime/xml/index.js';

/**
 * What the mock answers for an operation whose answer is a file (a job's download of MARC records): one record, as
 * MARC XML or, with `download_format=BINARY`, as ISO 2709 — bytes, with a non-ASCII character so that a client
 * that reads the body as text instead of bytes shows it.
 */

const FIELDS: readonly { tag: string; indicators: string; subfields: readonly [string, string][] }[] = [
  { tag: '100', indicators: '1 ', subfields: [['a', 'Müller, Anna.']] },
  {
    tag: '245',
    indicators: '10',
    subfields: [
      ['a', 'Mock imports :'],
      ['b', 'a record from the download.'],
    ],
  },
];
const LEADER_TAIL = 'nam a22';
const CONTROL_001 = '991234567890123';

export function downloadFile(format: string | null): { contentType: string; bytes: Buffer } {
  return format?.toUpperCase() === 'BINARY'
    ? { contentType: 'application/octet-stream', bytes: iso2709() }
    : { contentType: 'application/xml', bytes: Buffer.from(marcXml(), 'utf8') };
}

function marcXml(): string {
  const fields = FIELDS.map(
    (f) =>
      `<datafield tag="${f.tag}" ind1="${f.indicators[0]}" ind2="${f.indicators[1]}">${f.subfields.map(([code, value]) => `<subfield code="${code}">${escapeXmlText(value)}</subfield>`).join('')}</datafield>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?><collection xmlns="http://www.loc.gov/MARC21/slim"><record><leader>00000${LEADER_TAIL}00000   4500</leader><controlfield tag="001">${CONTROL_001}</controlfield>${fields.join('')}</record></collection>`;
}

/** ISO 2709 in UTF-8: lengths and offsets count bytes. */
function iso2709(): Buffer {
  const FT = '\x1e';
  const SF = '\x1f';
  const RT = '\x1d';
  const data = [
    { tag: '001', body: Buffer.from(`${CONTROL_001}${FT}`) },
    ...FIELDS.map((f) => ({
      tag: f.tag,
      body: Buffer.from(
        `${f.indicators}${f.subfields.map(([code, value]) => `${SF}${code}${value}`).join('')}${FT}`,
        'utf8',
      ),
    })),
  ];
  let offset = 0;
  const directory = data.map((d) => {
    const entry = `${d.tag}${String(d.body.length).padStart(4, '0')}${String(offset).padStart(5, '0')}`;
    offset += d.body.length;
    return entry;
  });
  const base = 24 + directory.length * 12 + 1;
  const length = base + offset + 1;
  const leader = `${String(length).padStart(5, '0')}${LEADER_TAIL}${String(base).padStart(5, '0')}   4500`;
  return Buffer.concat([
    Buffer.from(`${leader}${directory.join('')}${FT}`),
    ...data.map((d) => d.body),
    Buffer.from(RT),
  ]);
}
