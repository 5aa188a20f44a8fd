// The signature Alma puts on every webhook event: `X-Exl-Signature`, the Base64 HMAC-SHA256 of the body with the
// integration profile's secret. WebCrypto (Node, browsers, workers), so the check needs no dependency; `verify`
// compares in constant time.

const encoder = new TextEncoder();

/** Keys imported once per secret: importing costs as much as the HMAC of a small event. */
const keys = new Map<string, Promise<CryptoKey>>();

function key(secret: string, usage: 'sign' | 'verify'): Promise<CryptoKey> {
  const id = `${usage}\u0000${secret}`;
  let imported = keys.get(id);
  if (!imported) {
    const algorithm = { name: 'HMAC', hash: 'SHA-256' };
    imported = crypto.subtle.importKey('raw', encoder.encode(secret), algorithm, false, [usage]);
    // A handful of secrets per process; never a growing set.
    if (keys.size > 64) keys.clear();
    keys.set(id, imported);
  }
  return imported;
}

/** The signature of `body`, as Alma sends it (Base64). */
export async function signWebhook(secret: string, body: Uint8Array | string): Promise<string> {
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', await key(secret, 'sign'), bytesOf(body)));
  let binary = '';
  for (const byte of mac) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Whether `signature` (Base64) is the HMAC of `body` with `secret`; a malformed signature is simply wrong. */
export async function verifyWebhook(secret: string, body: Uint8Array | string, signature: string): Promise<boolean> {
  let mac: Uint8Array<ArrayBuffer>;
  try {
    mac = Uint8Array.from(atob(signature.trim()), (c) => c.charCodeAt(0));
  } catch {
    return false;
  }
  return crypto.subtle.verify('HMAC', await key(secret, 'verify'), mac as Uint8Array<ArrayBuffer>, bytesOf(body));
}

/** WebCrypto takes bytes over an ArrayBuffer (not a SharedArrayBuffer): a copy only when they are not. */
function bytesOf(body: Uint8Array | string): Uint8Array<ArrayBuffer> {
  if (typeof body === 'string') return encoder.encode(body);
  return body.buffer instanceof ArrayBuffer ? (body as Uint8Array<ArrayBuffer>) : new Uint8Array(body);
}
