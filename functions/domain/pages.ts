/** Server-rendered pages for customers: plain HTML that works without JavaScript, readable on a phone. */

export { type CenterView, preferenceCenterPage } from './pages/center.js';
export { eraseConfirmPage, erasedPage } from './pages/erase.js';
export { voteConfirmPage, votedPage } from './pages/feedback.js';
export { escapeHtml, page } from './pages/layout.js';
export { invalidLinkPage, unsubscribeConfirmPage, unsubscribedPage, whyPage } from './pages/messages.js';
