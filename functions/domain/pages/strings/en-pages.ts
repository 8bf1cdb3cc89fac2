/**
 * The customer pages' words in English, second part: where your data goes, unsubscribe, why you got this,
 * erasure and votes. German and French are typed by it.
 */

export const EN_PAGES = {
  dataUse: {
    title: 'Where your data goes',
    intro: (shop: string) =>
      `What ${shop} does with the data behind its emails, who else handles it, and for how long.`,
    whoHeading: 'Who handles it',
    controller: (legal: string) =>
      `${legal} runs the shop, decides what we email you, and is responsible for your data.`,
    aws: (region: string) =>
      `Amazon Web Services (AWS) stores and processes it for us in ${region}: in its database (Amazon DynamoDB) and its computing service (AWS Lambda). Our emails go out through Amazon SES, also part of AWS.`,
    region: (place: string | undefined, code: string) =>
      place ? `${place} (AWS region ${code})` : `the AWS region ${code}`,
    regionUnknown: 'the AWS region the shop chose',
    never: 'Nobody else gets your data. We never sell it, and never share it for advertising.',
    trackHeading: 'What we track in our emails, and why',
    opens: 'Opens: a tiny invisible image in each email tells us when it was opened.',
    clicks:
      'Clicks: the links in each email pass through Amazon SES, which notes the click and takes you straight on.',
    why: 'We use this to send at an hour you usually read our emails, to learn which suggestions help, and to count whether our emails are useful at all.',
    noTracking: 'We do not track whether you open our emails or click their links.',
    keepHeading: 'How long we keep it',
    keepProfile: 'Your details (“What we know about you”): until you erase them.',
    keepMessages: (d: string) => `Our record of each email we sent you, with its opens and clicks: ${d}.`,
    keepCarts: (d: string) => `Your carts: ${d}.`,
    keepStats: (d: string) =>
      `Counts of emails sent, opened and clicked and of orders, with nothing that identifies you: ${d}.`,
    switchHeading: 'Tracking in your emails',
    trackingIsOn: 'Open and click tracking is on for your emails.',
    trackingIsOff:
      'Open and click tracking is off for your emails: they have no tracking image, and their links go straight to the shop.',
    offEffect:
      'Turn it off and your emails have no tracking image and plain links; we then send at our usual hour.',
    turnOff: 'Turn tracking off',
    turnOn: 'Turn tracking back on',
    shopOff: 'The shop does not track opens or clicks, so there is nothing to turn off.',
    switchElsewhere:
      'To turn tracking off for your emails, use the preferences link at the bottom of any of our emails.',
  },
  unsubscribe: {
    confirmTitle: (shop: string) => `Unsubscribe from ${shop}`,
    confirmText: (shop: string) =>
      `Press the button and you will get no more marketing email from ${shop}. It takes effect at once.`,
    button: 'Unsubscribe',
    fewer: 'Rather hear from us less often?',
    fewerLink: 'Choose fewer emails or a pause',
    doneTitle: 'You are unsubscribed',
    doneText: (shop: string) =>
      `You will get no more marketing email from ${shop}. This takes effect at once: emails already on their way are stopped too.`,
    undoText: 'Unsubscribed by mistake? Undo it with one click.',
    undoButton: 'Undo: subscribe me again',
    preferencesLink: 'Choose what we email you about instead',
    againTitle: 'You are subscribed again',
    againText: (shop: string) => `You will get ${shop}’s emails again, as before. This takes effect at once.`,
    againPreferences: 'Choose what we email you about and how often',
  },
  why: {
    title: 'Why you got this email',
    summary: (journey: string, date: string) => `${journey}, ${date}.`,
    startedHeading: 'What started it',
    triggers: {
      cart_reminder: 'You left items in your cart and did not come back to it for a while.',
      order_followup: 'You placed an order, and we wanted to say thank you.',
      birthday: 'It was your birthday, which you shared with us.',
      winback: 'We had not seen you for a while.',
    },
    suggestionsHeading: 'The suggestions in it',
    suggestionsOld: 'We picked these from what you and other customers bought.',
    whenHeading: 'When it was sent',
    cartDelay: (d: string) => `Cart reminders go ${d} after a cart was last changed.`,
    rightAfter: 'Thank-you notes go right after the order.',
    engagement: (hour: string) =>
      `At ${hour} your time: the hour you usually open or click our emails, learned from open and click tracking.`,
    usual: (hour: string) => `At ${hour} your time, our usual hour for these emails.`,
    quiet: (from: string, to: string) =>
      `We never send marketing email between ${from} and ${to} your time; an email due then waits until ${to}.`,
    trackingHeading: 'Tracking',
    tracked: 'We noted whether you opened this email and which of its links you clicked.',
    notTracked: 'We did not track whether you opened this email or clicked its links.',
    trackedUnknown: 'Our emails note opens and clicks unless you turn tracking off.',
    trackingOff: 'Turn tracking off for your emails',
    permissionHeading: 'The permission it relied on',
    permission: (how: string, date: string | undefined) =>
      `You agreed to receive our emails ${how}${date ? `, on ${date}` : ''}.`,
    noPermission: 'None recorded.',
    codeHeading: 'Your code',
    code: (code: string) => `This email carried a code made for you: ${code}.`,
    historyHeading: 'What happened',
    never: (shop: string) => `${shop} never sells or shares this data.`,
  },
  erase: {
    confirmTitle: 'Erase all your data',
    confirmIntro: (shop: string) => `This erases everything ${shop}’s email system stores about you:`,
    items: [
      'your profile: email address, name, birthday, time zone, permissions and every other detail;',
      'your carts;',
      'your name and email address on every email record. We keep only that an email of a kind was sent or not on a day, with no link to you, so our counts stay right.',
    ],
    stopped:
      'Emails already on their way are stopped. This cannot be undone. If you shop with us again, the shop may send us your details again.',
    keepFirst: 'Want to keep your data?',
    downloadFirst: 'Download it first',
    confirmLabel: 'I understand that this erases all my data and cannot be undone',
    button: 'Erase everything',
    back: 'Back to your preferences',
    tickBox: 'Tick the box to confirm.',
    doneTitle: 'Your data is erased',
    doneIntro: (shop: string) => `${shop}’s email system no longer holds your data:`,
    profileDeleted: 'your profile: deleted;',
    profileNone: 'your profile: none was stored;',
    carts: (n: number) => `carts deleted: ${n};`,
    messages: (n: number) => `email records made anonymous: ${n}.`,
    doneText:
      'No more emails will reach you from us, including any that were waiting. The links in our earlier emails no longer show anything.',
  },
  feedback: {
    downTitle: 'Not for you?',
    upTitle: 'Was this useful?',
    downQuestion: (item: string) => `We will leave ${item} out of the emails we send you.`,
    upQuestion: (item: string) => `Tell us, and we will look for more like ${item}.`,
    downButton: 'Yes, leave it out',
    upButton: 'Yes, it was useful',
    undoLater: 'You can see and undo every answer on your preferences page.',
    thanksTitle: 'Thank you',
    thanks: (shop: string) => `Thanks for telling ${shop}.`,
    downDone: (item: string) => `${item} will not appear in our suggestions again.`,
    upDone: (item: string) => `We will suggest more like ${item}.`,
    next: 'Your next email will say what changed.',
  },
};
