/**
 * Personalize's template cache: the published pointer is re-read once a minute (so a publish reaches every
 * container within a minute), a version is fetched once and kept (versions are immutable), and the cached
 * version carries what rendering needs, not the MJML sources.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../functions/app/deps.js';
import { publishedVariants } from '../../functions/usecases/personalize-data.js';
import { type LocalDynamo, startDynamo } from '../../local/dynamo.js';
import { depsOver } from './local-deps.js';

let dynamo: LocalDynamo;
let now = new Date('2026-12-01T12:00:00.000Z');
const reads: string[] = [];

beforeAll(async () => {
  dynamo = await startDynamo('cache-');
  // Counts every GetItem the templates store sends, with the key it asked for.
  dynamo.client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'GetItemCommand') {
        const version = (args.input as { Key?: { version?: string | { S?: string } } }).Key?.version;
        reads.push(typeof version === 'string' ? version : (version?.S ?? '?'));
      }
      return next(args);
    },
    { step: 'initialize', name: 'countReads' },
  );
});
afterAll(() => dynamo.close());

function version(subject: string) {
  return {
    journey: 'order_followup' as const,
    subject,
    html: `<p>${subject}</p>`,
    text: subject,
    mjml: '<mjml><mj-body></mj-body></mjml>',
    locales: { de: { subject: `${subject} (de)`, html: '<p>de</p>', text: 'de', mjml: '<mjml/>' } },
    partials: { '_footer.mjml': '<mj-text>footer</mj-text>' },
    createdAt: now.toISOString(),
  };
}

describe('published templates in Personalize', () => {
  let deps: Deps;

  it('reads a version once and the pointer once a minute; a publish shows within a minute', async () => {
    deps = depsOver(dynamo, { clock: () => now, needs: ['templates'] });
    const { templates } = deps.stores;
    const v1 = await templates.addVersion(version('Thanks'));
    await templates.publish('order_followup', v1, now.toISOString());
    reads.length = 0;

    const first = await publishedVariants(deps, 'order_followup');
    expect(first.A?.subject).toBe('Thanks');
    // Only what rendering needs is kept: no MJML sources, in any language.
    expect(first.A).not.toHaveProperty('mjml');
    expect(first.A).not.toHaveProperty('partials');
    expect(first.A?.locales?.de).toEqual({ subject: 'Thanks (de)', html: '<p>de</p>', text: 'de' });
    expect(reads).toEqual(['published', v1]);

    for (let i = 0; i < 5; i++) {
      now = new Date(now.getTime() + 50_000);
      await publishedVariants(deps, 'order_followup');
    }
    // Five calls 50 s apart: the pointer is read again at 100 s and 200 s (a minute old), the version never.
    expect(reads.filter((key) => key === v1)).toHaveLength(1);
    expect(reads.filter((key) => key === 'published')).toHaveLength(3);

    const v2 = await templates.addVersion(version('Thank you'));
    await templates.publish('order_followup', v2, now.toISOString());
    expect((await publishedVariants(deps, 'order_followup')).A?.subject).toBe('Thanks');
    now = new Date(now.getTime() + 61_000);
    expect((await publishedVariants(deps, 'order_followup')).A?.subject).toBe('Thank you');
    // Rolling back to v1 needs no read of v1: it is still cached.
    await templates.publish('order_followup', v1, now.toISOString());
    now = new Date(now.getTime() + 61_000);
    reads.length = 0;
    expect((await publishedVariants(deps, 'order_followup')).A?.subject).toBe('Thanks');
    expect(reads).toEqual(['published']);
  });
});
