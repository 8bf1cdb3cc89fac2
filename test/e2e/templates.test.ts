/**
 * `reciprocity templates` as a marketer uses it, against a local store on disk: validate, push, list, pull
 * (round trip to the same files) and preview; plus the errors a user can fix (exit 2).
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from './cli.js';

/** Every file under `dir`, relative, sorted. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

describe('CLI: reciprocity templates', () => {
  let work: string;
  let store: string;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'reciprocity-e2e-templates-'));
    store = join(work, 'db');
  });

  it('validates the starter templates (exit 0, one OK line per journey)', () => {
    // Act
    const run = cli(['templates', 'validate', 'templates']);
    // Assess
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.trim().split('\n')).toEqual([
      'cart_reminder: OK',
      'order_followup: OK',
      'birthday: OK',
      'winback: OK',
    ]);
  });

  it('lists the reasons of a broken copy and exits 1', () => {
    // Prepare
    const broken = join(work, 'broken');
    cpSync('templates', broken, { recursive: true });
    const body = join(broken, 'cart_reminder/body.mjml');
    writeFileSync(
      body,
      readFileSync(body, 'utf8').replace('{{ customer.firstName }}', '{{ customer.email }}'),
    );
    const text = join(broken, 'birthday/body.txt.liquid');
    writeFileSync(text, readFileSync(text, 'utf8').replace('{{ links.unsubscribe }}', ''));
    // Act
    const run = cli(['templates', 'validate', broken]);
    // Assess
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('cart_reminder: 1 problem\n');
    expect(run.stdout).toMatch(/cart_reminder\/body\.mjml:\d+: unknown variable customer\.email/);
    expect(run.stdout).toContain('birthday/body.txt.liquid: no {{ links.unsubscribe }} link in the text');
    expect(run.stdout).toContain('order_followup: OK');
  });

  it('pushes and publishes version 1, then lists it as published', () => {
    // Act
    const push = cli(['templates', 'push', 'templates', '--publish', '--author', 'mia', '--local', store]);
    const list = cli(['templates', 'list', '--local', store]);
    // Assess
    expect(push.status).toBe(0);
    expect(push.stdout.trim().split('\n')).toEqual([
      'cart_reminder@v000001 (published)',
      'order_followup@v000001 (published)',
      'birthday@v000001 (published)',
      'winback@v000001 (published)',
    ]);
    expect(list.status).toBe(0);
    expect(list.stdout).toContain('cart_reminder: published v000001');
    expect(list.stdout).toMatch(/ {2}v000001 {2}\d{4}-\d\d-\d\dT[\d:.]+Z {2}mia +published/);
  });

  it('adds version 2 on the next push without publishing it', () => {
    // Act
    const push = cli(['templates', 'push', '--journey', 'birthday', '--author', 'mia', '--local', store]);
    const list = cli(['templates', 'list', '--journey', 'birthday', '--local', store]);
    // Assess
    expect(push.status).toBe(0);
    expect(push.stdout.trim()).toBe('birthday@v000002');
    expect(list.stdout).toContain('birthday: published v000001');
    expect(list.stdout).toMatch(/ {2}v000002 {2}\S+ {2}mia\n/);
  });

  it('pulls the published versions back to files equal to the sources, which validate', () => {
    // Prepare
    const out = join(work, 'pulled');
    // Act
    const pull = cli(['templates', 'pull', '--out', out, '--local', store]);
    const validate = cli(['templates', 'validate', out]);
    // Assess
    expect(pull.status).toBe(0);
    expect(pull.stdout).toContain('cart_reminder@v000001');
    expect(filesUnder(out)).toEqual(filesUnder('templates'));
    for (const file of filesUnder('templates')) {
      expect(readFileSync(join(out, file), 'utf8'), file).toBe(readFileSync(join('templates', file), 'utf8'));
    }
    expect(validate.status).toBe(0);
  });

  it('pulls a given version of one journey', () => {
    // Prepare
    const out = join(work, 'pulled-v2');
    // Act
    const pull = cli(['templates', 'pull', '--out', out, '--journey', 'birthday', '--version', 'v000002']);
    const withStore = cli([
      ...['templates', 'pull', '--out', out, '--journey', 'birthday', '--version', 'v000002'],
      ...['--local', store],
    ]);
    // Assess
    expect(pull.status).toBe(2);
    expect(pull.stderr).toContain('--table NAME');
    expect(withStore.status).toBe(0);
    expect(filesUnder(out)).toEqual([
      '_footer.mjml',
      '_head.mjml',
      '_header.mjml',
      '_incentive.mjml',
      'birthday/body.mjml',
      'birthday/body.txt.liquid',
      'birthday/de/body.mjml',
      'birthday/de/body.txt.liquid',
      'birthday/de/subject.liquid',
      'birthday/fr/body.mjml',
      'birthday/fr/body.txt.liquid',
      'birthday/fr/subject.liquid',
      'birthday/subject.liquid',
    ]);
  });

  it('publishes a version as variant B beside the current one, and lists it', () => {
    // Act
    const push = cli([
      ...['templates', 'push', '--journey', 'birthday', '--publish', '--variant', 'B'],
      ...['--author', 'mia', '--local', store],
    ]);
    const list = cli(['templates', 'list', '--journey', 'birthday', '--local', store]);
    const unpublished = cli([
      'templates',
      'push',
      '--journey',
      'birthday',
      '--variant',
      'B',
      '--local',
      store,
    ]);
    // Assess
    expect(push.status).toBe(0);
    expect(push.stdout.trim()).toBe('birthday@v000003 (published as variant B)');
    expect(list.stdout).toContain('birthday: published v000001');
    expect(list.stdout).toMatch(/ {2}v000001 .* published\n/);
    expect(list.stdout).toMatch(/ {2}v000003 .* variant B\n/);
    expect(unpublished.status).toBe(2);
    expect(unpublished.stderr).toContain('--variant needs --publish');
  });

  it('previews with the sample customer: HTML file with their name, subject and text on stdout', () => {
    // Prepare
    const out = join(work, 'preview', 'cart.html');
    // Act
    const run = cli(['templates', 'preview', '--journey', 'cart_reminder', 'templates', '--out', out]);
    // Assess
    expect(run.status).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('Hi Ada, you left these behind');
    expect(html).toContain('https://example.invalid/unsubscribe/');
    expect(run.stdout).toMatch(/^Subject: Ada, your cart at Demo Shop is saved for you\n\nHi Ada,/);
    expect(run.stdout).toContain('Unsubscribe: https://example.invalid/unsubscribe/');
  });

  it('previews with a real profile from a profiles file', () => {
    // Prepare
    const profiles = join(work, 'profiles.jsonl');
    writeFileSync(
      profiles,
      `${JSON.stringify({ customerId: 'c-7', email: 'zoe@e2e.example', firstName: 'Zoë' })}\n`,
    );
    const out = join(work, 'preview', 'birthday.html');
    // Act
    const args = ['--journey', 'birthday', '--customer', 'c-7', '--profiles', profiles, '--out', out];
    const run = cli(['templates', 'preview', ...args]);
    // Assess
    expect(run.status).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('Zoë');
    expect(run.stdout).toMatch(/^Subject: .*Zoë/);
  });

  it('explains bad flags and missing AWS settings with exit 2', () => {
    // Prepare: no region or credentials from anywhere (environment, ~/.aws, instance metadata).
    const saved = { ...process.env };
    for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) delete process.env[key];
    Object.assign(process.env, {
      AWS_CONFIG_FILE: join(work, 'none'),
      AWS_SHARED_CREDENTIALS_FILE: join(work, 'none'),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    });
    try {
      // Act
      const noWhere = cli(['templates', 'list']);
      const both = cli(['templates', 'list', '--table', 't', '--local', store]);
      const noRegion = cli(['templates', 'list', '--table', 'reciprocity-templates']);
      process.env.AWS_REGION = 'eu-west-1';
      const noCredentials = cli(['templates', 'list', '--table', 'reciprocity-templates']);
      const badJourney = cli(['templates', 'validate', '--journey', 'newsletter']);
      const notAStore = cli(['templates', 'push', '--local', 'templates']);
      // Assess
      for (const run of [noWhere, both, noRegion, noCredentials, badJourney, notAStore])
        expect(run.status).toBe(2);
      expect(noWhere.stderr).toContain('--table NAME (DynamoDB on AWS) or --local [DIR]');
      expect(both.stderr).toContain('not both');
      expect(noRegion.stderr).toContain('set AWS_REGION');
      expect(noCredentials.stderr).toContain('No AWS credentials found: set AWS_PROFILE');
      expect(badJourney.stderr).toContain('--journey must be one of');
      expect(notAStore.stderr).toContain('--local templates is not a local store');
    } finally {
      process.env = saved;
    }
  });
});
