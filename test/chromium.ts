/** The browser the tests drive: Debian's chromium, headless, with nothing of its own on the network. */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches chromium; fails, never skips, when it is missing (a missing browser must not turn a suite green). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `The browser tests need Debian's chromium at ${CHROMIUM}. Install it (.ci/run does: apt-get install chromium).`,
    );
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}
