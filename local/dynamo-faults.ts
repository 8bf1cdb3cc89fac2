/**
 * A proxy in front of the local DynamoDB that throttles or fails calls as `faults.dynamodb` says, the way
 * DynamoDB answers when a table is over its capacity or has a bad moment. The SDK's own retries see these
 * answers first; what they do not cure reaches the handlers (and the error contract maps it to TransientError).
 */
import type { DynamoTarget } from './capacity.js';
import { type DynamoFaultRule, DynamoFaultRules } from './faults.js';
import { httpService, jsonReply, type LocalService, serveLocal } from './transport.js';

const HOP_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

export interface DynamoFaultProxy {
  endpoint: string;
  /** The proxy's logic, for the memory transport. */
  service: LocalService;
  /** Calls answered with a fault, by mode. */
  injected(): { throttle: number; error: number };
  close(): Promise<void>;
}

/** Starts the proxy in front of `target` (an endpoint URL: reached over HTTP). */
export async function startDynamoFaults(
  target: string | DynamoTarget,
  rules: readonly DynamoFaultRule[],
): Promise<DynamoFaultProxy> {
  const forward = typeof target === 'string' ? httpService(target) : target.service;
  const faults = new DynamoFaultRules(rules);
  const injected = { throttle: 0, error: 0 };
  const service: LocalService = async (request) => {
    const operation = (request.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    const mode = faults.next(operation);
    if (mode === 'throttle') {
      injected.throttle += 1;
      return jsonReply(
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
      return jsonReply(
        500,
        {
          __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
          message: 'Injected: internal error',
        },
        'InternalServerError',
      );
    }
    const headers = Object.fromEntries(
      Object.entries(request.headers).filter(([name]) => !HOP_HEADERS.has(name)),
    );
    const reply = await forward({ ...request, method: 'POST', headers });
    return {
      status: reply.status,
      headers: {
        'content-type': reply.headers['content-type'] ?? 'application/x-amz-json-1.0',
        ...(reply.headers['x-amzn-requestid']
          ? { 'x-amzn-requestid': reply.headers['x-amzn-requestid'] }
          : {}),
      },
      body: reply.body,
    };
  };
  const listening = await serveLocal(service);
  return {
    endpoint: listening.endpoint,
    service,
    injected: () => ({ ...injected }),
    close: listening.close,
  };
}
