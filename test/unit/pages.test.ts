import { describe, expect, expectTypeOf, it } from 'vitest';
import type { FeedbackVote } from '../../functions/domain/feedback.js';
import type { LedgerEntry } from '../../functions/domain/ledger.js';
import type { Profile } from '../../functions/domain/model.js';
import { profileRows } from '../../functions/domain/pages/fields.js';
import { FIELDS_DE } from '../../functions/domain/pages/strings/fields-de.js';
import { FIELDS_EN } from '../../functions/domain/pages/strings/fields-en.js';
import { FIELDS_FR } from '../../functions/domain/pages/strings/fields-fr.js';
import { escapeHtml, preferenceCenterPage } from '../../functions/domain/pages.js';
import { PreferenceFormError, votesAfterUndoForm } from '../../functions/domain/preferences.js';
import { ctxFor, FULL, sectionOf, textOf, view } from './page-fixtures.js';

const EN = ctxFor(FULL);
const rowsOf = (profile: Profile) =>
  Object.fromEntries(
    profileRows(profile, [], { ctx: EN, productNames: { 'SKU-2': 'Sencha', 'SKU-3': 'Matcha whisk' } }).map(
      (r) => [r.key, r],
    ),
  );

describe('Catalogue: what we know about you', () => {
  it('describes every Profile field in English, German and French', () => {
    // Prepare / Act
    type Missing = Exclude<keyof Profile, keyof typeof FIELDS_EN>;

    // Assess
    expectTypeOf<Missing>().toEqualTypeOf<never>();
    for (const fields of [FIELDS_EN, FIELDS_DE, FIELDS_FR]) {
      expect(Object.keys(fields).sort()).toEqual(Object.keys(FULL).sort());
      for (const info of Object.values(fields)) {
        expect(info.label.length).toBeGreaterThan(2);
        expect(info.source.length).toBeGreaterThan(5);
        expect(info.usedFor.length).toBeGreaterThan(5);
      }
    }
    expect(FIELDS_DE.birthday.label).toBe('Geburtstag');
    expect(FIELDS_FR.birthday.label).toBe('Anniversaire');
  });

  it('names sources and uses in plain words, with no event names', () => {
    // Prepare / Act
    const rows = rowsOf(FULL);

    // Assess
    expect(rows.firstName).toMatchObject({
      source: 'your account with the shop',
      usedFor: expect.stringContaining('greeting'),
    });
    expect(rows.timeZone?.usedFor).toContain('sensible hour');
    expect(rows.lastActiveAt?.source).toBe('your visits to the shop');
    expect(rows.suppressed?.source).toBe('delivery reports from our mail service');
    expect(JSON.stringify(rows)).not.toMatch(/customer\.upserted|win-back|frequency cap/);
  });

  it('shows values in the customer’s time zone and words: local times, item names, plurals, no codes', () => {
    // Prepare / Act
    const rows = rowsOf(FULL);
    const oneDay = rowsOf({ ...FULL, orderGapDays: 1 });

    // Assess: 10:00 UTC on 30 Nov is 23:00 the same day in Auckland (UTC+13)
    expect(rows.lastActiveAt?.value).toBe('30 November 2026 at 23:00');
    expect(rows.birthday?.value).toBe('14 March 1990');
    expect(rows.birthdayMd?.value).toBe('14 March');
    expect(rows.inactiveOn?.value).toBe('29 January 2027');
    expect(rows.locale?.value).toBe('British English');
    expect(rows.recentPurchases?.value).toBe('Sencha');
    // "Shoppers like you" by name (the page reads their names), with the day the sweep picked them.
    expect(rows.peerPicks?.value).toBe('Matcha whisk (since 30 November 2026)');
    expect(rows.purchasedCategories?.value).toBe('Loose tea (2 times)');
    expect(rows.orderGapDays?.value).toBe('about 30 days');
    expect(oneDay.orderGapDays?.value).toBe('about 1 day');
    expect(rows.engagementHours?.value).toBe('08:00 (once), 19:00 (5 times)');
    expect(rows.suppressed?.value).toBe(
      'Stopped since 1 December 2026 at 00:00: the address could not be reached',
    );
    expect(rows.consent?.value).toBe(
      'Yes, you agreed when you ordered, on 1 November 2026 at 22:00. Topics: “We miss you” notes: off.',
    );
    expect(rows.pendingGestures?.value).toBe('Birthday message, 14 March 2027 at 09:00');
    expect(rows.lastMessage?.value).toBe('Thank-you for your order, 30 November 2026 at 23:00');
    expect(JSON.stringify(rows)).not.toMatch(/UTC|T\d\d:\d\d|SKU-2|M-9|hard_bounce|order_followup/);
  });

  it('shows a row for every stored field, each attribute, and keys the catalogue does not know', () => {
    // Prepare
    const stored = { ...FULL, attributes: { tier: 'gold', vip: true }, legacyScore: 7 } as Profile;

    // Act
    const html = preferenceCenterPage(EN, view(stored));
    const rows = rowsOf(stored);

    // Assess
    for (const key of Object.keys(FULL).filter((k) => k !== 'attributes'))
      expect(Object.keys(rows)).toContain(key);
    expect(rows['attributes.vip']?.value).toBe('true');
    expect(rows.legacyScore?.value).toBe('7');
    for (const [key, info] of Object.entries(FIELDS_EN).filter(([k]) => k !== 'attributes'))
      expect(html, key).toContain(escapeHtml(info.label));
    expect(html).toContain('legacyScore');
  });

  it('offers edit forms for first name, time zone and birthday even when they are not stored', () => {
    // Prepare / Act
    const html = preferenceCenterPage(EN, view({ customerId: 'C-2', email: 'b@example.com' }));

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
    const html = preferenceCenterPage(EN, view(profile, { messages: [{ entry, whyHref: `/why/${evil}` }] }));

    // Assess
    expect(html).not.toContain('<script>');
    expect(html).not.toMatch(/<img/);
    expect(html).toContain('value="attributes.&#34;&#62;&#60;script');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
  });

  it('labels every input, groups topic checkboxes in a fieldset with a legend, and needs no script', () => {
    // Prepare / Act
    const html = preferenceCenterPage(EN, view(FULL));

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

  it('keeps the choices people come for open and collapses the rest, each under its own heading', () => {
    // Prepare / Act
    const html = preferenceCenterPage(EN, view(FULL));
    const beforeDetails = html.slice(0, html.indexOf('<details'));

    // Assess
    expect(beforeDetails).toContain('action="/p/TOKEN/topics"');
    expect(beforeDetails).toContain('action="/p/TOKEN/frequency"');
    for (const [id, heading] of [
      ['data', 'What we know about you and how it shapes your emails'],
      ['votes', 'Your answers about our suggestions'],
      ['messages', 'Your recent emails'],
      ['where', 'Where your data goes'],
      ['export', 'Download your data'],
      ['erase', 'Erase everything'],
    ]) {
      expect(html, id).toContain(
        `<details id="${id}"><summary><h2 id="${id}-h">${escapeHtml(heading)}</h2></summary>`,
      );
    }
    expect(html).not.toMatch(/<details[^>]* open/);
  });

  it('opens the section a form came back to, or the one a link asks for, and no other', () => {
    // Prepare / Act
    const field = preferenceCenterPage(EN, view(FULL, { saved: 'field' }));
    const voteError = preferenceCenterPage(EN, view(FULL, { error: 'x', errorIn: 'vote', saved: 'field' }));
    const shown = preferenceCenterPage(EN, view(FULL, { show: 'where' }));
    const bogus = preferenceCenterPage(EN, view(FULL, { show: '"><b>x', saved: 'topics' }));

    // Assess
    expect(field.match(/<details [^>]*open/g)).toEqual(['<details id="data" open']);
    expect(voteError.match(/<details [^>]*open/g)).toEqual(['<details id="votes" open']);
    expect(shown.match(/<details [^>]*open/g)).toEqual(['<details id="where" open']);
    expect(bogus).not.toMatch(/<details[^>]* open|<b>x/);
  });

  it('reflects the stored choices: topic off unticked, pause end in local time, forms posting to their own paths', () => {
    // Prepare / Act
    const html = preferenceCenterPage(EN, view(FULL));

    // Assess
    expect(html).toMatch(/id="topic-winback" name="topic" value="winback" aria/);
    expect(html).toMatch(/id="topic-birthday" name="topic" value="birthday" checked/);
    expect(html).toContain('Your emails are paused until 2 January 2027 at 01:00.');
    expect(html).toMatch(/id="frequency-paused" name="frequency" value="paused" checked/);
    for (const path of ['topics', 'frequency', 'field', 'tracking'])
      expect(html).toContain(`<form method="post" action="/p/TOKEN/${path}">`);
    expect(html).toContain('href="/p/TOKEN/export"');
    expect(html).toContain('href="/p/TOKEN/erase"');
  });

  it('offers the tracking switch the customer’s state calls for, and none when the shop tracks nothing', () => {
    // Prepare
    const off = { ...FULL, preferences: { frequency: 'normal' as const, updatedAt: 'x', tracking: false } };
    const noTracking = view(FULL);
    noTracking.dataUse = { ...noTracking.dataUse, tracking: { opens: false, clicks: false } };

    // Act
    const on = sectionOf(preferenceCenterPage(EN, view(FULL)), 'where');
    const turnedOff = sectionOf(preferenceCenterPage(EN, view(off)), 'where');
    const shopOff = sectionOf(preferenceCenterPage(EN, noTracking), 'where');

    // Assess
    expect(on).toContain('Open and click tracking is on for your emails.');
    expect(on).toContain('<input type="hidden" name="tracking" value="off">');
    expect(on).toContain('>Turn tracking off</button>');
    expect(turnedOff).toContain('<input type="hidden" name="tracking" value="on">');
    expect(turnedOff).toContain('>Turn tracking back on</button>');
    expect(shopOff).not.toContain('/p/TOKEN/tracking');
    expect(shopOff).toContain('We do not track whether you open our emails or click their links.');
  });

  it('says where the data goes: the shop, AWS in its region, what is tracked and why, how long each is kept', () => {
    // Prepare / Act
    const where = textOf(sectionOf(preferenceCenterPage(EN, view(FULL)), 'where'));

    // Assess
    expect(where).toContain(
      'Demo Shop runs the shop, decides what we email you, and is responsible for your data.',
    );
    expect(where).toContain('in Frankfurt (AWS region eu-central-1)');
    expect(where).toMatch(/Amazon DynamoDB.*AWS Lambda.*Amazon SES/);
    expect(where).toContain('a tiny invisible image');
    expect(where).toContain('pass through Amazon SES');
    expect(where).toContain('to learn which suggestions help');
    expect(where).toContain('with its opens and clicks: 400 days.');
    expect(where).toContain('Your carts: 90 days.');
    expect(where).toContain('with nothing that identifies you: 730 days.');
    expect(where).toContain('until you erase them');
    expect(where).toContain('We never sell it');
  });

  it('shows a notice only for the forms it knows, never echoing the query string', () => {
    // Prepare / Act
    const saved = preferenceCenterPage(EN, view(FULL, { saved: 'topics' }));
    const tracking = preferenceCenterPage(EN, view(FULL, { saved: 'tracking' }));
    const echoed = preferenceCenterPage(EN, view(FULL, { saved: '<b>hacked</b>' }));
    const proto = preferenceCenterPage(EN, view(FULL, { saved: 'constructor' }));

    // Assess
    expect(saved).toContain('<p class="notice" role="status">Saved: what we email you about.</p>');
    expect(tracking).toContain('role="status">Saved: your choice about tracking.</p>');
    expect(echoed).not.toContain('hacked');
    expect(echoed).not.toContain('role="status"');
    expect(proto).not.toContain('role="status"');
  });

  it('lists recent emails in plain words with local times, each linking to its own why page', () => {
    // Prepare
    const entry = (decision: LedgerEntry['decision'], reason?: string): LedgerEntry => ({
      messageId: `M-${decision}`,
      customerId: 'C-1',
      journey: 'order_followup',
      triggerKey: 'k',
      decision,
      ...(reason ? { reason } : {}),
      createdAt: '2026-11-30T10:00:00Z',
      updatedAt: '2026-11-30T10:00:00Z',
    });
    const messages = [
      { entry: entry('sent'), whyHref: '/why/WHY-1' },
      { entry: entry('skipped', 'capped_daily'), whyHref: '/why/WHY-2' },
      { entry: entry('failed', 'MessageRejected: bad ada@example.com'), whyHref: '/why/WHY-3' },
    ];

    // Act
    const html = sectionOf(preferenceCenterPage(EN, view(FULL, { messages })), 'messages');

    // Assess
    expect(html).toContain(
      '<strong>Thank-you for your order</strong>, 30 November 2026 at 23:00<br>sent. <a href="/why/WHY-1">Why?',
    );
    expect(html).toContain('not sent: you had already had an email from us that day. <a href="/why/WHY-2">');
    expect(html).toContain('could not be sent. <a href="/why/WHY-3">');
    expect(html).not.toMatch(/M-sent|capped|MessageRejected|ada@example/);
  });
});

describe('Page: preference center in German and French', () => {
  it('is written in the customer’s language, with local formats and the form errors in it', () => {
    // Prepare
    const de = ctxFor({ locale: 'de-DE', timeZone: 'Europe/Berlin' });
    const fr = ctxFor({ locale: 'fr-FR', timeZone: 'Europe/Paris' });

    // Act
    const german = preferenceCenterPage(
      de,
      view({ ...FULL, locale: 'de-DE' }, { error: de.t.formErrors.birthday_date, errorIn: 'field' }),
    );
    const french = preferenceCenterPage(fr, view({ ...FULL, locale: 'fr-FR' }));

    // Assess
    expect(german).toContain('<html lang="de">');
    expect(german).toContain('<h1>Ihre E-Mail-Einstellungen</h1>');
    expect(german).toContain('Ihre E-Mails sind pausiert bis 1. Januar 2027 um 13:00.');
    expect(german).toContain('role="alert">Dieses Datum gibt es nicht. Bitte prüfen Sie Tag und Monat.</p>');
    expect(german).toContain('<option value="3" selected>März</option>');
    expect(german).toContain('>Themen speichern</button>');
    expect(french).toContain('<html lang="fr">');
    expect(french).toContain('<h1>Vos préférences e-mail</h1>');
    expect(french).toContain('Vos e-mails sont en pause jusqu’au 1 janvier 2027 à 13:00.');
    expect(french).toContain('<option value="3" selected>mars</option>');
    // The time zone list names zones as IANA does (UTC among them); everything else is in the language.
    for (const html of [german, french])
      expect(textOf(html.replace(/<select[\s\S]*?<\/select>/g, ''))).not.toMatch(/ Save | Topics |UTC|SKU-2/);
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
    { target: { kind: 'sku', id: 'SKU-2' }, vote: 'up', at: '2026-11-01T08:00:00Z', source: 'email' },
  ];

  it('lists every answer, newest first, by name, escaped, with what it changes in plain words', () => {
    // Prepare / Act
    const html = preferenceCenterPage(EN, view({ ...FULL, feedback: VOTES }));
    const section = sectionOf(html, 'votes');

    // Assess
    expect(section).toContain('<h2 id="votes-h">Your answers about our suggestions</h2>');
    expect(section).not.toContain('<script>');
    expect(section).toContain(
      'You said Earl &#34;&#62;&#60;script&#62;alert(1)&#60;/script&#62; is not for you',
    );
    expect(section).toContain('We leave Earl &#34;&#62;&#60;script&#62;');
    // A category without a label is named in words; an item without one by its catalogue name.
    expect(section).toContain('You said you like the category Kitchen&#34;&#62;&#60;script&#62;');
    expect(section).toContain('You said Sencha was useful');
    expect(section).toContain('from a link in one of our emails, 1 December 2026 at 01:00');
    expect(section).toContain('on the shop’s website');
    expect(section.indexOf('category Kitchen')).toBeLessThan(section.indexOf('Earl'));
    expect(section.match(/>Undo<\/button>/g)).toHaveLength(3);
    expect(section).not.toContain('SKU-2</');
  });

  it('posts each undo to the vote path with the target kind and id, and names the answer on the button', () => {
    // Prepare / Act
    const html = preferenceCenterPage(EN, view({ ...FULL, feedback: VOTES.slice(0, 2) }));
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
    const empty = preferenceCenterPage(EN, view({ ...FULL, feedback: [] }));
    const undone = preferenceCenterPage(EN, view(FULL, { saved: 'vote' }));

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
    expect(left).toEqual([VOTES[1], VOTES[2]]);
    for (const bad of ['kind=product&id=TEA-2', 'kind=sku', 'kind=sku&id=', 'kind=category&id=TEA-2'])
      expect(() => votesAfterUndoForm(form(bad), VOTES), bad).toThrow(PreferenceFormError);
    expect(() => votesAfterUndoForm(form(`kind=sku&id=${'x'.repeat(201)}`), VOTES)).toThrow(
      'That answer cannot be undone here.',
    );
  });
});
