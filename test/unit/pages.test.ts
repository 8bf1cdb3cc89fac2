import { describe, expect, expectTypeOf, it } from 'vitest';
import type { FeedbackVote } from '../../functions/domain/feedback.js';
import type { LedgerEntry, Profile } from '../../functions/domain/model.js';
import type { CenterView } from '../../functions/domain/pages/center.js';
import { PROFILE_FIELDS, profileRows } from '../../functions/domain/pages/fields.js';
import { eraseConfirmPage, escapeHtml, preferenceCenterPage, whyPage } from '../../functions/domain/pages.js';
import {
  PreferenceFormError,
  timeZoneOptions,
  votesAfterUndoForm,
} from '../../functions/domain/preferences.js';

const NOW = new Date('2026-12-01T12:00:00Z');

// Required<Profile>: adding a field to Profile breaks this fixture until it is filled in, and the catalogue
// (typed over keyof Profile) until the field is described.
const FULL: Required<Profile> = {
  customerId: 'C-1',
  email: 'ada@example.com',
  firstName: 'Ada',
  locale: 'de-DE',
  timeZone: 'Europe/Berlin',
  birthday: '1990-03-14',
  birthdayMd: '03-14',
  consent: {
    email: 'opted_in',
    topics: { winback: false },
    source: 'checkout',
    textVersion: 'v1',
    updatedAt: '2026-11-01T09:00:00Z',
  },
  attributes: { tier: 'gold' },
  lastActiveAt: '2026-11-30T10:00:00Z',
  lastOrderAt: '2026-11-29T10:00:00Z',
  inactiveOn: '2027-01-29',
  recentOrderTimes: ['2026-10-30T10:00:00Z', '2026-11-29T10:00:00Z'],
  orderGapDays: 30,
  engagementHours: { '19': 5, '8': 1 },
  suppressed: { reason: 'hard_bounce', at: '2026-11-30T11:00:00Z' },
  softBounces: { count: 1, lastAt: '2026-11-30T10:30:00Z' },
  recentSends: ['2026-11-30T10:00:00Z'],
  recentKinds: [{ at: '2026-11-30T10:00:00Z', kind: 'gesture' }],
  capVersion: 3,
  feedback: [
    {
      target: { kind: 'sku', id: 'SKU-1', label: 'Earl <b>Grey</b>' },
      vote: 'down',
      at: '2026-11-30T12:00:00Z',
      source: 'email',
    },
  ],
  purchasedCategories: { tea: 2 },
  recentPurchases: ['SKU-2'],
  lastMessage: {
    messageId: 'M-1',
    journey: 'order_followup',
    sentAt: '2026-11-30T10:00:00Z',
    recommendations: [],
  },
  preferences: {
    frequency: 'paused',
    pausedUntil: '2027-01-01T12:00:00Z',
    updatedAt: '2026-12-01T11:00:00Z',
  },
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-12-01T11:00:00Z',
};

function view(profile: Profile, extra: Partial<CenterView> = {}): CenterView {
  return {
    shopName: 'Demo Shop',
    base: '/p/TOKEN',
    profile,
    caps: { perDay: 1, perWeek: 3 },
    messages: [],
    timeZones: timeZoneOptions(),
    now: NOW,
    ...extra,
  };
}

describe('Catalogue: what we know about you', () => {
  it('describes every Profile field with where it came from and what uses it', () => {
    // Prepare / Act
    type Missing = Exclude<keyof Profile, keyof typeof PROFILE_FIELDS>;

    // Assess
    expectTypeOf<Missing>().toEqualTypeOf<never>();
    expect(Object.keys(PROFILE_FIELDS).sort()).toEqual(Object.keys(FULL).sort());
    for (const info of Object.values(PROFILE_FIELDS)) {
      expect(info.label.length).toBeGreaterThan(2);
      expect(info.source.length).toBeGreaterThan(5);
      expect(info.usedFor.length).toBeGreaterThan(5);
    }
  });

  it('names the sources and uses the customer will recognise', () => {
    // Prepare / Act
    const rows = Object.fromEntries(profileRows(FULL, []).map((r) => [r.key, r]));

    // Assess
    expect(rows.firstName).toMatchObject({
      source: 'your account (customer.upserted)',
      usedFor: expect.stringContaining('greeting'),
    });
    expect(rows.timeZone?.usedFor).toContain('sensible hour');
    expect(rows.birthday?.usedFor).toContain('birthday message');
    expect(rows.lastActiveAt).toMatchObject({
      source: 'your activity on the shop',
      usedFor: expect.stringContaining('win-back'),
    });
    expect(rows.lastOrderAt?.source).toBe('your orders');
    expect(rows.suppressed?.source).toBe('email delivery reports');
    expect(rows.recentSends?.usedFor).toContain('frequency cap');
  });

  it('shows a row for every stored field, each attribute, and keys the catalogue does not know', () => {
    // Prepare
    const stored = { ...FULL, attributes: { tier: 'gold', vip: true }, legacyScore: 7 } as Profile;

    // Act
    const html = preferenceCenterPage(view(stored));
    const keys = profileRows(stored, []).map((r) => r.key);

    // Assess
    for (const key of Object.keys(FULL).filter((k) => k !== 'attributes')) expect(keys).toContain(key);
    expect(keys).toEqual(expect.arrayContaining(['attributes.tier', 'attributes.vip', 'legacyScore']));
    for (const info of Object.values(PROFILE_FIELDS).filter((i) => i !== PROFILE_FIELDS.attributes))
      expect(html).toContain(escapeHtml(info.label));
    expect(html).toContain('legacyScore');
  });

  it('offers edit forms for first name, time zone and birthday even when they are not stored', () => {
    // Prepare / Act
    const html = preferenceCenterPage(view({ customerId: 'C-2', email: 'b@example.com' }));

    // Assess
    expect(html).toContain('name="field" value="firstName"');
    expect(html).toContain('name="field" value="timeZone"');
    expect(html).toContain('name="field" value="birthday"');
    expect(html).not.toContain('value="delete"');
  });
});

describe('Page: preference center', () => {
  it('escapes customer data in text and attributes', () => {
    // Prepare
    const evil = '"><script>alert(1)</script><img src=x onerror=alert(2)>';
    const profile: Profile = {
      ...FULL,
      firstName: evil,
      attributes: { [evil]: evil },
      consent: { email: 'opted_in', source: evil },
    };
    const entry: LedgerEntry = {
      messageId: 'M-1',
      customerId: 'C-1',
      journey: 'cart_reminder',
      triggerKey: 'k',
      decision: 'skipped',
      reason: evil,
      createdAt: '2026-11-30T10:00:00Z',
      updatedAt: '2026-11-30T10:00:00Z',
    };

    // Act
    const html = preferenceCenterPage(view(profile, { messages: [{ entry, whyHref: `/why/${evil}` }] }));

    // Assess
    expect(html).not.toContain('<script>');
    expect(html).not.toMatch(/<img/);
    expect(html).toContain('value="attributes.&#34;&#62;&#60;script');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
  });

  it('labels every input, groups topic checkboxes in a fieldset with a legend, and needs no script', () => {
    // Prepare / Act
    const html = preferenceCenterPage(view(FULL));

    // Assess
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain('<html lang="en">');
    expect(html).toMatch(/:focus-visible\{outline:3px solid/);
    expect(html).not.toMatch(/<script|\son[a-z]+=/i);
    const controls = [...html.matchAll(/<(input|select)\b([^>]*)>/g)].filter(
      ([, , a]) => !/type="hidden"/.test(a!),
    );
    expect(controls.length).toBeGreaterThan(8);
    for (const [tag, , attributes] of controls) {
      const id = /\bid="([^"]+)"/.exec(attributes!)?.[1];
      expect(id, tag).toBeDefined();
      expect(html, id).toContain(`<label for="${id}">`);
    }
    const ids = [...html.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    const topics = /<fieldset><legend>Topics<\/legend>([\s\S]*?)<\/fieldset>/.exec(html)?.[1] ?? '';
    expect(topics.match(/type="checkbox"/g)).toHaveLength(4);
  });

  it('reflects the stored choices: topic off unticked, pause end shown, forms posting to their own paths', () => {
    // Prepare / Act
    const html = preferenceCenterPage(view(FULL));

    // Assess
    expect(html).toMatch(/id="topic-winback" name="topic" value="winback" aria/);
    expect(html).toMatch(/id="topic-birthday" name="topic" value="birthday" checked/);
    expect(html).toContain('paused until <strong>1 Jan 2027, 12:00 UTC</strong>');
    expect(html).toMatch(/id="frequency-paused" name="frequency" value="paused" checked/);
    for (const path of ['topics', 'frequency', 'field'])
      expect(html).toContain(`<form method="post" action="/p/TOKEN/${path}">`);
    expect(html).toContain('href="/p/TOKEN/export"');
    expect(html).toContain('href="/p/TOKEN/erase"');
  });

  it('shows a notice only for the forms it knows, never echoing the query string', () => {
    // Prepare / Act
    const saved = preferenceCenterPage(view(FULL, { saved: 'topics' }));
    const echoed = preferenceCenterPage(view(FULL, { saved: '<b>hacked</b>' }));

    // Assess
    expect(saved).toContain('<p class="notice" role="status">Saved: what we email you about.</p>');
    expect(echoed).not.toContain('hacked');
    expect(echoed).not.toContain('role="status"');
  });

  it('links each recent message to its own why page', () => {
    // Prepare
    const entry: LedgerEntry = {
      messageId: 'M-1',
      customerId: 'C-1',
      journey: 'order_followup',
      triggerKey: 'k',
      decision: 'sent',
      createdAt: '2026-11-30T10:00:00Z',
      updatedAt: '2026-11-30T10:00:00Z',
    };

    // Act
    const html = preferenceCenterPage(view(FULL, { messages: [{ entry, whyHref: '/why/WHY-TOKEN' }] }));

    // Assess
    expect(html).toContain('Thank-you for your order, sent. <a href="/why/WHY-TOKEN">Why?</a>');
  });
});

describe('Page: erase confirmation', () => {
  it('asks for an explicit, labelled confirmation and posts to the erase path', () => {
    // Prepare / Act
    const html = eraseConfirmPage('Demo Shop', '/p/TOKEN', 'Tick the box to confirm.');

    // Assess
    expect(html).toContain('<form method="post" action="/p/TOKEN/erase">');
    expect(html).toContain('<input type="checkbox" id="confirm" name="confirm" value="yes" required>');
    expect(html).toContain('<label for="confirm">');
    expect(html).toContain('<p class="error" role="alert">Tick the box to confirm.</p>');
  });
});

describe('Page: your answers about our suggestions', () => {
  const EVIL = '"><script>alert(1)</script>';
  const VOTES: FeedbackVote[] = [
    {
      target: { kind: 'sku', id: 'TEA-2', label: `Earl ${EVIL}` },
      vote: 'down',
      at: '2026-11-30T12:00:00Z',
      source: 'email',
    },
    {
      target: { kind: 'category', id: `kitchen${EVIL}` },
      vote: 'up',
      at: '2026-12-01T08:00:00Z',
      source: 'shop',
    },
  ];

  it('lists every answer, newest first, escaped, with what it changes in plain words', () => {
    // Prepare / Act
    const html = preferenceCenterPage(view({ ...FULL, feedback: VOTES }));
    const section = /<section id="votes"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';

    // Assess
    expect(section).toContain('<h2 id="votes-h">Your answers about our suggestions</h2>');
    expect(html).toContain('href="#votes"');
    expect(section).not.toContain('<script>');
    expect(section).toContain(
      'You said Earl &#34;&#62;&#60;script&#62;alert(1)&#60;/script&#62; is not for you',
    );
    expect(section).toContain('We leave Earl &#34;&#62;&#60;script&#62;');
    // A category without a label falls back to its id, escaped too.
    expect(section).toContain('You said you like the category kitchen&#34;&#62;&#60;script&#62;');
    expect(section).toContain('from a link in one of our emails, 30 Nov 2026, 12:00 UTC');
    expect(section).toContain('on the shop’s website');
    expect(section.indexOf('category kitchen')).toBeLessThan(section.indexOf('Earl'));
    expect(section.match(/>Undo<\/button>/g)).toHaveLength(2);
  });

  it('posts each undo to the vote path with the target kind and id, and names the answer on the button', () => {
    // Prepare / Act
    const html = preferenceCenterPage(view({ ...FULL, feedback: VOTES }));
    const forms = [...html.matchAll(/<form method="post" action="\/p\/TOKEN\/vote">([\s\S]*?)<\/form>/g)];

    // Assess
    expect(forms).toHaveLength(2);
    const [newest, oldest] = forms.map((f) => f[1]!);
    expect(oldest).toContain(
      '<input type="hidden" name="kind" value="sku"><input type="hidden" name="id" value="TEA-2">',
    );
    expect(newest).toContain(
      'name="kind" value="category"><input type="hidden" name="id" value="kitchen&#34;&#62;',
    );
    expect(oldest).toMatch(
      /<button type="submit" class="secondary" aria-label="Undo your answer about Earl &#34;/,
    );
    for (const form of [newest!, oldest!]) {
      const described = /aria-describedby="([^"]+)"/.exec(form)?.[1]?.split(' ') ?? [];
      for (const id of described) expect(html).toContain(`id="${id}"`);
    }
  });

  it('says when there is nothing to undo, and confirms an undo with a notice', () => {
    // Prepare / Act
    const empty = preferenceCenterPage(view({ ...FULL, feedback: [] }));
    const undone = preferenceCenterPage(view(FULL, { saved: 'vote' }));

    // Assess
    expect(empty).toContain('You have not told us anything about our suggestions yet.');
    expect(empty).not.toContain('/p/TOKEN/vote');
    expect(undone).toContain('role="status">Done: we forgot that answer');
  });

  it('undoes exactly the named answer, and refuses a bad kind, a missing id or an answer that is not there', () => {
    // Prepare
    const form = (query: string) => new URLSearchParams(query);

    // Act
    const left = votesAfterUndoForm(form('kind=sku&id=TEA-2'), VOTES);

    // Assess
    expect(left).toEqual([VOTES[1]]);
    for (const bad of ['kind=product&id=TEA-2', 'kind=sku', 'kind=sku&id=', 'kind=category&id=TEA-2'])
      expect(() => votesAfterUndoForm(form(bad), VOTES), bad).toThrow(PreferenceFormError);
    expect(() => votesAfterUndoForm(form(`kind=sku&id=${'x'.repeat(201)}`), VOTES)).toThrow(
      'That answer cannot be undone here.',
    );
  });
});

describe('Function: whyPage', () => {
  it("tells a customer a lost answer honestly, in plain words, without the engine's own steps or errors", () => {
    const entry = {
      messageId: 'm-1',
      customerId: 'C1',
      journey: 'order_followup',
      triggerKey: 'order_followup:order:O-1',
      decision: 'unknown',
      createdAt: '2026-12-01T12:00:00.000Z',
      updatedAt: '2026-12-01T12:00:00.000Z',
      history: [
        { decision: 'sending', at: '2026-12-01T12:00:00.000Z' },
        {
          decision: 'unknown',
          at: '2026-12-01T12:00:00.000Z',
          reason: 'outcome unknown: TimeoutError: read ECONNRESET',
        },
      ],
    } satisfies LedgerEntry;
    const html = whyPage(entry, 'Demo Shop');
    expect(html).toContain(
      'probably sent (our mail service did not confirm it, so we will not send it again)',
    );
    expect(html).not.toMatch(/ECONNRESET|TimeoutError|sending/);
  });
});
