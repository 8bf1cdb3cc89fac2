import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { eventJsonSchemas } from '../../functions/domain/events.js';

describe('Published JSON Schemas', () => {
  it('match the zod contract (regenerate with `npx reciprocity schemas schemas`)', () => {
    for (const [name, schema] of Object.entries(eventJsonSchemas())) {
      const committed = JSON.parse(readFileSync(`schemas/${name}.schema.json`, 'utf8'));
      expect(committed, `schemas/${name}.schema.json is stale`).toEqual(JSON.parse(JSON.stringify(schema)));
    }
  });
});
