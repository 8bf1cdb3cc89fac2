/**
 * The `fast` local DynamoDB: dynalite's own request checks, validations and actions (its DynamoDB semantics:
 * errors and their messages, conditions, updates, queries and their pages, consumed capacity), run as a
 * LocalService without what costs most per request in embedded mode and changes no answer:
 * - its storage (memory-level) is replaced by sorted Maps with synchronous callbacks (./store.ts);
 * - an expression is parsed once per kind of request, not on every request (./expressions.ts);
 * - no fake HTTP request and response objects, and a request id from a counter instead of 39 random bytes.
 * dynalite's HTTP front (index.js httpHandler) is followed step by step, except that the signature headers
 * are not looked at: every caller here is a local SDK client (unsigned on the memory transport, signed with
 * dummy keys on http) and dynalite never checks a signature either.
 *
 * Why not a DynamoDB stand-in of our own (a Map per table and our own expression code): most of dynalite's
 * time went to the parts replaced here (measured: expression parsing 9% of a run's CPU, storage and its
 * callbacks about 8%); what is left (type checks, validations, key encoding, the actions) is what makes its
 * answers and its capacity units DynamoDB's, and a rewrite would have to prove every one of them again.
 */
import { createRequire } from 'node:module';
import { crc32 } from 'node:zlib';
import type { LocalReply, LocalService } from '../transport.js';
import { ExpressionCache } from './expressions.js';
import { createStore, type FastStore, type StoreOptions } from './store.js';

type Data = Record<string, unknown>;
type ActionCallback = (
  error: (Error & { statusCode?: number; body?: unknown }) | null,
  data?: unknown,
) => void;
type Action = (store: FastStore, data: Data, cb: ActionCallback) => void;
interface ActionValidation {
  types: Record<string, unknown>;
  custom?: (data: Data, store: FastStore) => string | undefined;
}
interface Validations {
  checkTypes(data: Data, types: Record<string, unknown>): Data;
  checkValidations(
    data: Data,
    types: Record<string, unknown>,
    custom: ActionValidation['custom'],
    store: FastStore,
  ): void;
}

const dynalite = createRequire(import.meta.url);
const validations = dynalite('dynalite/validations/index.js') as Validations;
/** dynalite's operations (index.js validOperations), each with its validation and action module. */
const OPERATIONS = [
  'BatchGetItem',
  'BatchWriteItem',
  'CreateTable',
  'DeleteItem',
  'DeleteTable',
  'DescribeTable',
  'DescribeTimeToLive',
  'GetItem',
  'ListTables',
  'PutItem',
  'Query',
  'Scan',
  'TagResource',
  'UntagResource',
  'ListTagsOfResource',
  'UpdateItem',
  'UpdateTable',
];
const API_VERSIONS = new Set(['DynamoDB_20111205', 'DynamoDB_20120810']);
const operations = new Map<string, { action: Action; validation: ActionValidation }>(
  OPERATIONS.map((name) => {
    const file = name[0]!.toLowerCase() + name.slice(1);
    return [
      name,
      {
        action: dynalite(`dynalite/actions/${file}.js`) as Action,
        validation: dynalite(`dynalite/validations/${file}.js`) as ActionValidation,
      },
    ];
  }),
);
const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

export interface FastDynamo {
  readonly service: LocalService;
  /** Requests whose expressions were parsed again / taken from the cache. */
  parses(): { misses: number; hits: number };
}

/** Starts an empty fast local DynamoDB (dynalite's options, all in memory). */
export function startFastDynamo(options: Partial<StoreOptions> = {}): FastDynamo {
  const store = createStore(options);
  const expressions = new ExpressionCache();
  let requests = 0;

  const reply = (contentType: string, data: unknown, status = 200): LocalReply => {
    const body = JSON.stringify(data);
    requests += 1;
    return {
      status,
      headers: {
        'x-amzn-requestid': requestId(requests),
        'x-amz-crc32': String(crc32(body)),
        'content-type': contentType,
      },
      body,
    };
  };

  const service: LocalService = async (request) => {
    if (request.method === 'GET') {
      return { status: 200, headers: {}, body: 'healthy: dynamodb.us-east-1.amazonaws.com ' };
    }
    if (request.body.length > MAX_REQUEST_BYTES) return { status: 413, headers: {}, body: '' };
    const body = request.body.toString('utf8');
    const contentType = (request.headers['content-type'] ?? '').split(';')[0]!.trim();
    if (
      request.method !== 'POST' ||
      (body && contentType !== 'application/json' && contentType !== 'application/x-amz-json-1.0')
    ) {
      return { status: 404, headers: {}, body: '<UnknownOperationException/>\n' };
    }
    const answerType = contentType !== 'application/x-amz-json-1.0' ? 'application/json' : contentType;
    let data: Data | undefined;
    if (body) {
      try {
        data = JSON.parse(body) as Data;
      } catch {
        return reply(answerType, { __type: 'com.amazon.coral.service#SerializationException' }, 400);
      }
    }
    const target = (request.headers['x-amz-target'] ?? '').split('.');
    const operation =
      target.length === 2 && API_VERSIONS.has(target[0]!) ? operations.get(target[1]!) : undefined;
    if (!operation)
      return reply(answerType, { __type: 'com.amazon.coral.service#UnknownOperationException' }, 400);
    if (!data) return reply(answerType, { __type: 'com.amazon.coral.service#SerializationException' }, 400);

    const { action, validation } = operation;
    try {
      const checked = validations.checkTypes(data, validation.types);
      expressions.during(() =>
        validations.checkValidations(checked, validation.types, validation.custom, store),
      );
      data = checked;
    } catch (error) {
      const failure = error as { statusCode?: number; body?: unknown };
      if (failure.statusCode) return reply(answerType, failure.body, failure.statusCode);
      throw error;
    }
    return new Promise<LocalReply>((resolve, reject) => {
      try {
        action(store, data, (error, result) => {
          if (error?.statusCode) resolve(reply(answerType, error.body, error.statusCode));
          else if (error) reject(error);
          else resolve(reply(answerType, result));
        });
      } catch (error) {
        reject(error);
      }
    });
  };
  return { service, parses: () => ({ misses: expressions.misses, hits: expressions.hits }) };
}

/** A request id of dynalite's shape (52 characters of [0-9A-Z]), from a counter. */
function requestId(n: number): string {
  return `LOCAL${n.toString(36).toUpperCase()}`.padEnd(52, '0');
}
