/**
 * The customer endpoints on localhost: a tiny node:http server that turns each request into the event a
 * Lambda function URL delivers (payload format 2.0) and writes the handler's result back, so unsubscribe,
 * "why" and preference links from embedded-mode emails can be opened in a browser.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export type CustomerHandler = (
  event: APIGatewayProxyEventV2,
) => Promise<APIGatewayProxyStructuredResultV2 | string | undefined>;

export interface CustomerServerOptions {
  /** The customer-http handler (or a stand-in). */
  handler: CustomerHandler;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Loopback only: these pages act on customer data and must not be reachable from the network. */
  host?: '127.0.0.1';
  /** Where handler errors go (the caller gets a bare 500). @default console.error */
  onError?: (error: unknown) => void;
}

export interface CustomerServer {
  /** e.g. http://127.0.0.1:8787 */
  url: string;
  close(): Promise<void>;
}

/** Bodies larger than a function URL accepts (6 MB) are refused before the handler runs. */
const MAX_BODY_BYTES = 6 * 1024 * 1024;

/** A failure of the local server itself (not of the handler, whose errors become a 500). */
export class CustomerServerError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CustomerServerError';
  }
}

export async function startCustomerServer(options: CustomerServerOptions): Promise<CustomerServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    serve(options.handler, req, res).catch((error: unknown) => {
      // Like a function URL: the caller sees a bare 500, the details stay in the (local) log.
      (options.onError ?? ((e: unknown) => console.error('customer endpoint failed', e)))(error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Internal Server Error');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (cause) =>
      reject(new CustomerServerError(`Cannot listen on ${host}:${options.port ?? 0}`, { cause })),
    );
    server.listen(options.port ?? 0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function serve(handler: CustomerHandler, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  if (body === undefined) {
    res.writeHead(413, { 'content-type': 'text/plain; charset=utf-8' }).end('Payload Too Large');
    return;
  }
  const result = await handler(toEvent(req, body));
  // A function URL turns a bare string (or nothing) into a 200 JSON response.
  const structured: APIGatewayProxyStructuredResultV2 =
    typeof result === 'object' && result !== null
      ? result
      : { statusCode: 200, headers: { 'content-type': 'application/json' }, body: result ?? '' };
  const payload = structured.isBase64Encoded
    ? Buffer.from(structured.body ?? '', 'base64')
    : Buffer.from(structured.body ?? '', 'utf8');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(structured.headers ?? {})) headers[name] = String(value);
  res.writeHead(structured.statusCode ?? 200, headers);
  res.end(req.method === 'HEAD' ? undefined : payload);
}

/** The function URL event (payload 2.0): lowercase headers, raw path and query, base64 for binary bodies. */
export function toEvent(req: IncomingMessage, body: Buffer): APIGatewayProxyEventV2 {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const text = isText(headers['content-type']);
  const rawQueryString = url.search.slice(1);
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = key in query ? `${query[key]},${value}` : value;
  const now = new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString,
    headers,
    ...(rawQueryString ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: 'anonymous',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length ? { body: text ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: body.length > 0 && !text,
  };
}

/** Function URLs pass text bodies as they are and base64-encode everything else. */
function isText(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return (
    type.startsWith('text/') ||
    type === 'application/x-www-form-urlencoded' ||
    type === 'application/json' ||
    type.endsWith('+json') ||
    type === 'application/xml'
  );
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
