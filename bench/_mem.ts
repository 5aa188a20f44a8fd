import path from 'node:path';
import { loadCodecTypes } from '../generator/codec-types.js';
import { loadConfig } from '../generator/config.js';
import { xmlToJson } from '../runtime/codec.js';
const types = loadCodecTypes(loadConfig(path.join(process.cwd(), 'alma-codegen.yaml')));
function usersList(mb: number): string {
  const parts: string[] = []; let size = 0;
  for (let n = 0; size < mb * 1024 * 1024; n++) {
    const user = `<user><record_type desc="Public">PUBLIC</record_type><primary_id>user${n}</primary_id><first_name>F${n}</first_name><last_name>L${n % 97}</last_name><user_group desc="Staff">${n % 5}</user_group><status desc="Active">ACTIVE</status><contact_info><emails><email preferred="true"><email_address>u${n}@x.org</email_address></email></emails></contact_info></user>`;
    parts.push(user); size += user.length;
  }
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><users total_record_count="${parts.length}">${parts.join('')}</users>`;
}
const gc = (globalThis as { gc?: () => void }).gc!;
const mb = Number(process.argv[2] ?? 10);
const xml = usersList(mb);
gc(); const base = process.memoryUsage().heapUsed;
const v8 = await import('node:v8');
const json = xmlToJson(xml, types.byName('rest_users')!.xml);
const after = process.memoryUsage().heapUsed;
gc(); const retained = process.memoryUsage().heapUsed - base;
console.log(`${mb} MB: heap grew ${((after - base) / xml.length).toFixed(1)}× before GC, retained ${(retained / xml.length).toFixed(2)}× the document; peak total heap ${(v8.getHeapStatistics().total_heap_size / xml.length).toFixed(1)}×`, Object.keys(json).length);
