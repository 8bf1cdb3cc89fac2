/**
 * The zod of the Lambda code: zod/mini, the functional API (`z.optional(s)`, `s.check(z.maxLength(n))`), which
 * a bundle keeps only the used parts of; classic zod's methods bring all of it (about 100 KB minified). Mini
 * installs no messages by itself ("Invalid input" for everything): English is set here, as classic zod does,
 * so every schema module imports zod through this one.
 */

import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

z.config(en());

export * from 'zod/mini';
