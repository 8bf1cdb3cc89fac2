import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type CustomerHandler,
  type CustomerServer,
  startCustomerServer,
} from '../../local/customer-server.js';

describe('Class: local customer server', () => {
  let server: CustomerServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  /** Starts a server whose handler records the event and answers with `reply`. */
  async function start(reply: Awaited<ReturnType<CustomerHandler>> | Error) {
    const events: APIGatewayProxyEventV2[] = [];
    server = await startCustomerServer({
      onError: () => {},
      handler: async (event) => {
        events.push(event);
        if (reply instanceof Error) throw reply;
        return reply;
      },
    });
    return { events, url: server.url };
  }

  it('turns a GET into a function-URL event with lowercase headers, raw path and query', async () => {
    // Prepare
    const { events, url } = await start({ statusCode: 200, headers: { 'x-answer': '42' }, body: 'ok' });

    // Act
    const response = await fetch(`${url}/p/token/export?saved=topics&a=1`, {
      headers: { 'X-Custom': 'Yes' },
    });

    // Assess
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-answer')).toBe('42');
    expect(await response.text()).toBe('ok');
    expect(events[0]).toMatchObject({
      version: '2.0',
      rawPath: '/p/token/export',
      rawQueryString: 'saved=topics&a=1',
      queryStringParameters: { saved: 'topics', a: '1' },
      headers: { 'x-custom': 'Yes', host: url.slice('http://'.length) },
      requestContext: { http: { method: 'GET', path: '/p/token/export', sourceIp: '127.0.0.1' } },
      isBase64Encoded: false,
    });
    expect(events[0]).not.toHaveProperty('body');
  });

  it('passes a form as text and a binary body as base64', async () => {
    // Prepare
    const { events, url } = await start({ statusCode: 303, headers: { location: '/p/t?saved=topics' } });
    const bytes = Buffer.from([0, 255, 1, 254]);

    // Act
    const form = await fetch(`${url}/p/t/topics`, {
      method: 'POST',
      body: new URLSearchParams('email=opted_in&topic=birthday'),
      redirect: 'manual',
    });
    await fetch(`${url}/p/t/topics`, {
      method: 'POST',
      body: bytes,
      headers: { 'content-type': 'application/octet-stream' },
      redirect: 'manual',
    });

    // Assess
    expect(form.status).toBe(303);
    expect(form.headers.get('location')).toBe('/p/t?saved=topics');
    expect(events[0]).toMatchObject({ body: 'email=opted_in&topic=birthday', isBase64Encoded: false });
    expect(events[1]).toMatchObject({ body: bytes.toString('base64'), isBase64Encoded: true });
  });

  it('decodes a base64 result, and answers 500 without details when the handler throws', async () => {
    // Prepare
    const binary = await start({
      statusCode: 200,
      body: Buffer.from('{"a":1}').toString('base64'),
      isBase64Encoded: true,
    });

    // Act
    const decoded = await (await fetch(`${binary.url}/x`)).text();
    await server?.close();
    const failing = await start(new Error('secret detail'));
    const error = await fetch(`${failing.url}/x`);

    // Assess
    expect(decoded).toBe('{"a":1}');
    expect(error.status).toBe(500);
    expect(await error.text()).not.toContain('secret');
  });
});
