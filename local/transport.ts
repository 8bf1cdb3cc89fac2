/**
 * How the handlers' SDK clients reach the local stand-ins. Every stand-in is a `LocalService` (a request in,
 * a reply out); `serveLocal` puts one behind an HTTP server on a free port (the `http` transport, and what
 * other tools and a browser can reach), `MemoryRequestHandler` hands the SDK's request to it in the same
 * process without a socket (the `memory` transport, the default: the same service code, about a third less
 * work per call). Requests on the memory transport are not signed: no stand-in checks a signature
 * (dynalite and the SES emulator only check that an Authorization header is present, local/dynamo.ts and
 * local/ses.ts say how they are satisfied).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { HttpRequest, HttpResponse } from '@smithy/types';
import { type Listening, listen, readBody } from './net.js';

/** `memory`: in-process, no sockets, unsigned; `http`: sockets and SigV4, as against AWS. */
export type Transport = 'http' | 'memory';

export const DEFAULT_TRANSPORT: Transport = 'memory';

export interface LocalRequest {
  method: string;
  /** The path without the query string, e.g. `/schedules/x`. */
  path: string;
  query: URLSearchParams;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: Buffer;
}

export interface LocalReply {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

/** A stand-in's logic: the same function behind both transports. */
export type LocalService = (request: LocalRequest) => Promise<LocalReply>;

/** Thrown by a service to drop the connection without an answer (an injected fault). */
export class ConnectionResetSignal extends Error {
  constructor() {
    super('connection reset by the stand-in');
    this.name = 'ConnectionResetSignal';
  }
}

/** A JSON reply; with `errorType`, also the header the SDK's REST-JSON and JSON-RPC parsers read the error name from. */
export function jsonReply(status: number, body: unknown, errorType?: string): LocalReply {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (errorType) headers['x-amzn-ErrorType'] = errorType;
  return { status, headers, body: JSON.stringify(body) };
}

/** The request body parsed as a JSON object ({} when empty). */
export function jsonBody(request: LocalRequest): Record<string, unknown> {
  if (request.body.length === 0) return {};
  return JSON.parse(request.body.toString('utf8')) as Record<string, unknown>;
}

/** Serves `service` over HTTP on 127.0.0.1 (free port); an unexpected exception becomes a 500. */
export function serveLocal(service: LocalService): Promise<Listening> {
  const server = createServer((req, res) => {
    void answerHttp(service, req, res);
  });
  return listen(server);
}

async function answerHttp(service: LocalService, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const url = new URL(req.url ?? '/', 'http://local');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const reply = await service({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers,
      body: await readBody(req),
    });
    const body = typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body;
    res.writeHead(reply.status, { ...reply.headers, 'content-length': String(body.length) });
    res.end(body);
  } catch (error) {
    if (error instanceof ConnectionResetSignal) {
      // A TCP reset: the sender gets no answer at all.
      const socket = res.socket;
      if (socket && typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
      else socket?.destroy();
      return;
    }
    const reply = internalError(error);
    res.writeHead(reply.status, reply.headers);
    res.end(reply.body);
  }
}

/** What both transports answer when a service throws unexpectedly. */
function internalError(error: unknown): LocalReply {
  return jsonReply(500, { message: String(error) }, 'InternalServerException');
}

const HOP_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

/** A service that forwards every request to an HTTP endpoint (a stand-in reached over the http transport). */
export function httpService(endpoint: string): LocalService {
  return async (request) => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (!HOP_HEADERS.has(name)) headers[name] = value;
    }
    const query = request.query.toString();
    const bodyless = request.method === 'GET' || request.method === 'HEAD';
    const response = await fetch(`${endpoint}${request.path}${query ? `?${query}` : ''}`, {
      method: request.method,
      headers,
      ...(bodyless ? {} : { body: request.body }),
    });
    const replyHeaders: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      if (!HOP_HEADERS.has(name)) replyHeaders[name] = value;
    });
    return {
      status: response.status,
      headers: replyHeaders,
      body: Buffer.from(await response.arrayBuffer()),
    };
  };
}

/**
 * An AWS SDK v3 `requestHandler` that hands each request to `service` in memory. A dropped connection
 * surfaces as Node's HTTP handler reports one (`TimeoutError`, code ECONNRESET), so the handlers see the
 * same error on both transports.
 */
export class MemoryRequestHandler {
  readonly metadata = { handlerProtocol: 'local/memory' };

  constructor(private readonly service: LocalService) {}

  async handle(request: HttpRequest): Promise<{ response: HttpResponse }> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(request.query ?? {})) {
      for (const one of Array.isArray(value) ? value : [value]) if (one !== null) query.append(name, one);
    }
    let reply: LocalReply;
    try {
      reply = await this.service({
        method: request.method,
        path: request.path,
        query,
        headers,
        body: toBuffer(request.body),
      });
    } catch (error) {
      if (error instanceof ConnectionResetSignal) throw connectionReset();
      reply = internalError(error);
    }
    const body = typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body;
    return { response: { statusCode: reply.status, reason: '', headers: { ...reply.headers }, body } };
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  destroy(): void {}
}

function toBuffer(body: unknown): Buffer {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError('the memory transport takes string or byte bodies only (no streams)');
}

/** What @smithy/node-http-handler rejects with when the server resets the socket. */
function connectionReset(): Error {
  return Object.assign(new Error('read ECONNRESET'), {
    name: 'TimeoutError',
    code: 'ECONNRESET',
    errno: -104,
    syscall: 'read',
  });
}

/**
 * SDK client settings for a stand-in on `transport`: on `memory`, the in-process handler and no signing
 * (an auth scheme that signs nothing); on `http`, nothing (the SDK's own socket handler and SigV4).
 */
export function transportConfig(transport: Transport, service: LocalService): Record<string, unknown> {
  if (transport === 'http') return {};
  return {
    requestHandler: new MemoryRequestHandler(service),
    httpAuthSchemes: [
      {
        schemeId: 'smithy.api#noAuth',
        identityProvider: () => async () => ({}),
        signer: { sign: async (request: HttpRequest) => request },
      },
    ],
    httpAuthSchemeProvider: () => [{ schemeId: 'smithy.api#noAuth' }],
  };
}
