import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { eventJsonSchemas, schemasCommand } from '../../cli/schemas.js';
import {
  ATTRIBUTE_KEY_PATTERN,
  MAX_ATTRIBUTE_VALUE_LENGTH,
  MAX_ATTRIBUTES,
} from '../../functions/domain/events.js';

describe('Published JSON Schemas', () => {
  it('match the zod contract (regenerate with `npx reciprocity schemas schemas`)', () => {
    for (const [name, schema] of Object.entries(eventJsonSchemas())) {
      const committed = JSON.parse(readFileSync(`schemas/${name}.schema.json`, 'utf8'));
      expect(committed, `schemas/${name}.schema.json is stale`).toEqual(JSON.parse(JSON.stringify(schema)));
    }
  });

  it('publish the input rules a shop can check before sending', () => {
    // Prepare
    const schemas = eventJsonSchemas() as Record<string, { properties: Record<string, JsonSchema> }>;

    // Act
    const attributes = schemas['customer.upserted']!.properties.attributes!;
    const keys = attributes.propertyNames!;
    const url = schemas['product.upserted']!.properties.url!;
    const sku = schemas['product.upserted']!.properties.sku!;

    // Assess
    expect(attributes.maxProperties).toBe(MAX_ATTRIBUTES);
    expect(keys.pattern).toBe(ATTRIBUTE_KEY_PATTERN.source);
    const reserved = new RegExp(keys.not!.pattern!, 'u');
    for (const name of ['__proto__', 'constructor', 'Prototype']) expect(reserved.test(name)).toBe(true);
    expect(reserved.test('tier')).toBe(false);
    expect(attributes.additionalProperties!.anyOf![0]!.maxLength).toBe(MAX_ATTRIBUTE_VALUE_LENGTH);
    const https = new RegExp(url.pattern!, 'u');
    expect([
      https.test('https://shop.example/p'),
      https.test('http://x'),
      https.test('javascript:x'),
    ]).toEqual([true, false, false]);
    const noControl = new RegExp(sku.pattern!, 'u');
    expect([noControl.test('TEA-1'), noControl.test('TEA\u00001')]).toEqual([true, false]);
  });
});

describe('Command: reciprocity schemas', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('prints its usage for --help and writes nothing', async () => {
    // Prepare
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});

    // Act
    await schemasCommand(['--help']);
    await schemasCommand(['-h']);

    // Assess
    expect(log.mock.calls.map((call) => String(call[0]))).toEqual([
      expect.stringContaining('Usage: reciprocity schemas [DIR]'),
      expect.stringContaining('Usage: reciprocity schemas [DIR]'),
    ]);
    expect([existsSync('--help'), existsSync('-h')]).toEqual([false, false]);
  });

  it('refuses an unknown option instead of writing a folder named after it', async () => {
    await expect(schemasCommand(['--out'])).rejects.toThrow(/Unknown option "--out"/);
    expect(existsSync('--out')).toBe(false);
  });

  it('writes one file per schema into DIR', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'schemas-out-'));
    vi.spyOn(console, 'log').mockImplementation(() => {});

    // Act
    await schemasCommand([dir]);

    // Assess
    expect(readdirSync(dir).sort()).toEqual(
      Object.keys(eventJsonSchemas())
        .map((name) => `${name}.schema.json`)
        .sort(),
    );
    rmSync(dir, { recursive: true });
  });
});

interface JsonSchema {
  pattern?: string;
  maxLength?: number;
  maxProperties?: number;
  propertyNames?: JsonSchema;
  not?: JsonSchema;
  additionalProperties?: JsonSchema;
  anyOf?: JsonSchema[];
}
