/** Small HTTP helpers shared by the local emulators: listen on a free port, read JSON, answer like AWS. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export interface Listening {
  readonly server: Server;
  /** http://127.0.0.1:<port> */
  readonly endpoint: string;
  readonly close: () => Promise<void>;
}

/** Listens on 127.0.0.1 with an OS-chosen port, so parallel test processes never collide. */
export async function listen(server: Server): Promise<Listening> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return { server, endpoint: `http://127.0.0.1:${port}`, close: () => closeServer(server) };
}

/** Serves `handler`, turning an unexpected exception into a 500 instead of a hung request. */
export function serve(handler: RequestHandler): Promise<Listening> {
  const server = createServer((req, res) => {
    handler(req, res).catch((error: unknown) => {
      sendJson(res, 500, { message: String(error) }, 'InternalServerException');
    });
  });
  return listen(server);
}

export function closeServer(server: Server): Promise<void> {
  // The SDK keeps sockets alive; without this close() would wait for them to time out.
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const body = await readBody(req);
  if (body.length === 0) return {};
  return JSON.parse(body.toString('utf8')) as Record<string, unknown>;
}

/** Answers JSON; with `errorType`, also the header the SDK's REST-JSON and JSON-RPC parsers read the error name from. */
export function sendJson(res: ServerResponse, status: number, body: unknown, errorType?: string): void {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (errorType) headers['x-amzn-ErrorType'] = errorType;
  res.writeHead(status, headers);
  res.end(JSON.stringify(body));
}
