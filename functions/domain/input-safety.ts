/**
 * Rules that keep bad input from crashing intake or reaching an email: control characters, attribute keys
 * and sizes, web URLs, and the stored size of a profile. Pure; the event contract (events.ts) applies them.
 */

/** Attribute keys: a letter, then up to 63 letters, digits, `_`, `.` or `-` (64 characters at most). */
export const ATTRIBUTE_KEY_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

/** Most attributes one `customer.upserted` may carry. */
export const MAX_ATTRIBUTES = 50;

/** Longest string attribute value, in characters (after control characters are stripped). */
export const MAX_ATTRIBUTE_VALUE_LENGTH = 1000;

/**
 * Attribute keys refused in any letter case: they name JavaScript object machinery, so storing or merging
 * them would change an object's prototype instead of adding a field (and made the DynamoDB write throw).
 */
export const RESERVED_ATTRIBUTE_NAMES: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/**
 * Largest profile intake will write, in DynamoDB item bytes (see profileSizeBytes). DynamoDB refuses items
 * over 400 KB; the 100 KB of headroom covers what the engine itself adds after intake (recent sends and
 * kinds, votes, the last message, consent evidence) and the estimate's own error, so a write never fails on
 * size.
 */
export const PROFILE_SIZE_LIMIT_BYTES = 300_000;

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const STRIPPED = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** The same as CONTROL, for JSON Schema `pattern` (a string that contains none). */
export const NO_CONTROL_PATTERN = '^[^\\u0000-\\u001f\\u007f-\\u009f]*$';

/**
 * Free text without NUL, the other C0 controls but tab and newline, DEL and the C1 controls (U+0080 to
 * U+009F): invisible in an email at best, and a NUL breaks some mail and storage paths.
 */
export function stripControl(text: string): string {
  return text.replace(STRIPPED, '');
}

/** True when the text has any control character (C0, DEL or C1), tab and newline included. */
export function hasControlCharacter(text: string): boolean {
  return CONTROL.test(text);
}

/** True for a reserved attribute name (`__proto__`, `constructor`, `prototype`), in any letter case. */
export function isReservedAttributeName(key: string): boolean {
  return RESERVED_ATTRIBUTE_NAMES.includes(key.toLowerCase());
}

/** A JSON Schema pattern matching exactly the reserved names in any case (JSON Schema has no `i` flag). */
export function reservedNamesPattern(): string {
  const anyCase = (name: string) =>
    [...name].map((c) => (/[a-z]/i.test(c) ? `[${c.toUpperCase()}${c.toLowerCase()}]` : c)).join('');
  return `^(${RESERVED_ATTRIBUTE_NAMES.map(anyCase).join('|')})$`;
}

/**
 * True for an absolute https URL with a host (and http when allowed); never javascript:, data:, file:, a
 * relative URL, or a string with control characters (which URL parsers drop silently, changing the link).
 */
export function isWebUrl(value: string, allowHttp: boolean): boolean {
  if (hasControlCharacter(value) || !(allowHttp ? /^https?:\/\//i : /^https:\/\//i).test(value)) return false;
  try {
    const url = new URL(value);
    return url.hostname !== '' && (url.protocol === 'https:' || (allowHttp && url.protocol === 'http:'));
  } catch {
    return false;
  }
}

/** A JSON Schema pattern for the start of an https URL, in any case. */
export const HTTPS_URL_PATTERN = '^[Hh][Tt][Tt][Pp][Ss]://';

const utf8 = new TextEncoder();

/**
 * Approximate DynamoDB item size of a profile, by the documented rules: UTF-8 bytes of every attribute name
 * (map keys included) and string; a number 1 byte per two significant digits plus 1 (21 at most); a boolean
 * or null 1; a list or map 3 bytes plus 1 per element; a Set as its elements; undefined is not stored.
 */
export function profileSizeBytes(profile: object): number {
  return entriesSize(profile, 0); // the item itself has no map overhead
}

function valueSize(value: unknown): number {
  if (value === null || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return utf8.encode(value).length;
  if (typeof value === 'number' || typeof value === 'bigint') return numberSize(value);
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set) {
    let size = 0;
    for (const element of value) size += valueSize(element);
    return size;
  }
  if (Array.isArray(value)) {
    let size = 3;
    for (const element of value) size += 1 + valueSize(element);
    return size;
  }
  if (typeof value === 'object') return 3 + entriesSize(value, 1);
  return 0; // undefined, functions, symbols: not stored
}

function entriesSize(map: object, elementOverhead: number): number {
  let size = 0;
  for (const [name, value] of Object.entries(map)) {
    if (value === undefined) continue;
    size += elementOverhead + utf8.encode(name).length + valueSize(value);
  }
  return size;
}

function numberSize(value: number | bigint): number {
  const digits = String(value)
    .replace(/^-/, '')
    .replace(/e.*$/i, '')
    .replace('.', '')
    .replace(/^0+/, '')
    .replace(/0+$/, '');
  return Math.min(21, Math.ceil(digits.length / 2) + 1);
}
