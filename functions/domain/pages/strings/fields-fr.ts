/** « Ce que nous savons de vous », en français : typed by the English catalogue (fields-en.ts). */
import type { FieldsText } from './fields-en.js';

const ACCOUNT = 'votre compte client de la boutique';
const SENDING = 'notre registre des e-mails que nous vous avons envoyés';

export const FIELDS_FR: FieldsText = {
  email: { label: 'Adresse e-mail', source: ACCOUNT, usedFor: 'l’adresse où nous vous écrivons' },
  firstName: {
    label: 'Prénom',
    source: ACCOUNT,
    usedFor: 'la salutation dans nos e-mails (« Bonjour Ada »)',
  },
  timeZone: {
    label: 'Fuseau horaire',
    source: ACCOUNT,
    usedFor:
      'vous écrire à une heure raisonnable chez vous (jamais la nuit), et les heures affichées sur ces pages',
  },
  birthday: { label: 'Anniversaire', source: ACCOUNT, usedFor: 'un message le matin de votre anniversaire' },
  birthdayMd: {
    label: 'Jour et mois de votre anniversaire',
    source: 'déduits de votre date d’anniversaire',
    usedFor:
      'trouver chaque jour qui fête son anniversaire sans lire les données de tout le monde (supprimés avec votre anniversaire)',
  },
  locale: { label: 'Langue', source: ACCOUNT, usedFor: 'la langue de nos e-mails et de ces pages' },
  consent: {
    label: 'Votre accord pour recevoir nos e-mails',
    source: 'votre choix : lors d’une commande, dans votre compte ou sur cette page',
    usedFor: 'savoir si nous pouvons vous écrire, et à quel sujet (modifiable plus haut)',
  },
  feedback: {
    label: 'Vos réponses sur nos suggestions',
    source: 'les liens « Utile » et « Pas pour moi » de nos e-mails, et le site de la boutique',
    usedFor:
      'les suggestions : nous ne suggérons jamais ce que vous avez marqué « pas pour moi », et davantage de ce qui vous a plu',
  },
  purchasedCategories: {
    label: 'Ce que vous avez acheté (catégories)',
    source: 'vos commandes',
    usedFor: 'des suggestions dans les catégories qui vous plaisent',
  },
  recentPurchases: {
    label: 'Articles achetés récemment',
    source: 'vos commandes',
    usedFor: 'ne pas vous suggérer ce que vous venez d’acheter',
  },
  peerPicks: {
    label: 'Suggestions de clients qui vous ressemblent',
    source:
      'une comparaison hebdomadaire des achats : des articles achetés par les clients dont les commandes ressemblent le plus aux vôtres, et pas encore par vous',
    usedFor:
      'vous suggérer une nouveauté susceptible de vous plaire ; aucun autre client n’est jamais nommé ni montré',
  },
  purchaseHistory: {
    label: 'Articles que vous rachetez',
    source: 'vos commandes : combien contenaient chaque article, et quand (50 articles au plus)',
    usedFor:
      'des suggestions « à racheter » au moment où vous en reprenez d’habitude, et ne pas vous proposer comme nouveau ce que vous avez déjà',
  },
  preferences: {
    label: 'Fréquence et suivi',
    source: 'vos choix sur cette page',
    usedFor: 'le nombre d’e-mails que nous vous envoyons, une pause, et le suivi des ouvertures et des clics',
  },
  attributes: {
    label: 'Autres informations de la boutique',
    source: ACCOUNT,
    usedFor:
      'rien dans vos e-mails ; conservées parce que la boutique les a transmises (supprimables ici une par une)',
  },
  lastActiveAt: {
    label: 'Dernière visite sur la boutique',
    source: 'vos visites sur la boutique',
    usedFor: 'savoir quand vous dire que vous nous manquez (après une longue absence)',
  },
  lastOrderAt: {
    label: 'Dernière commande',
    source: 'vos commandes',
    usedFor: 'savoir quand vous dire que vous nous manquez (une commande compte comme une visite)',
  },
  inactiveOn: {
    label: 'Jour à partir duquel vous seriez considéré comme absent',
    source: 'calculé d’après votre dernière visite ou commande',
    usedFor: 'savoir quand vous dire que vous nous manquez',
  },
  recentOrderTimes: {
    label: 'Dates de vos dernières commandes',
    source: 'vos commandes (les 6 dernières)',
    usedFor:
      'estimer à quelle fréquence vous commandez, pour ne pas vous dire trop tôt que vous nous manquez',
  },
  orderGapDays: {
    label: 'Intervalle habituel entre vos commandes',
    source: 'calculé d’après les dates de vos dernières commandes',
    usedFor: 'attendre plus longtemps avant de vous dire que vous nous manquez si vous commandez rarement',
  },
  engagementHours: {
    label: 'Heures auxquelles vous lisez nos e-mails',
    source:
      'quand vous avez ouvert nos e-mails ou cliqué dessus (appris grâce au suivi des ouvertures et des clics)',
    usedFor:
      'envoyer les e-mails d’anniversaire et « Vous nous manquez » à l’heure où vous les lisez d’habitude',
  },
  pendingGestures: {
    label: 'Remerciements et vœux d’anniversaire en route',
    source: SENDING,
    usedFor: 'retenir un rappel quand un remerciement ou un message d’anniversaire vous est destiné bientôt',
  },
  suppressed: {
    label: 'Arrêt des envois',
    source: 'les rapports de distribution de notre service d’e-mail',
    usedFor: 'ne jamais écrire à une adresse injoignable ou qui a signalé un spam',
  },
  softBounces: {
    label: 'Échecs de distribution',
    source: 'les rapports de distribution de notre service d’e-mail',
    usedFor: 'arrêter d’écrire à une adresse qui échoue sans cesse (après quelques échecs d’affilée)',
  },
  recentSends: {
    label: 'Dates de vos derniers e-mails',
    source: SENDING,
    usedFor: 'respecter le nombre d’e-mails que vous recevez par jour et par semaine',
  },
  recentKinds: {
    label: 'Types de vos derniers e-mails',
    source: SENDING,
    usedFor: 'éviter que les rappels soient plus nombreux que les remerciements et les cadeaux',
  },
  capVersion: {
    label: 'Compteur d’e-mails',
    source: SENDING,
    usedFor: 'respecter le nombre d’e-mails que vous recevez (évite que deux e-mails prennent la même place)',
  },
  lastMessage: {
    label: 'Dernier e-mail envoyé',
    source: SENDING,
    usedFor: 'rattacher une commande ou une réponse ultérieure à l’e-mail qui l’a suscitée',
  },
  customerId: {
    label: 'Numéro client',
    source: ACCOUNT,
    usedFor: 'relier vos e-mails, paniers et commandes à vous',
  },
  createdAt: {
    label: 'Enregistré pour la première fois',
    source: ACCOUNT,
    usedFor: 'la tenue de nos registres',
  },
  updatedAt: {
    label: 'Dernière modification',
    source: 'votre compte, vos visites ou cette page',
    usedFor: 'la tenue de nos registres',
  },
};
