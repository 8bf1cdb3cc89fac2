/** „Was wir über Sie wissen“, auf Deutsch: typed by the English catalogue (fields-en.ts). */
import type { FieldsText } from './fields-en.js';

const ACCOUNT = 'Ihr Kundenkonto im Shop';
const SENDING = 'unsere Aufzeichnungen über die E-Mails an Sie';

export const FIELDS_DE: FieldsText = {
  email: { label: 'E-Mail-Adresse', source: ACCOUNT, usedFor: 'wohin wir Ihre E-Mails schicken' },
  firstName: { label: 'Vorname', source: ACCOUNT, usedFor: 'für die Anrede in E-Mails („Hallo Ada“)' },
  timeZone: {
    label: 'Zeitzone',
    source: ACCOUNT,
    usedFor:
      'damit E-Mails zu einer passenden Uhrzeit bei Ihnen ankommen (nie nachts), und für die Zeiten auf diesen Seiten',
  },
  birthday: {
    label: 'Geburtstag',
    source: ACCOUNT,
    usedFor: 'für einen Geburtstagsgruß am Morgen Ihres Geburtstags',
  },
  birthdayMd: {
    label: 'Tag und Monat Ihres Geburtstags',
    source: 'aus Ihrem Geburtstag abgeleitet',
    usedFor:
      'zu finden, wer heute Geburtstag hat, ohne die Daten aller zu lesen (wird mit Ihrem Geburtstag gelöscht)',
  },
  locale: { label: 'Sprache', source: ACCOUNT, usedFor: 'für die Sprache unserer E-Mails und dieser Seiten' },
  consent: {
    label: 'Ihre Einwilligung in E-Mails',
    source: 'was Sie gewählt haben: bei einer Bestellung, in Ihrem Kundenkonto oder auf dieser Seite',
    usedFor: 'ob wir Ihnen überhaupt schreiben dürfen, und worüber (oben zu ändern)',
  },
  feedback: {
    label: 'Ihre Antworten zu unseren Vorschlägen',
    source: 'die Links „Nützlich“ und „Nichts für mich“ in unseren E-Mails und die Website des Shops',
    usedFor:
      'Vorschläge: Was Sie als „nichts für mich“ markiert haben, schlagen wir nie vor, und von dem, was Ihnen gefiel, mehr',
  },
  purchasedCategories: {
    label: 'Was Sie bisher gekauft haben (Kategorien)',
    source: 'Ihre Bestellungen',
    usedFor: 'für Vorschläge aus den Bereichen, die Ihnen gefallen',
  },
  recentPurchases: {
    label: 'Kürzlich gekaufte Artikel',
    source: 'Ihre Bestellungen',
    usedFor: 'nichts vorzuschlagen, was Sie gerade erst gekauft haben',
  },
  peerPicks: {
    label: 'Tipps von Kundinnen und Kunden wie Ihnen',
    source:
      'ein wöchentlicher Vergleich der Einkäufe: Artikel, die Kundinnen und Kunden mit den ähnlichsten Bestellungen gekauft haben und Sie noch nicht',
    usedFor:
      'etwas Neues vorzuschlagen, das Sie wahrscheinlich mögen; andere Kundinnen und Kunden werden nie genannt oder gezeigt',
  },
  purchaseHistory: {
    label: 'Artikel, die Sie wieder kaufen',
    source: 'Ihre Bestellungen: wie viele jeden Artikel enthielten, und wann (höchstens 50 Artikel)',
    usedFor:
      'Vorschläge zum Nachbestellen, wenn Sie sonst nachkaufen, und nichts, was Sie schon haben, als neu vorzuschlagen',
  },
  preferences: {
    label: 'Häufigkeit und Tracking',
    source: 'Ihre Wahl auf dieser Seite',
    usedFor: 'wie viele E-Mails wir Ihnen schicken, eine Pause, und ob wir Öffnungen und Klicks erfassen',
  },
  attributes: {
    label: 'Weitere Angaben des Shops',
    source: ACCOUNT,
    usedFor: 'nichts in Ihren E-Mails; gespeichert, weil der Shop sie geschickt hat (hier einzeln löschbar)',
  },
  lastActiveAt: {
    label: 'Letzter Besuch im Shop',
    source: 'Ihre Besuche im Shop',
    usedFor: 'zu wissen, wann wir sagen, dass wir Sie vermissen (nach langer Zeit)',
  },
  lastOrderAt: {
    label: 'Letzte Bestellung',
    source: 'Ihre Bestellungen',
    usedFor: 'zu wissen, wann wir sagen, dass wir Sie vermissen (eine Bestellung zählt als Besuch)',
  },
  inactiveOn: {
    label: 'Tag, ab dem Sie als länger weg gelten',
    source: 'aus Ihrem letzten Besuch oder Ihrer letzten Bestellung berechnet',
    usedFor: 'zu wissen, wann wir sagen, dass wir Sie vermissen',
  },
  recentOrderTimes: {
    label: 'Zeitpunkte Ihrer letzten Bestellungen',
    source: 'Ihre Bestellungen (die letzten 6)',
    usedFor:
      'um zu sehen, wie oft Sie meist bestellen, damit wir nicht zu früh sagen, dass wir Sie vermissen',
  },
  orderGapDays: {
    label: 'Üblicher Abstand zwischen Ihren Bestellungen',
    source: 'aus den Zeitpunkten Ihrer letzten Bestellungen berechnet',
    usedFor: 'länger zu warten, bevor wir sagen, dass wir Sie vermissen, wenn Sie selten bestellen',
  },
  engagementHours: {
    label: 'Uhrzeiten, zu denen Sie unsere E-Mails lesen',
    source: 'wann Sie unsere E-Mails geöffnet oder angeklickt haben (aus dem Öffnungs- und Klick-Tracking)',
    usedFor:
      'um Geburtstags- und „Wir vermissen Sie“-E-Mails zu der Stunde zu schicken, in der Sie sie meist lesen',
  },
  pendingGestures: {
    label: 'Dankeschöns und Geburtstagsgrüße auf dem Weg',
    source: SENDING,
    usedFor:
      'eine Erinnerung zurückzuhalten, wenn bald ein Dankeschön oder Geburtstagsgruß an Sie fällig ist',
  },
  suppressed: {
    label: 'Zustellstopp',
    source: 'Zustellberichte unseres E-Mail-Dienstes',
    usedFor: 'nie an eine Adresse zu schreiben, die nicht erreichbar war oder Spam gemeldet hat',
  },
  softBounces: {
    label: 'Fehlgeschlagene Zustellungen',
    source: 'Zustellberichte unseres E-Mail-Dienstes',
    usedFor: 'E-Mails an eine Adresse zu stoppen, die immer wieder scheitert (nach einigen Fehlern in Folge)',
  },
  recentSends: {
    label: 'Zeitpunkte Ihrer letzten E-Mails',
    source: SENDING,
    usedFor: 'einzuhalten, wie viele E-Mails Sie pro Tag und Woche bekommen',
  },
  recentKinds: {
    label: 'Art Ihrer letzten E-Mails',
    source: SENDING,
    usedFor: 'damit Erinnerungen nicht häufiger sind als Dankeschöns und Geschenke',
  },
  capVersion: {
    label: 'E-Mail-Zähler',
    source: SENDING,
    usedFor:
      'einzuhalten, wie viele E-Mails Sie bekommen (verhindert, dass zwei E-Mails denselben Platz belegen)',
  },
  lastMessage: {
    label: 'Letzte E-Mail von uns',
    source: SENDING,
    usedFor: 'eine spätere Bestellung oder Antwort der E-Mail zuzuordnen, die dazu geführt hat',
  },
  customerId: {
    label: 'Kundennummer',
    source: ACCOUNT,
    usedFor: 'Ihre E-Mails, Warenkörbe und Bestellungen Ihnen zuzuordnen',
  },
  createdAt: { label: 'Zuerst gespeichert', source: ACCOUNT, usedFor: 'Nachweis' },
  updatedAt: {
    label: 'Zuletzt geändert',
    source: 'Ihr Kundenkonto, Ihre Besuche oder diese Seite',
    usedFor: 'Nachweis',
  },
};
