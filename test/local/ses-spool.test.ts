import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EmailSpool } from '../../local/ses-spool.js';
import type { LocalEmail } from '../../local/ses-types.js';

const email = (n: number, bodies: Pick<LocalEmail, 'html' | 'text'>): LocalEmail => ({
  messageId: `local-${String(n).padStart(6, '0')}`,
  sentAt: `2026-03-01T10:00:0${n}.000Z`,
  from: 'shop@example.com',
  to: [`c${n}@example.com`],
  cc: [],
  bcc: [],
  replyTo: [],
  subject: `Hello ${n}`,
  ...bodies,
  headers: [{ name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' }],
  tags: { journey: 'birthday', message_id: `m${n}` },
  tracking: { opens: true, clicks: true },
});

describe('Class: EmailSpool', () => {
  it('lists emails in the order added without bodies, and loads each back whole, byte for byte', async () => {
    // Prepare
    const spool = await EmailSpool.open();
    const html = `<p>${'Grüße, 你好 – '.repeat(5000)}</p>`;
    const emails = [
      email(1, { html, text: 'one\r\ntwo' }),
      email(2, { text: 'text only' }),
      email(3, { html: '<p>html only</p>' }),
    ];

    // Act
    for (const e of emails) await spool.add(e);
    const listed = spool.list();
    const loaded = await Promise.all([...listed].reverse().map((e) => spool.load(e)));

    // Assess
    expect(listed.map((e) => e.messageId)).toEqual(['local-000001', 'local-000002', 'local-000003']);
    for (const e of listed) {
      expect(e).not.toHaveProperty('html');
      expect(e).not.toHaveProperty('text');
    }
    expect(loaded.reverse()).toEqual(emails);
    expect(loaded[1]).not.toHaveProperty('html');
    expect(loaded[2]).not.toHaveProperty('text');
    await spool.close();
  });

  it('refuses an email it does not hold, and removes its directory when closed', async () => {
    // Prepare
    const spool = await EmailSpool.open();
    await spool.add(email(1, { text: 'x' }));

    // Act
    const missing = await spool.load({ messageId: 'local-999999' }).catch((error: unknown) => error);
    await spool.close();

    // Assess
    expect(missing).toBeInstanceOf(Error);
    expect((missing as Error).message).toContain('local-999999');
    expect(existsSync(spool.dir)).toBe(false);
  });
});
