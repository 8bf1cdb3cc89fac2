/**
 * The words every email shares, in each language: the footer, the feedback question under each suggestion,
 * labels of item lists, the gift's wording, and the notes that say what the customer's answers changed.
 * Templates reach them as `t.<key>`; each journey's own copy lives in its template, per language.
 */
import type { Locale } from '../locale.js';

export interface EmailStrings {
  /** "You get this because you opted in to emails from {shop}." */
  optedIn: string;
  why: string;
  preferences: string;
  unsubscribe: string;
  youMightLike: string;
  /** Heading of the re-orders: "Time to restock?" */
  buyAgain: string;
  /** Under it: that these are items they bought before. */
  buyAgainNote: string;
  /** A thank-you's heading of the re-orders (the order just placed may be in them): "For your next order" */
  nextOrder: string;
  /** Under it. */
  nextOrderNote: string;
  isThisUseful: string;
  yes: string;
  notForMe: string;
  answersChange: string;
  quantity: string;
  total: string;
  view: string;
  yourCode: string;
  shopNow: string;
  /** Before the support address: "Questions? Write to us:" */
  questions: string;
  /** Note templates: {what} is the item or category. */
  noteCategoryDown: string;
  noteCategoryUp: string;
  noteItemDown: string;
  noteItemUp: string;
}

export const EMAIL_STRINGS: Record<Locale, EmailStrings> = {
  en: {
    optedIn: 'You get this email because you signed up for emails from {shop}.',
    why: 'Why this email?',
    preferences: 'Your preferences and data',
    unsubscribe: 'Unsubscribe',
    youMightLike: 'You might also like',
    buyAgain: 'Time to restock?',
    buyAgainNote: 'Things you’ve bought before, around the time you usually order them again.',
    nextOrder: 'For your next order',
    nextOrderNote: 'Things you’ve ordered before, ready for when you need them again.',
    isThisUseful: 'Useful?',
    yes: 'Yes',
    notForMe: 'Not for me',
    answersChange: 'Your answers change what we suggest next time.',
    quantity: 'Qty',
    total: 'Total',
    view: 'View',
    yourCode: 'Your code',
    shopNow: 'Visit the shop',
    questions: 'Questions? Write to us:',
    noteCategoryDown: 'You told us {what} isn’t for you, so we left it out.',
    noteCategoryUp: 'You told us you like {what}, so we picked more of it.',
    noteItemDown: 'You told us {what} wasn’t for you, so we left it out.',
    noteItemUp: 'You told us {what} was useful, so we looked for more like it.',
  },
  de: {
    optedIn: 'Sie erhalten diese E\u2011Mail, weil Sie E\u2011Mails von {shop} abonniert haben.',
    why: 'Warum diese E-Mail?',
    preferences: 'Ihre Einstellungen und Daten',
    unsubscribe: 'Abmelden',
    youMightLike: 'Das könnte Ihnen auch gefallen',
    buyAgain: 'Zeit zum Nachbestellen?',
    buyAgainNote:
      'Artikel, die Sie schon gekauft haben – ungefähr dann, wenn Sie sie sonst wieder bestellen.',
    nextOrder: 'Für Ihre nächste Bestellung',
    nextOrderNote: 'Was Sie schon bestellt haben – bereit, wenn Sie es wieder brauchen.',
    isThisUseful: 'Hilfreich?',
    yes: 'Ja',
    notForMe: 'Nichts für mich',
    answersChange: 'Ihre Antworten bestimmen, was wir Ihnen nächstes Mal vorschlagen.',
    quantity: 'Menge',
    total: 'Summe',
    view: 'Ansehen',
    yourCode: 'Ihr Code',
    shopNow: 'Zum Shop',
    questions: 'Fragen? Schreiben Sie uns:',
    noteCategoryDown: 'Sie sagten uns, {what} sei nichts für Sie, also haben wir es weggelassen.',
    noteCategoryUp: 'Sie sagten uns, dass Sie {what} mögen, also haben wir mehr davon ausgesucht.',
    noteItemDown: 'Sie sagten uns, {what} sei nichts für Sie, also haben wir es weggelassen.',
    noteItemUp: 'Sie fanden {what} hilfreich, also haben wir Ähnliches gesucht.',
  },
  fr: {
    optedIn: 'Vous recevez cet e-mail parce que vous êtes inscrit(e) aux e-mails de {shop}.',
    why: 'Pourquoi cet e-mail\u00a0?',
    preferences: 'Vos préférences et vos données',
    unsubscribe: 'Se désabonner',
    youMightLike: 'Vous aimerez peut-être aussi',
    buyAgain: 'Le moment de refaire le plein\u00a0?',
    buyAgainNote:
      'Des articles que vous avez déjà achetés, à peu près quand vous les recommandez d’habitude.',
    nextOrder: 'Pour votre prochaine commande',
    nextOrderNote: 'Ce que vous avez déjà commandé, prêt pour quand vous en aurez de nouveau besoin.',
    isThisUseful: 'Utile\u00a0?',
    yes: 'Oui',
    notForMe: 'Pas pour moi',
    answersChange: 'Vos réponses changent nos suggestions de la prochaine fois.',
    quantity: 'Qté',
    total: 'Total',
    view: 'Voir',
    yourCode: 'Votre code',
    shopNow: 'Voir la boutique',
    questions: 'Une question\u00a0? Écrivez-nous\u00a0:',
    noteCategoryDown: 'Vous nous avez dit que {what} n’était pas pour vous : nous l’avons laissé de côté.',
    noteCategoryUp: 'Vous nous avez dit aimer {what} : nous en avons choisi davantage.',
    noteItemDown: 'Vous nous avez dit que {what} n’était pas pour vous : nous l’avons laissé de côté.',
    noteItemUp: 'Vous avez trouvé {what} utile : nous avons cherché des articles semblables.',
  },
};

/** The strings of one language with the shop's name filled in. */
export function emailStrings(language: Locale, shopName: string): EmailStrings {
  const s = EMAIL_STRINGS[language];
  return { ...s, optedIn: s.optedIn.replace('{shop}', shopName) };
}
