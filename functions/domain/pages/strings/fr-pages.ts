/** The customer pages' words in French (vous), second part: typed by the English catalogue (en-pages.ts). */
import type { PagesStrings } from './index.js';

export const FR_PAGES: PagesStrings = {
  dataUse: {
    title: 'Où vont vos données',
    intro: (shop) =>
      `Ce que ${shop} fait des données derrière ses e-mails, qui d’autre les traite, et combien de temps elles sont conservées.`,
    whoHeading: 'Qui les traite',
    controller: (legal) =>
      `${legal} gère la boutique, décide de ce que nous vous envoyons et est responsable de vos données.`,
    aws: (region) =>
      `Amazon Web Services (AWS) les stocke et les traite pour nous ${region} : dans sa base de données (Amazon DynamoDB) et son service de calcul (AWS Lambda). Nos e-mails partent par Amazon SES, qui fait aussi partie d’AWS.`,
    region: (place, code) => (place ? `à ${place} (région AWS ${code})` : `dans la région AWS ${code}`),
    regionUnknown: 'dans la région AWS choisie par la boutique',
    never:
      'Personne d’autre ne reçoit vos données. Nous ne les vendons jamais et ne les partageons jamais à des fins publicitaires.',
    trackHeading: 'Ce que nous suivons dans nos e-mails, et pourquoi',
    opens:
      'Ouvertures : une minuscule image invisible dans chaque e-mail nous indique quand il a été ouvert.',
    clicks:
      'Clics : les liens de chaque e-mail passent par Amazon SES, qui note le clic et vous redirige aussitôt.',
    why: 'Cela nous sert à vous écrire à l’heure où vous lisez d’habitude nos e-mails, à savoir quelles suggestions sont utiles, et à mesurer si nos e-mails servent vraiment.',
    noTracking: 'Nous ne suivons pas l’ouverture de nos e-mails ni les clics sur leurs liens.',
    keepHeading: 'Combien de temps nous les conservons',
    keepProfile: 'Vos informations (« Ce que nous savons de vous ») : jusqu’à ce que vous les effaciez.',
    keepMessages: (d) => `Notre registre de chaque e-mail envoyé, avec ses ouvertures et ses clics : ${d}.`,
    keepCarts: (d) => `Vos paniers : ${d}.`,
    keepStats: (d) =>
      `Les chiffres d’e-mails envoyés, ouverts et cliqués et de commandes, sans rien qui vous identifie : ${d}.`,
    switchHeading: 'Suivi dans vos e-mails',
    trackingIsOn: 'Le suivi des ouvertures et des clics est activé pour vos e-mails.',
    trackingIsOff:
      'Le suivi des ouvertures et des clics est désactivé pour vos e-mails : ils ne contiennent pas d’image de suivi, et leurs liens mènent directement à la boutique.',
    offEffect:
      'Désactivez-le et vos e-mails n’auront plus d’image de suivi et des liens directs ; nous vous écrirons alors à notre heure habituelle.',
    turnOff: 'Désactiver le suivi',
    turnOn: 'Réactiver le suivi',
    shopOff: 'La boutique ne suit ni les ouvertures ni les clics : il n’y a rien à désactiver.',
    switchElsewhere:
      'Pour désactiver le suivi de vos e-mails, utilisez le lien vers vos préférences en bas de chacun de nos e-mails.',
  },
  unsubscribe: {
    confirmTitle: (shop) => `Se désabonner de ${shop}`,
    confirmText: (shop) =>
      `Cliquez sur le bouton et vous ne recevrez plus d’e-mails marketing de ${shop}. Cela s’applique immédiatement.`,
    button: 'Me désabonner',
    fewer: 'Vous préférez avoir de nos nouvelles moins souvent ?',
    fewerLink: 'Choisir moins d’e-mails ou une pause',
    doneTitle: 'Vous êtes désabonné',
    doneText: (shop) =>
      `Vous ne recevrez plus d’e-mails marketing de ${shop}. Cela s’applique immédiatement : les e-mails déjà en route sont arrêtés aussi.`,
    undoText: 'Désabonné par erreur ? Annulez-le en un clic.',
    undoButton: 'Annuler : me réabonner',
    preferencesLink: 'Choisir plutôt ce que nous vous envoyons',
    againTitle: 'Vous êtes de nouveau abonné',
    againText: (shop) =>
      `Vous recevrez de nouveau les e-mails de ${shop}, comme avant. Cela s’applique immédiatement.`,
    againPreferences: 'Choisir ce que nous vous envoyons et à quelle fréquence',
  },
  why: {
    title: 'Pourquoi vous avez reçu cet e-mail',
    summary: (journey, date) => `${journey}, ${date}.`,
    startedHeading: 'Ce qui l’a déclenché',
    triggers: {
      cart_reminder:
        'Vous avez laissé des articles dans votre panier et n’y êtes pas revenu depuis un moment.',
      order_followup: 'Vous avez passé une commande, et nous voulions vous remercier.',
      birthday: 'C’était votre anniversaire, dont vous nous aviez donné la date.',
      winback: 'Nous ne vous avions pas vu depuis un moment.',
    },
    suggestionsHeading: 'Les suggestions qu’il contenait',
    suggestionsOld: 'Nous les avons choisies d’après ce que vous et d’autres clients avez acheté.',
    whenHeading: 'Quand il a été envoyé',
    cartDelay: (d) => `Les rappels de panier partent ${d} après la dernière modification du panier.`,
    rightAfter: 'Les remerciements partent juste après la commande.',
    engagement: (hour) =>
      `À ${hour}, heure locale : l’heure à laquelle vous ouvrez ou cliquez d’habitude nos e-mails, apprise grâce au suivi des ouvertures et des clics.`,
    usual: (hour) => `À ${hour}, heure locale, notre heure habituelle pour ces e-mails.`,
    quiet: (from, to) =>
      `Nous n’envoyons jamais d’e-mail marketing entre ${from} et ${to}, heure locale ; un e-mail prévu à ce moment-là attend ${to}.`,
    trackingHeading: 'Suivi',
    tracked: 'Nous avons noté si vous avez ouvert cet e-mail et sur quels liens vous avez cliqué.',
    notTracked: 'Nous n’avons pas suivi l’ouverture de cet e-mail ni les clics sur ses liens.',
    trackedUnknown: 'Nos e-mails notent les ouvertures et les clics, sauf si vous désactivez le suivi.',
    trackingOff: 'Désactiver le suivi de vos e-mails',
    permissionHeading: 'L’accord sur lequel il reposait',
    permission: (how, date) =>
      `Vous avez accepté de recevoir nos e-mails ${how}${date ? `, le ${date}` : ''}.`,
    noPermission: 'Aucun accord enregistré.',
    codeHeading: 'Votre code',
    code: (code) => `Cet e-mail contenait un code rien que pour vous : ${code}.`,
    historyHeading: 'Ce qui s’est passé',
    never: (shop) => `${shop} ne vend ni ne partage jamais ces données.`,
  },
  erase: {
    confirmTitle: 'Effacer toutes vos données',
    confirmIntro: (shop) =>
      `Cela efface tout ce que le système d’e-mails de ${shop} conserve à votre sujet :`,
    items: [
      'votre profil : adresse e-mail, nom, anniversaire, fuseau horaire, accords et toute autre information ;',
      'vos paniers ;',
      'votre nom et votre adresse e-mail dans chaque registre d’e-mail. Nous gardons seulement qu’un e-mail d’un certain type a été envoyé ou non tel jour, sans lien avec vous, pour que nos chiffres restent justes.',
    ],
    stopped:
      'Les e-mails déjà en route sont arrêtés. C’est irréversible. Si vous achetez de nouveau chez nous, la boutique pourra nous transmettre à nouveau vos informations.',
    keepFirst: 'Vous voulez garder vos données ?',
    downloadFirst: 'Téléchargez-les d’abord',
    confirmLabel: 'Je comprends que cela efface toutes mes données et que c’est irréversible',
    button: 'Tout effacer',
    back: 'Retour à vos préférences',
    tickBox: 'Cochez la case pour confirmer.',
    doneTitle: 'Vos données sont effacées',
    doneIntro: (shop) => `Le système d’e-mails de ${shop} ne détient plus vos données :`,
    profileDeleted: 'votre profil : supprimé ;',
    profileNone: 'votre profil : aucun n’était enregistré ;',
    carts: (n) => `paniers supprimés : ${n} ;`,
    messages: (n) => `registres d’e-mails anonymisés : ${n}.`,
    doneText:
      'Vous ne recevrez plus aucun e-mail de notre part, y compris ceux qui étaient en attente. Les liens de nos anciens e-mails n’affichent plus rien.',
  },
  feedback: {
    downTitle: 'Pas pour vous ?',
    upTitle: 'Était-ce utile ?',
    downQuestion: (item) => `Dans ce cas, nous retirerons ${item} des e-mails que nous vous envoyons.`,
    upQuestion: (item) => `Dites-le-nous, et nous chercherons d’autres articles comme ${item}.`,
    downButton: 'Oui, le retirer',
    upButton: 'Oui, c’était utile',
    undoLater: 'Vous pouvez voir et annuler chaque réponse sur votre page de préférences.',
    thanksTitle: 'Merci',
    thanks: (shop) => `Merci de l’avoir dit à ${shop}.`,
    downDone: (item) => `${item} n’apparaîtra plus dans nos suggestions.`,
    upDone: (item) => `Nous vous suggérerons d’autres articles comme ${item}.`,
    next: 'Votre prochain e-mail dira ce qui a changé.',
  },
};
