/**
 * The one place that holds every Lambda default: runtime, architecture, tracing, logs, ESM bundling.
 * Handlers are named, not imported: lib never depends on handler code.
 */
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
/** The handler files in functions/handlers, each exporting `handler` (one list, shared with the runtime). */
import type { HandlerName } from '../../functions/domain/names.js';
import type { LayoutTable } from './data-store.js';

export type { HandlerName };

export type TableAccess = 'read' | 'readwrite';

export interface ReciprocityFunctionProps {
  /** Which file of functions/handlers this function runs. */
  readonly handlerName: HandlerName;
  /** One line for the console. @default - none */
  readonly description?: string;
  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /** @default 256 */
  readonly memorySize?: number;
  /** Extra environment variables (table names are added by bindTable). @default {} */
  readonly environment?: Record<string, string>;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** Caps concurrency; also the throttle for public endpoints. @default - unreserved */
  readonly reservedConcurrentExecutions?: number;
  /**
   * Where asynchronous invocations go after their retries fail, so no event is silently dropped.
   * @default - no on-failure destination (synchronous callers see the error themselves)
   */
  readonly onFailure?: sqs.IQueue;
}

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

// Bundled CommonJS dependencies may call require(); an ESM bundle has none unless we create it.
const ESM_REQUIRE_BANNER =
  "import { createRequire as __reciprocityCreateRequire } from 'node:module';" +
  'const require = __reciprocityCreateRequire(import.meta.url);';

const READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
];
const WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

/** A Lambda function for one handler of functions/handlers, with the project's defaults. */
export class ReciprocityFunction extends NodejsFunction {
  /** The function's own role: no managed policies, only what bind/grant methods add. */
  public readonly executionRole: iam.Role;

  constructor(scope: Construct, id: string, props: ReciprocityFunctionProps) {
    // Role and log group are siblings because a subclass cannot create children before super().
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of the ${props.handlerName} handler`,
    });
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // An explicit grant instead of AWSLambdaBasicExecutionRole: it covers this log group only.
    logGroup.grantWrite(role);

    super(scope, id, {
      entry: `${REPO_ROOT}functions/handlers/${props.handlerName}.ts`,
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: `${REPO_ROOT}package-lock.json`,
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(30),
      tracing: lambda.Tracing.ACTIVE,
      role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      // WARN drops Lambda's START/REPORT lines (~700 bytes per invocation, the largest log cost per message);
      // durations and errors stay in the function's CloudWatch metrics and X-Ray traces.
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: `reciprocity-${props.handlerName}`,
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        // The runtime ships SDK v3; bundling it would only grow the cold start.
        externalModules: ['@aws-sdk/*'],
      },
      ...(props.onFailure && { onFailure: new SqsDestination(props.onFailure), retryAttempts: 2 }),
    });
    this.executionRole = role;

    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords do not support resource-level permissions.',
    });
  }

  /**
   * Grants read or read/write on a table (and Query on each of its indexes, by name: no index wildcard)
   * and sets `envName` to the table name, in one call.
   */
  bindTable(table: LayoutTable, access: TableAccess, envName: string): this {
    const actions = access === 'read' ? READ_ACTIONS : [...READ_ACTIONS, ...WRITE_ACTIONS];
    this.addToRolePolicy(new iam.PolicyStatement({ actions, resources: [table.tableArn] }));
    if (table.indexArns.length > 0) {
      this.addToRolePolicy(
        new iam.PolicyStatement({ actions: ['dynamodb:Query'], resources: table.indexArns }),
      );
    }
    this.addEnvironment(envName, table.tableName);
    return this;
  }

  /** Sets an environment variable; chainable so wiring reads as one expression per function. */
  withEnvironment(name: string, value: string): this {
    this.addEnvironment(name, value);
    return this;
  }

  /** The ARN pattern `${arn}:*` that grants on versions and aliases create, as cdk-nag prints it. */
  static nagVersionsFinding(fn: lambda.IFunction): string {
    const cfn = fn.node.defaultChild as lambda.CfnFunction;
    return `Resource::<${Stack.of(fn).getLogicalId(cfn)}.Arn>:*`;
  }
}
