/** The customer pages' words in German (Sie), second part: typed by the English catalogue (en-pages.ts). */
import type { PagesStrings } from './index.js';

export const DE_PAGES: PagesStrings = {
  dataUse: {
    title: 'Wohin Ihre Daten gehen',
    intro: (shop) =>
      `Was ${shop} mit den Daten hinter seinen E-Mails macht, wer sie sonst noch verarbeitet und wie lange.`,
    whoHeading: 'Wer sie verarbeitet',
    controller: (legal) =>
      `${legal} betreibt den Shop, entscheidet, was wir Ihnen schreiben, und ist für Ihre Daten verantwortlich.`,
    aws: (region) =>
      `Amazon Web Services (AWS) speichert und verarbeitet sie für uns in ${region}: in seiner Datenbank (Amazon DynamoDB) und seinem Rechendienst (AWS Lambda). Unsere E-Mails werden über Amazon SES verschickt, ebenfalls ein Teil von AWS.`,
    region: (place, code) => (place ? `${place} (AWS-Region ${code})` : `der AWS-Region ${code}`),
    regionUnknown: 'der AWS-Region, die der Shop gewählt hat',
    never: 'Sonst bekommt niemand Ihre Daten. Wir verkaufen sie nie und geben sie nie für Werbung weiter.',
    trackHeading: 'Was wir in unseren E-Mails erfassen, und warum',
    opens: 'Öffnungen: Ein winziges, unsichtbares Bild in jeder E-Mail zeigt uns, wann sie geöffnet wurde.',
    clicks:
      'Klicks: Die Links in jeder E-Mail laufen über Amazon SES, das den Klick vermerkt und Sie direkt weiterleitet.',
    why: 'Damit schicken wir E-Mails zu einer Stunde, in der Sie sie meist lesen, lernen, welche Vorschläge helfen, und zählen, ob unsere E-Mails überhaupt nützlich sind.',
    noTracking: 'Wir erfassen nicht, ob Sie unsere E-Mails öffnen oder ihre Links anklicken.',
    keepHeading: 'Wie lange wir sie aufbewahren',
    keepProfile: 'Ihre Angaben („Was wir über Sie wissen“): bis Sie sie löschen.',
    keepMessages: (d) => `Unsere Aufzeichnung jeder E-Mail an Sie, mit Öffnungen und Klicks: ${d}.`,
    keepCarts: (d) => `Ihre Warenkörbe: ${d}.`,
    keepStats: (d) =>
      `Zahlen zu gesendeten, geöffneten und angeklickten E-Mails und zu Bestellungen, ohne etwas, das Sie erkennen lässt: ${d}.`,
    switchHeading: 'Tracking in Ihren E-Mails',
    trackingIsOn: 'Das Öffnungs- und Klick-Tracking ist für Ihre E-Mails eingeschaltet.',
    trackingIsOff:
      'Das Öffnungs- und Klick-Tracking ist für Ihre E-Mails ausgeschaltet: Sie enthalten kein Tracking-Bild, und ihre Links führen direkt zum Shop.',
    offEffect:
      'Schalten Sie es aus, enthalten Ihre E-Mails kein Tracking-Bild und einfache Links; wir schicken dann zu unserer üblichen Uhrzeit.',
    turnOff: 'Tracking ausschalten',
    turnOn: 'Tracking wieder einschalten',
    shopOff: 'Der Shop erfasst weder Öffnungen noch Klicks, es gibt also nichts auszuschalten.',
    switchElsewhere:
      'Um das Tracking für Ihre E-Mails auszuschalten, nutzen Sie den Link zu Ihren Einstellungen unten in jeder unserer E-Mails.',
  },
  unsubscribe: {
    confirmTitle: (shop) => `Von ${shop} abmelden`,
    confirmText: (shop) =>
      `Klicken Sie auf die Schaltfläche, und Sie bekommen keine Werbe-E-Mails mehr von ${shop}. Das gilt sofort.`,
    button: 'Abmelden',
    fewer: 'Lieber seltener von uns hören?',
    fewerLink: 'Weniger E-Mails oder eine Pause wählen',
    doneTitle: 'Sie sind abgemeldet',
    doneText: (shop) =>
      `Sie bekommen keine Werbe-E-Mails mehr von ${shop}. Das gilt sofort: Auch E-Mails, die schon unterwegs sind, werden gestoppt.`,
    undoText: 'Versehentlich abgemeldet? Mit einem Klick rückgängig machen.',
    undoButton: 'Rückgängig: wieder anmelden',
    preferencesLink: 'Stattdessen wählen, worüber wir Ihnen schreiben',
    againTitle: 'Sie sind wieder angemeldet',
    againText: (shop) => `Sie bekommen die E-Mails von ${shop} wieder wie zuvor. Das gilt sofort.`,
    againPreferences: 'Wählen, worüber wir Ihnen schreiben und wie oft',
  },
  why: {
    title: 'Warum Sie diese E-Mail bekommen haben',
    summary: (journey, date) => `${journey}, ${date}.`,
    startedHeading: 'Was sie ausgelöst hat',
    triggers: {
      cart_reminder:
        'Sie haben Artikel in Ihrem Warenkorb gelassen und sind eine Weile nicht zurückgekommen.',
      order_followup: 'Sie haben bestellt, und wir wollten uns bedanken.',
      birthday: 'Sie hatten Geburtstag und uns das Datum verraten.',
      winback: 'Wir hatten Sie eine Weile nicht gesehen.',
    },
    suggestionsHeading: 'Die Vorschläge darin',
    suggestionsOld:
      'Wir haben sie aus dem ausgewählt, was Sie und andere Kundinnen und Kunden gekauft haben.',
    whenHeading: 'Wann sie verschickt wurde',
    cartDelay: (d) =>
      `Erinnerungen an den Warenkorb gehen ${d} nach der letzten Änderung am Warenkorb hinaus.`,
    rightAfter: 'Dankeschöns gehen direkt nach der Bestellung hinaus.',
    engagement: (hour) =>
      `Um ${hour} Ihrer Zeit: die Stunde, in der Sie unsere E-Mails meist öffnen oder anklicken, gelernt aus dem Öffnungs- und Klick-Tracking.`,
    usual: (hour) => `Um ${hour} Ihrer Zeit, unserer üblichen Uhrzeit für diese E-Mails.`,
    quiet: (from, to) =>
      `Zwischen ${from} und ${to} Ihrer Zeit schicken wir nie Werbe-E-Mails; eine E-Mail, die dann fällig wäre, wartet bis ${to}.`,
    trackingHeading: 'Tracking',
    tracked: 'Wir haben erfasst, ob Sie diese E-Mail geöffnet und welche ihrer Links Sie angeklickt haben.',
    notTracked: 'Wir haben nicht erfasst, ob Sie diese E-Mail geöffnet oder ihre Links angeklickt haben.',
    trackedUnknown: 'Unsere E-Mails erfassen Öffnungen und Klicks, außer Sie schalten das Tracking aus.',
    trackingOff: 'Tracking für Ihre E-Mails ausschalten',
    permissionHeading: 'Die Einwilligung, auf der sie beruhte',
    permission: (how, date) => `Sie haben unseren E-Mails ${how} zugestimmt${date ? `, am ${date}` : ''}.`,
    noPermission: 'Keine erfasst.',
    codeHeading: 'Ihr Code',
    code: (code) => `Diese E-Mail enthielt einen Code nur für Sie: ${code}.`,
    historyHeading: 'Was passiert ist',
    never: (shop) => `${shop} verkauft diese Daten nie und gibt sie nicht weiter.`,
  },
  erase: {
    confirmTitle: 'Alle Ihre Daten löschen',
    confirmIntro: (shop) => `Damit löschen Sie alles, was das E-Mail-System von ${shop} über Sie speichert:`,
    items: [
      'Ihr Profil: E-Mail-Adresse, Name, Geburtstag, Zeitzone, Einwilligungen und jede weitere Angabe;',
      'Ihre Warenkörbe;',
      'Ihren Namen und Ihre E-Mail-Adresse in jeder Aufzeichnung über E-Mails. Wir behalten nur, dass eine E-Mail einer Art an einem Tag gesendet wurde oder nicht, ohne Bezug zu Ihnen, damit unsere Zahlen stimmen.',
    ],
    stopped:
      'E-Mails, die schon unterwegs sind, werden gestoppt. Das lässt sich nicht rückgängig machen. Wenn Sie wieder bei uns einkaufen, kann der Shop uns Ihre Angaben erneut schicken.',
    keepFirst: 'Möchten Sie Ihre Daten behalten?',
    downloadFirst: 'Laden Sie sie vorher herunter',
    confirmLabel:
      'Mir ist klar, dass damit alle meine Daten gelöscht werden und das nicht rückgängig zu machen ist',
    button: 'Alles löschen',
    back: 'Zurück zu Ihren Einstellungen',
    tickBox: 'Bitte setzen Sie zur Bestätigung das Häkchen.',
    doneTitle: 'Ihre Daten sind gelöscht',
    doneIntro: (shop) => `Das E-Mail-System von ${shop} hat keine Daten mehr von Ihnen:`,
    profileDeleted: 'Ihr Profil: gelöscht;',
    profileNone: 'Ihr Profil: es war keins gespeichert;',
    carts: (n) => `gelöschte Warenkörbe: ${n};`,
    messages: (n) => `anonymisierte Aufzeichnungen über E-Mails: ${n}.`,
    doneText:
      'Sie bekommen keine E-Mails mehr von uns, auch keine, die schon warteten. Die Links in unseren früheren E-Mails zeigen nichts mehr an.',
  },
  feedback: {
    downTitle: 'Nichts für Sie?',
    upTitle: 'War das nützlich?',
    downQuestion: (item) => `Dann lassen wir ${item} in unseren E-Mails an Sie weg.`,
    upQuestion: (item) => `Sagen Sie es uns, dann suchen wir nach mehr wie ${item}.`,
    downButton: 'Ja, weglassen',
    upButton: 'Ja, das war nützlich',
    undoLater: 'Jede Antwort können Sie auf Ihrer Einstellungsseite sehen und widerrufen.',
    thanksTitle: 'Vielen Dank',
    thanks: (shop) => `Danke, dass Sie es ${shop} gesagt haben.`,
    downDone: (item) => `${item} erscheint nicht mehr in unseren Vorschlägen.`,
    upDone: (item) => `Wir schlagen mehr wie ${item} vor.`,
    next: 'Ihre nächste E-Mail sagt, was sich geändert hat.',
  },
};
