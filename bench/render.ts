/**
 * Liquid renders per second: the starter templates (compiled from MJML once, as `templates push` does) rendered
 * by functions/domain/render.ts with realistic variables, one render = subject + HTML + text of one message,
 * cycling the four journeys in the three languages. Parsed templates are cached per version (as in a warm
 * Lambda), so this is the per-message send-time cost. The machine is shared and noisy, so the reference path
 * (liquidjs's own async render, how messages were rendered before the compiled closures) is timed in the same
 * run, batch for batch, and the figures are given as a ratio too.
 */

import { loadTemplates } from '../cli/template-source.js';
import { resolveBrand } from '../functions/domain/brand.js';
import { DEFAULT_CONFIG } from '../functions/domain/config.js';
import type { Locale } from '../functions/domain/locale.js';
import type { Cart, Profile, TemplateVersion } from '../functions/domain/model.js';
import {
  renderMessage,
  renderMessageLiquid,
  type TemplateVariables,
  templateVariables,
} from '../functions/domain/render.js';
import { median, type Spread, spread } from './stats.js';

/** One render path's rates over the batches: by wall time, and by the process's CPU time (user + system). */
export interface RenderRates {
  rendersPerSecond: Spread;
  /** Renders per CPU-second of the process: what one core does, whatever else shares the machine. */
  rendersPerCpuSecond: Spread;
  perBatch: number;
}

export interface RenderBench {
  /** The send path (renderMessage). */
  rendersPerSecond: Spread;
  rendersPerCpuSecond: Spread;
  /** The reference path (renderMessageLiquid), timed in the same run, batches interleaved. */
  reference: RenderRates;
  /** Median over the batch pairs of send-path rate / reference rate (wall time). */
  speedup: number;
  /** Mean size of one rendered message (subject + HTML + text), bytes. */
  messageBytes: number;
  /** Journeys x languages rendered in turn. */
  cases: number;
  batches: number;
  perBatch: number;
}

const ITEMS = [
  {
    sku: 'SKU-101',
    name: 'Sencha',
    price: 12.5,
    quantity: 2,
    category: 'tea',
    url: 'https://shop.example/p/SKU-101',
  },
  {
    sku: 'SKU-304',
    name: 'Burr Grinder',
    price: 59.9,
    quantity: 1,
    category: 'kitchen',
    url: 'https://shop.example/p/SKU-304',
  },
  {
    sku: 'SKU-207',
    name: 'Kenya AA',
    price: 14.2,
    quantity: 1,
    category: 'coffee',
    url: 'https://shop.example/p/SKU-207',
  },
];
const RECOMMENDATIONS = [
  {
    sku: 'SKU-105',
    name: 'Jasmine Pearls',
    price: 18,
    category: 'tea',
    url: 'https://shop.example/p/SKU-105',
  },
  {
    sku: 'SKU-306',
    name: 'Tea Strainer',
    price: 7.5,
    category: 'kitchen',
    url: 'https://shop.example/p/SKU-306',
  },
  {
    sku: 'SKU-402',
    name: 'Coffee Basics',
    price: 24,
    category: 'books',
    url: 'https://shop.example/p/SKU-402',
  },
];
const CART: Cart = {
  cartId: 'K-0042',
  customerId: 'C00042',
  items: ITEMS,
  currency: 'EUR',
  total: 99.1,
  status: 'open',
  updatedAt: '2026-12-01T10:00:00Z',
};
// Signed links are ~200 characters, like the ones functions/domain/links.ts makes.
const TOKEN =
  'eyJwIjoidW5zdWJzY3JpYmUiLCJjIjoiQzAwMDQyIiwibSI6ImI3ZTFhYjQ2LTk5ZDMtNWJkMC1hMWM1LTEyMzQ1Njc4OWFiYyIsImUiOjE3OTk5OTk5OTl9.local-1.x1B6p2TqkQe0pR8nZ3vW9yL4mK7sD2fG5hJ8kL1zX0c';

const LANGUAGES: Locale[] = ['en', 'de', 'fr'];

function variables(journey: TemplateVersion['journey'], language: Locale): TemplateVariables {
  const profile: Profile = {
    customerId: 'C00042',
    email: 'c00042@customers.example',
    firstName: 'Priya',
    locale: language,
  };
  const base = 'https://links.shop.example';
  return templateVariables({
    journey,
    profile,
    brand: resolveBrand({
      brand: DEFAULT_CONFIG.brand,
      sender: {
        shopName: 'Leaf & Bean',
        postalAddress: 'Leaf & Bean GmbH, Teestraße 1, 10115 Berlin, Germany',
      },
    }),
    currency: 'EUR',
    locale: { language, tag: language },
    ...(journey === 'cart_reminder' && { cart: CART }),
    ...(journey === 'order_followup' && {
      order: { orderId: 'O-0042', items: ITEMS, total: 99.1, currency: 'EUR' },
    }),
    recommendations: RECOMMENDATIONS,
    links: {
      unsubscribe: `${base}/u/${TOKEN}`,
      preferences: `${base}/p/${TOKEN}`,
      why: `${base}/why/${TOKEN}`,
    },
  });
}

type Render = (template: TemplateVersion, vars: TemplateVariables) => Promise<unknown>;

/** One timed batch: renders per wall second and per CPU second. */
async function batch(render: Render, cases: Case[], count: number): Promise<{ wall: number; cpu: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const c = cases[i % cases.length]!;
    await render(c.template, c.vars);
  }
  const wall = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return { wall: count / wall, cpu: count / ((used.user + used.system) / 1e6) };
}

interface Case {
  template: TemplateVersion;
  vars: TemplateVariables;
}

export async function benchRender(options: {
  dir: string;
  batches?: number;
  perBatch?: number;
  /** Renders per batch of the reference path (about ten times slower). */
  referencePerBatch?: number;
}): Promise<RenderBench> {
  const batches = options.batches ?? 7;
  const perBatch = options.perBatch ?? 4_000;
  const referencePerBatch = options.referencePerBatch ?? 400;
  const drafts = await loadTemplates(options.dir, '2026-12-01T00:00:00Z');
  const cases: Case[] = drafts.flatMap((draft) =>
    LANGUAGES.map((language) => ({
      template: { ...draft, version: 'v000001' } as TemplateVersion,
      vars: variables(draft.journey, language),
    })),
  );
  let bytes = 0;
  for (const c of cases) {
    const out = await renderMessage(c.template, c.vars); // warm-up: parse and cache
    await renderMessageLiquid(c.template, c.vars);
    bytes += out.subject.length + Buffer.byteLength(out.html) + Buffer.byteLength(out.text);
  }
  await batch(renderMessage, cases, perBatch); // warm-up: let the JIT settle on both paths
  await batch(renderMessageLiquid, cases, referencePerBatch);
  const send: Array<{ wall: number; cpu: number }> = [];
  const reference: Array<{ wall: number; cpu: number }> = [];
  for (let b = 0; b < batches; b++) {
    send.push(await batch(renderMessage, cases, perBatch));
    reference.push(await batch(renderMessageLiquid, cases, referencePerBatch));
  }
  return {
    rendersPerSecond: spread(send.map((r) => r.wall)),
    rendersPerCpuSecond: spread(send.map((r) => r.cpu)),
    reference: {
      rendersPerSecond: spread(reference.map((r) => r.wall)),
      rendersPerCpuSecond: spread(reference.map((r) => r.cpu)),
      perBatch: referencePerBatch,
    },
    speedup: median(send.map((r, i) => r.wall / reference[i]!.wall)),
    messageBytes: Math.round(bytes / cases.length),
    cases: cases.length,
    batches,
    perBatch,
  };
}
