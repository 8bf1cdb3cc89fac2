import { describe, expect, it } from 'vitest';
import { LOCALES } from '../../functions/domain/locale.js';
import { browserLocale, pageContext } from '../../functions/domain/pages/context.js';
import { contrastRatio, readableOn } from '../../functions/domain/pages/contrast.js';
import { pageColours } from '../../functions/domain/pages/layout.js';
import { STRINGS } from '../../functions/domain/pages/strings/index.js';
import {
  dataUsePage,
  eraseConfirmPage,
  erasedPage,
  invalidLinkPage,
  resubscribedPage,
  unsubscribeConfirmPage,
  unsubscribedPage,
  voteConfirmPage,
  votedPage,
} from '../../functions/domain/pages.js';
import { configWith, ctxFor, textOf } from './page-fixtures.js';

/** Every string of a catalogue, functions called with sample arguments. */
function leaves(value: unknown, path = ''): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  if (typeof value === 'function') {
    const out = (value as (...a: unknown[]) => unknown)(2, 'X', 'Y');
    return leaves(out, `${path}()`);
  }
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => leaves(v, path ? `${path}.${k}` : k));
  return [[path, String(value)]];
}

describe('Catalogue: the pages in English, German and French', () => {
  it('gives every string in every language, none empty or left in English', () => {
    // Prepare
    const en = new Map(leaves(STRINGS.en));

    // Act / Assess
    for (const language of LOCALES) {
      const strings = leaves(STRINGS[language]);
      expect(strings.map(([k]) => k).sort(), language).toEqual([...en.keys()].sort());
      for (const [key, text] of strings) {
        expect(text.trim().length, `${language} ${key}`).toBeGreaterThan(0);
        expect(text, `${language} ${key}`).not.toMatch(/undefined|\[object|NaN/);
      }
      if (language === 'en') continue;
      const same = strings.filter(([k, text]) => text === en.get(k) && text.length > 12);
      expect(
        same.map(([k]) => k),
        language,
      ).toEqual([]);
    }
  });

  it('says 1 and 2 of a thing as each language does', () => {
    // Prepare / Act / Assess
    expect([STRINGS.en.units.days(1), STRINGS.en.units.days(2)]).toEqual(['1 day', '2 days']);
    expect([STRINGS.de.units.days(1), STRINGS.de.units.days(2)]).toEqual(['1 Tag', '2 Tage']);
    expect([STRINGS.fr.units.days(0), STRINGS.fr.units.days(1), STRINGS.fr.units.days(2)]).toEqual([
      '0 jour',
      '1 jour',
      '2 jours',
    ]);
    expect([STRINGS.en.units.hours(1), STRINGS.de.units.minutes(5)]).toEqual(['1 hour', '5 Minuten']);
  });

  it('picks the language from the profile, else ?lang, else Accept-Language by weight, else the default', () => {
    // Prepare
    const config = configWith({ defaultLocale: 'fr' });

    // Act / Assess
    expect(pageContext({ config, profile: { locale: 'de-AT' } })).toMatchObject({
      language: 'de',
      tag: 'de-AT',
    });
    expect(pageContext({ config, profile: { locale: 'es-ES' } }).language).toBe('fr');
    expect(pageContext({ config, lang: 'en', acceptLanguage: 'de' }).language).toBe('en');
    expect(browserLocale(undefined, 'es;q=0.9, de-CH;q=0.8, en;q=0.5', 'fr')).toEqual({
      language: 'de',
      tag: 'de-CH',
    });
    expect(browserLocale('xx', '*, es', 'fr')).toEqual({ language: 'fr', tag: 'fr' });
    expect(pageContext({ config }).timeZone).toBe('UTC');
  });
});

describe('Page frame: the brand kit', () => {
  it('shows the logo (alt = shop name) or a wordmark, and a footer with legal name, address, support, data use', () => {
    // Prepare
    const branded = configWith({
      brand: {
        name: 'Teahouse',
        legalName: 'Teahouse GmbH',
        logoUrl: 'https://cdn.example/logo.png',
        supportEmail: 'help@teahouse.example',
        postalAddress: 'Teestraße 1, 10115 Berlin',
        shopUrl: 'https://teahouse.example',
      },
    });

    // Act
    const logo = invalidLinkPage(pageContext({ config: branded, profile: { locale: 'de-DE' } }));
    const plain = invalidLinkPage(ctxFor(undefined));

    // Assess
    expect(logo).toContain(
      '<a class="logo" href="https://teahouse.example"><img src="https://cdn.example/logo.png" alt="Teahouse"',
    );
    expect(logo).toMatch(/<footer><p><strong>Teahouse GmbH<\/strong><br>Teestraße 1, 10115 Berlin<\/p>/);
    expect(logo).toContain('Fragen? Schreiben Sie uns an <a href="mailto:help@teahouse.example">');
    expect(logo).toContain('<a href="/privacy?lang=de">Wohin Ihre Daten gehen</a>');
    expect(logo).toContain('<title>Dieser Link funktioniert nicht · Teahouse</title>');
    expect(plain).toContain('<a class="wordmark" href="https://shop.example">Demo Shop</a>');
    expect(plain).toContain('Demo Shop, 1 Example Street, 10115 Berlin, Germany');
    expect(plain).not.toContain('mailto:');
  });

  it('keeps AA contrast whatever the brand’s colours: a light primary is darkened, a fine one kept', () => {
    // Prepare
    const brand = (primary: string, background = '#f4f1ec') =>
      pageContext({
        config: configWith({ brand: { colors: { primary, background, text: '#1a1a1a', muted: '#999999' } } }),
      }).brand;

    // Act
    const light = pageColours(brand('#ffd400'));
    const fine = pageColours(brand('#1f5f4a'));
    const dark = pageColours(brand('#1f5f4a', '#202020'));

    // Assess
    expect(fine.accent).toBe('#1f5f4a');
    expect(light.accent).not.toBe('#ffd400');
    for (const c of [light, fine]) {
      expect(contrastRatio(c.accent, '#ffffff')).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(c.muted, '#ffffff')).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(c.footerText, c.background)).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(c.footerLink, c.background)).toBeGreaterThanOrEqual(4.5);
    }
    expect(contrastRatio(dark.footerText, '#202020')).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(readableOn('#777777', '#ffffff')).not.toBe('#777777');
  });
});

describe('Pages: unsubscribe, undo, votes, erasure, data use', () => {
  const EN = ctxFor({ locale: 'en', timeZone: 'Europe/London' });

  it('unsubscribes only by POST, says it takes effect at once, and offers undo and the preference center', () => {
    // Prepare / Act
    const confirm = unsubscribeConfirmPage(EN, '/u/TOKEN');
    const done = unsubscribedPage(EN, '/u/TOKEN/undo');
    const unknown = unsubscribedPage(ctxFor(undefined), undefined);

    // Assess
    expect(confirm).toContain(
      '<form method="post" action="/u/TOKEN"><input type="hidden" name="List-Unsubscribe" value="One-Click">',
    );
    expect(confirm).toContain('It takes effect at once.');
    expect(confirm).toContain('<a href="/p/TOKEN">Choose fewer emails or a pause</a>');
    expect(textOf(done)).toContain('This takes effect at once: emails already on their way are stopped too.');
    expect(done).toContain('<form method="post" action="/u/TOKEN/undo">');
    expect(done).toContain('>Undo: subscribe me again</button>');
    expect(done).toContain('<a href="/p/TOKEN">Choose what we email you about instead</a>');
    expect(unknown).not.toContain('/undo');
  });

  it('confirms an undo, or says plainly why there was nothing to undo', () => {
    // Prepare / Act
    const again = resubscribedPage(EN);
    const nothing = resubscribedPage(EN, EN.t.formErrors.nothing_to_undo);

    // Assess
    expect(again).toContain('<h1>You are subscribed again</h1>');
    expect(again).toContain('as before. This takes effect at once.');
    expect(nothing).toContain('role="alert">There is no unsubscribe to undo any more.');
  });

  it('asks before a vote and thanks after it, in the customer’s language', () => {
    // Prepare
    const fr = ctxFor({ locale: 'fr-FR' });

    // Act
    const ask = voteConfirmPage(fr, { itemName: 'Earl <Grey>', vote: 'down', action: '/f/TOKEN' });
    const thanks = votedPage(EN, { itemName: 'Earl Grey', vote: 'up' });

    // Assess
    expect(ask).toContain('<html lang="fr">');
    expect(ask).toContain('nous retirerons Earl &#60;Grey&#62; des e-mails');
    expect(ask).toContain(
      '<form method="post" action="/f/TOKEN"><button type="submit">Oui, le retirer</button>',
    );
    expect(thanks).toContain('Thanks for telling Demo Shop. We will suggest more like Earl Grey.');
  });

  it('asks for an explicit, labelled confirmation before erasing, and says what was erased', () => {
    // Prepare / Act
    const html = eraseConfirmPage(EN, '/p/TOKEN', 'Tick the box to confirm.');
    const done = erasedPage(ctxFor({ locale: 'de-DE' }), { profile: true, carts: 2, messages: 5 });

    // Assess
    expect(html).toContain('<form method="post" action="/p/TOKEN/erase">');
    expect(html).toContain('<input type="checkbox" id="confirm" name="confirm" value="yes" required>');
    expect(html).toContain('<label for="confirm">');
    expect(html).toContain('<p class="error" role="alert">Tick the box to confirm.</p>');
    expect(textOf(done)).toContain('gelöschte Warenkörbe: 2; anonymisierte Aufzeichnungen über E-Mails: 5.');
  });

  it('publishes where the data goes without a customer, and where to switch tracking off', () => {
    // Prepare
    const view = {
      region: 'us-west-2',
      retention: { messagesDays: 1, cartsDays: 30, statsDays: 365 },
      tracking: { opens: true, clicks: false },
    };

    // Act
    const en = textOf(dataUsePage(EN, view));
    const de = textOf(dataUsePage(ctxFor({ locale: 'de' }), { ...view, region: 'nowhere' }));

    // Assess
    expect(en).toContain('in Oregon, USA (AWS region us-west-2)');
    expect(en).toContain('a tiny invisible image');
    expect(en).not.toContain('Clicks:');
    expect(en).toContain('with its opens and clicks: 1 day.');
    expect(en).toContain('use the preferences link at the bottom of any of our emails');
    expect(de).toContain('in der AWS-Region, die der Shop gewählt hat');
    expect(de).toContain('Ihre Warenkörbe: 30 Tage.');
  });
});
