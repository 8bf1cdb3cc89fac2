/**
 * Server-rendered pages for customers: plain HTML that works without JavaScript, readable on a phone, in the
 * customer's language (en, de, fr) and time zone, in the shop's brand.
 */

export { type CenterView, preferenceCenterPage } from './pages/center.js';
export { DATA_USE_PATH, type PageContext, pageContext } from './pages/context.js';
export { type DataUseView, dataUsePage } from './pages/data-use.js';
export { type ErasureSummary, eraseConfirmPage, erasedPage } from './pages/erase.js';
export { voteConfirmPage, votedPage } from './pages/feedback.js';
export { escapeHtml, page, simplePage } from './pages/layout.js';
export {
  invalidLinkPage,
  resubscribedPage,
  unsubscribeConfirmPage,
  unsubscribedPage,
} from './pages/messages.js';
export { type WhyView, whyPage } from './pages/why.js';
