/**
 * A proxy in front of the local DynamoDB that throttles or fails calls as `faults.dynamodb` says, the way
 * DynamoDB answers when a table is over its capacity or has a bad moment. The SDK's own retries see these
 * answers first; what they do not cure reaches the handlers (and the error contract maps it to TransientError).
 */
import { type DynamoFaultRule, DynamoFaultRules } from './faults.js';
import { readBody, sendJson, serve } from './net.js';

const HOP_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

export interface DynamoFaultProxy {
  endpoint: string;
  /** Calls answered with a fault, by mode. */
  injected(): { throttle: number; error: number };
  close(): Promise<void>;
}

export async function startDynamoFaults(
  target: string,
  rules: readonly DynamoFaultRule[],
): Promise<DynamoFaultProxy> {
  const faults = new DynamoFaultRules(rules);
  const injected = { throttle: 0, error: 0 };
  const listening = await serve(async (req, res) => {
    const body = await readBody(req);
    const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    const mode = faults.next(operation);
    if (mode === 'throttle') {
      injected.throttle += 1;
      return sendJson(
        res,
        400,
        {
          __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
          message: 'Injected: the table is over its capacity',
        },
        'ProvisionedThroughputExceededException',
      );
    }
    if (mode === 'error') {
      injected.error += 1;
      return sendJson(
        res,
        500,
        {
          __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
          message: 'Injected: internal error',
        },
        'InternalServerError',
      );
    }
    const headers = Object.fromEntries(
      Object.entries(req.headers)
        .filter(([name]) => !HOP_HEADERS.has(name))
        .map(([name, value]) => [name, String(value)]),
    );
    const reply = await fetch(target, { method: 'POST', headers, body });
    const payload = Buffer.from(await reply.arrayBuffer());
    res.writeHead(reply.status, {
      'content-type': reply.headers.get('content-type') ?? 'application/x-amz-json-1.0',
      'content-length': String(payload.length),
      ...(reply.headers.get('x-amzn-requestid')
        ? { 'x-amzn-requestid': reply.headers.get('x-amzn-requestid')! }
        : {}),
    });
    res.end(payload);
  });
  return { endpoint: listening.endpoint, injected: () => ({ ...injected }), close: listening.close };
}
