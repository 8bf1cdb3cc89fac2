import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../functions/domain/config.js';
import {
  type CustomerUpserted,
  MAX_ATTRIBUTES,
  type ParseResult,
  PROFILE_SIZE_LIMIT_BYTES,
  type ProductUpserted,
  parseShopEvent,
  profileSizeBytes,
  salvageWithdrawal,
  stripControl,
} from '../../functions/domain/events.js';

const envelope = { id: 'e1', source: 'shop', time: '2026-11-25T10:00:00Z' };
const customer = (detail: object) => ({
  ...envelope,
  'detail-type': 'customer.upserted',
  detail: { customerId: 'c1', email: 'ada@example.com', ...detail },
});
const product = (detail: object) => ({
  ...envelope,
  'detail-type': 'product.upserted',
  detail: { sku: 'TEA-1', name: 'Sencha', category: 'tea', price: 9, inStock: true, ...detail },
});
const cart = (item: object) => ({
  ...envelope,
  'detail-type': 'cart.updated',
  detail: {
    customerId: 'c1',
    cartId: 'k1',
    items: [{ sku: 'TEA-1', name: 'Sencha', price: 9, quantity: 1, ...item }],
    currency: 'EUR',
    total: 9,
  },
});
const errorOf = (result: ParseResult): string => {
  expect(result.ok).toBe(false);
  return (result as { error: string }).error;
};
const detailOf = <T>(result: ParseResult): T => {
  expect(result.ok, JSON.stringify(result)).toBe(true);
  return (result as unknown as { event: { detail: T } }).event.detail;
};

describe('Function: parseShopEvent (attributes)', () => {
  it('refuses a reserved key in any case and names it', () => {
    for (const key of ['constructor', 'Prototype', 'CONSTRUCTOR']) {
      // Prepare
      const event = customer({ attributes: { tier: 'gold', [key]: 'x' } });

      // Act
      const error = errorOf(parseShopEvent(event));

      // Assess
      expect(error).toBe(`detail.attributes.${key}: reserved name`);
    }
  });

  it('refuses a __proto__ key as sent in JSON instead of dropping it silently', () => {
    // Prepare: JSON.parse makes __proto__ an own key, as the bus delivers it
    const event = JSON.parse(
      JSON.stringify(customer({ attributes: { tier: 'gold' } })).replace('"tier"', '"__proto__"'),
    );

    // Act
    const error = errorOf(parseShopEvent(event));

    // Assess
    expect(error).toBe('detail.attributes.__proto__: reserved name');
  });

  it('refuses a key outside the pattern, naming it, and reports every bad key', () => {
    // Prepare
    const event = customer({ attributes: { 'shoe size': 38, '9lives': 1, ok: 'fine' } });

    // Act
    const error = errorOf(parseShopEvent(event));

    // Assess
    expect(error).toContain('detail.attributes.shoe size: must be a letter, then letters');
    expect(error).toContain('detail.attributes.9lives: must be a letter, then letters');
    expect(error).not.toContain('attributes.ok');
  });

  it('accepts 50 attributes with 64-character keys and refuses 51', () => {
    // Prepare
    const attributes = (n: number) =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`a${String(i).padStart(63, '0')}`, i]));

    // Act
    const fifty = parseShopEvent(customer({ attributes: attributes(MAX_ATTRIBUTES) }));
    const fiftyOne = parseShopEvent(customer({ attributes: attributes(MAX_ATTRIBUTES + 1) }));

    // Assess
    expect(fifty.ok).toBe(true);
    expect(errorOf(fiftyOne)).toBe('detail.attributes: at most 50 attributes (got 51)');
  });

  it('refuses a 65-character key', () => {
    expect(errorOf(parseShopEvent(customer({ attributes: { [`a${'b'.repeat(64)}`]: 1 } })))).toContain(
      'must be a letter, then letters',
    );
  });

  it('accepts a 1,000-character value and refuses 1,001, naming the key', () => {
    // Act
    const max = parseShopEvent(customer({ attributes: { bio: 'x'.repeat(1000) } }));
    const over = parseShopEvent(customer({ attributes: { bio: 'x'.repeat(1001) } }));

    // Assess
    expect(max.ok).toBe(true);
    expect(errorOf(over)).toBe('detail.attributes.bio: must be at most 1000 characters');
  });

  it('refuses a nested object as a value, naming the key', () => {
    expect(errorOf(parseShopEvent(customer({ attributes: { tier: { level: 1 } } })))).toBe(
      'detail.attributes.tier: must be a string, a number, a boolean or null',
    );
  });

  it('keeps a merged profile free of prototype keys', () => {
    // Prepare / Act
    const detail = detailOf<CustomerUpserted>(
      parseShopEvent(customer({ attributes: { tier: 'gold', vip: true, score: 7, club: null } })),
    );

    // Assess
    expect(detail.attributes).toEqual({ tier: 'gold', vip: true, score: 7, club: null });
    expect(Object.getPrototypeOf(detail.attributes)).toBe(Object.prototype);
  });
});

describe('Function: parseShopEvent (URLs)', () => {
  const refused = [
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'file:///etc/passwd',
    '/products/tea',
    '//shop.example/p',
    'shop.example/p',
    'https://',
    ' https://shop.example/p',
    'https://shop.example/p\u0000.jpg',
    'ftp://shop.example/p',
  ];

  it('accepts https URLs in products and cart items', () => {
    // Prepare
    const url = 'https://shop.example/p/tea-1';
    const imageUrl = 'https://cdn.shop.example/tea-1.jpg';

    // Act
    const productDetail = detailOf<ProductUpserted>(parseShopEvent(product({ url, imageUrl })));
    const cartOk = parseShopEvent(cart({ url, imageUrl })).ok;

    // Assess
    expect(productDetail).toMatchObject({ url, imageUrl });
    expect(cartOk).toBe(true);
  });

  it('refuses http by default and accepts it when the caller opts in', () => {
    // Act
    const byDefault = parseShopEvent(product({ url: 'http://x' }));
    const optedOut = parseShopEvent(product({ url: 'http://x' }), { allowHttpUrls: false });
    const optedIn = parseShopEvent(product({ url: 'http://x', imageUrl: 'http://x/i.jpg' }), {
      allowHttpUrls: true,
    });
    const itemOptedIn = parseShopEvent(cart({ imageUrl: 'http://x/i.jpg' }), { allowHttpUrls: true });

    // Assess
    expect(errorOf(byDefault)).toBe('detail.url: must be an https URL');
    expect(errorOf(optedOut)).toBe('detail.url: must be an https URL');
    expect(optedIn.ok).toBe(true);
    expect(itemOptedIn.ok).toBe(true);
  });

  it('refuses scripts, data, files, relative URLs and hidden control characters, even with http allowed', () => {
    for (const url of refused) {
      // Act
      const product404 = parseShopEvent(product({ imageUrl: url }));
      const item = parseShopEvent(cart({ url }), { allowHttpUrls: true });

      // Assess
      expect(errorOf(product404), url).toBe('detail.imageUrl: must be an https URL');
      expect(errorOf(item), url).toBe('detail.items.0.url: must be an https or http URL');
    }
  });

  it('is off in the default engine config', () => {
    expect(parseConfig({}).allowHttpUrls).toBe(false);
    expect(parseConfig({ allowHttpUrls: true }).allowHttpUrls).toBe(true);
  });
});

describe('Function: parseShopEvent (control characters)', () => {
  it('strips NUL, C0 controls but tab and newline, and DEL from free text', () => {
    // Prepare
    const event = customer({
      firstName: 'A\u0000da\r\n\t\u001b[31m\u007f',
      consent: { email: 'opted_in', source: 'sign\u0000up', textVersion: 'v\u00071' },
      attributes: { tier: 'go\u0000ld' },
    });

    // Act
    const detail = detailOf<CustomerUpserted>(parseShopEvent(event));

    // Assess
    expect(detail.firstName).toBe('Ada\n\t[31m');
    expect(detail.consent).toMatchObject({ source: 'signup', textVersion: 'v1' });
    expect(detail.attributes).toEqual({ tier: 'gold' });
  });

  it('strips them from item, product and activity text', () => {
    // Act
    const item = detailOf<{ items: { name: string; category: string }[] }>(
      parseShopEvent(cart({ name: 'Sen\u0000cha', category: 'te\u0000a' })),
    ).items[0];
    const productDetail = detailOf<ProductUpserted>(
      parseShopEvent(product({ name: 'Sen\u0000cha', category: 'te\u0000a' })),
    );
    const activity = detailOf<{ kind: string }>(
      parseShopEvent({
        ...envelope,
        'detail-type': 'customer.activity',
        detail: { customerId: 'c1', kind: 'page\u0000_view' },
      }),
    );

    // Assess
    expect(item).toMatchObject({ name: 'Sencha', category: 'tea' });
    expect(productDetail).toMatchObject({ name: 'Sencha', category: 'tea' });
    expect(activity.kind).toBe('page_view');
  });

  it('judges a required text after stripping, so a name of only controls is refused', () => {
    expect(errorOf(parseShopEvent(product({ name: '\u0000\u0001' })))).toContain('detail.name');
  });

  it('refuses a control character in an id instead of cleaning it', () => {
    // Act
    const sku = parseShopEvent(product({ sku: 'TEA\u00001' }));
    const customerId = parseShopEvent(customer({ customerId: 'c\t1' }));
    const messageId = parseShopEvent({
      ...envelope,
      'detail-type': 'feedback.given',
      detail: { customerId: 'c1', sku: 'S', vote: 'up', messageId: 'm\n1' },
    });
    const order = parseShopEvent({
      ...envelope,
      'detail-type': 'order.placed',
      detail: {
        customerId: 'c1',
        orderId: 'o\u007f1',
        cartId: 'k\u00001',
        items: [{ sku: 's', name: 'n', price: 1, quantity: 1 }],
        currency: 'EUR',
        total: 1,
      },
    });

    // Assess
    expect(errorOf(sku)).toBe('detail.sku: must not contain control characters');
    expect(errorOf(customerId)).toBe('detail.customerId: must not contain control characters');
    expect(errorOf(messageId)).toBe('detail.messageId: must not contain control characters');
    expect(errorOf(order)).toBe(
      'detail.orderId: must not contain control characters; detail.cartId: must not contain control characters',
    );
  });
});

describe('Function: parseShopEvent (robustness)', () => {
  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withObjectString: true }), (input) => {
        expect(typeof parseShopEvent(input).ok).toBe('boolean');
        expect(typeof parseShopEvent({ ...customer({}), detail: input }).ok).toBe('boolean');
      }),
    );
  });

  it('turns a throwing getter into a reject', () => {
    // Prepare
    const event = customer({});
    Object.defineProperty(event.detail, 'firstName', {
      enumerable: true,
      get: () => {
        throw new Error('boom');
      },
    });

    // Act / Assess
    expect(errorOf(parseShopEvent(event))).toContain('(event): could not be read');
  });

  it('keeps the error short when a sender floods it with bad keys', () => {
    // Prepare: 50 bad keys of 10,000 characters each
    const attributes = Object.fromEntries(
      Array.from({ length: 50 }, (_, i) => [`${i}${'x'.repeat(10_000)}`, 1]),
    );

    // Act
    const error = errorOf(parseShopEvent(customer({ attributes })));

    // Assess: 20 issues with cut keys, then a count
    expect(error.length).toBeLessThan(5_000);
    expect(error).toMatch(/; \(and 30 more\)$/);
  });
});

/** Characters up to U+02FF: every C0 and C1 control, DEL, ASCII and accented letters. */
const controlsAndText = fc.integer({ min: 0, max: 0x2ff }).map((code) => String.fromCharCode(code));

describe('Function: stripControl', () => {
  it('keeps tab, newline and ordinary text, drops the other controls', () => {
    expect(stripControl('a\u0000b\u0008c\td\ne\rf\u000bg\u001fh\u007fi\u0085j€é')).toBe('abc\td\nefghij€é');
  });

  it('leaves no control character but tab and newline, and changes nothing else', () => {
    fc.assert(
      fc.property(fc.string({ unit: controlsAndText }), (text) => {
        const clean = stripControl(text);
        // biome-ignore lint/suspicious/noControlCharactersInRegex: the property under test
        expect(clean).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
        expect(clean).toBe([...text].filter((c) => /^[\t\n]$|^[^\p{Cc}]$/u.test(c)).join(''));
      }),
    );
  });
});

describe('Function: salvageWithdrawal', () => {
  it('keeps the opt-out of an upsert refused for its email', () => {
    // Prepare
    const event = customer({ email: 'not-an-email', consent: { email: 'opted_out', source: 'footer' } });
    expect(parseShopEvent(event).ok).toBe(false);

    // Act
    const salvaged = salvageWithdrawal(event);

    // Assess
    expect(salvaged).toEqual({ customerId: 'c1', consent: { email: 'opted_out' } });
  });

  it('keeps only topics turned off, never an opt-in or a topic turned on', () => {
    // Prepare
    const event = customer({
      attributes: { constructor: 'x' },
      consent: { email: 'opted_in', topics: { winback: false, birthday: true, cart_reminders: false } },
    });

    // Act
    const salvaged = salvageWithdrawal(event);

    // Assess
    expect(salvaged).toEqual({
      customerId: 'c1',
      consent: { topics: { winback: false, cart_reminders: false } },
    });
  });

  it('keeps both an email opt-out and topics turned off', () => {
    const event = customer({
      timeZone: 'Mars/Olympus',
      consent: { email: 'opted_out', topics: { birthday: false } },
    });
    expect(salvageWithdrawal(event)).toEqual({
      customerId: 'c1',
      consent: { email: 'opted_out', topics: { birthday: false } },
    });
  });

  it('returns nothing for an opt-in, a valid event, another type or an unusable customerId', () => {
    // Prepare
    const optIn = customer({ email: 'bad', consent: { email: 'opted_in', topics: { winback: true } } });
    const valid = customer({ consent: { email: 'opted_out' } });
    const otherType = { ...customer({ email: 'bad', consent: { email: 'opted_out' } }), 'detail-type': 'x' };
    const badIds = ['', 'c\u00001', 'x'.repeat(201), 42, undefined].map((customerId) =>
      customer({ customerId, email: 'bad', consent: { email: 'opted_out' } }),
    );

    // Act / Assess
    expect(salvageWithdrawal(optIn)).toBeUndefined();
    expect(salvageWithdrawal(valid)).toBeUndefined();
    expect(salvageWithdrawal(otherType)).toBeUndefined();
    for (const event of badIds) expect(salvageWithdrawal(event)).toBeUndefined();
  });

  it('returns nothing for junk', () => {
    for (const junk of [
      null,
      undefined,
      'customer.upserted',
      42,
      [],
      {},
      { 'detail-type': 'customer.upserted' },
    ])
      expect(salvageWithdrawal(junk)).toBeUndefined();
  });

  it('ignores withdrawals that only come from a prototype or a getter', () => {
    // Prepare
    const inherited = Object.create({ email: 'opted_out', topics: { winback: false } });
    const getter = {};
    Object.defineProperty(getter, 'email', { enumerable: true, get: () => 'opted_out' });
    const events = [inherited, getter].map((consent) => customer({ email: 'bad', consent }));

    // Act / Assess
    for (const event of events) expect(salvageWithdrawal(event)).toBeUndefined();
  });

  it('never throws and never returns anything but withdrawals', () => {
    const consent = fc.record(
      {
        email: fc.oneof(fc.constantFrom('opted_in', 'opted_out'), fc.anything()),
        topics: fc.oneof(
          fc.dictionary(fc.constantFrom('winback', 'birthday', '__proto__'), fc.anything()),
          fc.anything(),
        ),
        source: fc.anything(),
      },
      { requiredKeys: [] },
    );
    const detail = fc.record(
      {
        customerId: fc.oneof(fc.string(), fc.anything()),
        email: fc.anything(),
        consent: fc.oneof(consent, fc.anything()),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        fc.oneof(
          detail.map((d) => customer(d)),
          fc.anything(),
        ),
        (input) => {
          const salvaged = salvageWithdrawal(input);
          if (salvaged === undefined) return;
          expect(Object.keys(salvaged).sort()).toEqual(['consent', 'customerId']);
          if ('email' in salvaged.consent) expect(salvaged.consent.email).toBe('opted_out');
          for (const value of Object.values(salvaged.consent.topics ?? {})) expect(value).toBe(false);
          expect(Object.keys(salvaged.consent).every((k) => k === 'email' || k === 'topics')).toBe(true);
        },
      ),
    );
  });
});

describe('Function: profileSizeBytes', () => {
  it('counts a 200 KB attribute string at more than 200,000 bytes', () => {
    // Prepare
    const profile = {
      customerId: 'c1',
      email: 'ada@example.com',
      attributes: { notes: 'x'.repeat(200_000) },
    };

    // Act
    const size = profileSizeBytes(profile);

    // Assess
    expect(size).toBeGreaterThan(200_000);
    expect(size).toBeLessThan(PROFILE_SIZE_LIMIT_BYTES);
  });

  it('follows the DynamoDB rules for each type', () => {
    // Prepare / Act / Assess: names + values; a number 1 byte per 2 significant digits + 1
    expect(profileSizeBytes({ id: 'c1' })).toBe(2 + 2);
    expect(profileSizeBytes({ n: 12_345 })).toBe(1 + 4);
    expect(profileSizeBytes({ n: 0.00012 })).toBe(1 + 2);
    expect(profileSizeBytes({ n: 1_200_000 })).toBe(1 + 2);
    expect(profileSizeBytes({ n: 1 / 3 })).toBeLessThanOrEqual(1 + 21);
    expect(profileSizeBytes({ b: true, z: null })).toBe(2 + 2);
    // a list or map: 3 bytes plus 1 per element
    expect(profileSizeBytes({ l: [] })).toBe(1 + 3);
    expect(profileSizeBytes({ l: ['ab', 1] })).toBe(1 + 3 + (1 + 2) + (1 + 2));
    expect(profileSizeBytes({ m: { k: 'v' } })).toBe(1 + 3 + (1 + 1 + 1));
    // UTF-8 bytes, not characters; undefined is not stored
    expect(profileSizeBytes({ é: '€', gone: undefined })).toBe(2 + 3);
  });

  it('puts a profile carrying 50 full attributes well under the limit', () => {
    // Prepare
    const attributes = Object.fromEntries(
      Array.from({ length: MAX_ATTRIBUTES }, (_, i) => [`a${String(i).padStart(63, '0')}`, 'é'.repeat(1000)]),
    );

    // Act / Assess: one upsert cannot reach the limit; only growth over many can
    expect(profileSizeBytes({ customerId: 'c1', attributes })).toBeLessThan(PROFILE_SIZE_LIMIT_BYTES / 2);
  });
});
