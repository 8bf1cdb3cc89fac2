/**
 * Reciprocity: composes the constructs and wires every handler with least privilege.
 * Workflow task functions never reference the state machine (no CloudFormation cycle).
 */
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { ENV } from '../functions/domain/names.js';
import { resolveStageConfig, type StageConfig, type StageConfigInput } from './config.js';
import { CustomerEndpoints } from './constructs/customer-endpoints.js';
import { DataStore, type LayoutTable } from './constructs/data-store.js';
import { DeadLetterQueue } from './constructs/dead-letter-queue.js';
import { Delivery } from './constructs/delivery.js';
import { EventIntake } from './constructs/event-intake.js';
import { MessageWorkflow } from './constructs/message-workflow.js';
import {
  type HandlerName,
  ReciprocityFunction,
  type ReciprocityFunctionProps,
  type TableAccess,
} from './constructs/reciprocity-function.js';

export interface ReciprocityStackProps extends StackProps {
  /** Stage configuration (sender, configuration set, engine overrides...). @default - all defaults */
  readonly stage?: StageConfigInput;
}

type Binding = readonly [LayoutTable, TableAccess, string];

export class ReciprocityStack extends Stack {
  public readonly config: StageConfig;
  public readonly data: DataStore;
  public readonly delivery: Delivery;
  public readonly workflow: MessageWorkflow;
  public readonly intake: EventIntake;
  public readonly endpoints: CustomerEndpoints;
  public readonly functions: Readonly<Record<HandlerName, ReciprocityFunction>>;

  constructor(scope: Construct, id: string, props: ReciprocityStackProps = {}) {
    super(scope, id, props);
    const config = resolveStageConfig(props.stage);
    this.config = config;

    this.delivery = new Delivery(this, 'Delivery', {
      senderEmail: config.senderEmail,
      senderDomain: config.senderDomain,
      configurationSetName: config.configurationSetName,
      alarmEmail: config.alarmEmail,
    });
    const alarmTopic = this.delivery.alarmTopic;
    this.data = new DataStore(this, 'Data');
    const { profiles, carts, messages, templates, products, rejected, reputation } = this.data;
    const asyncFailures = (handler: string) =>
      new DeadLetterQueue(this, `${pascal(handler)}AsyncFailures`, {
        purpose: `asynchronous ${handler} invocations that failed after their retries`,
        alarmTopic,
      }).queue;

    const fn = (
      handlerName: HandlerName,
      bindings: Binding[],
      extra: Partial<ReciprocityFunctionProps> = {},
    ) => {
      const created = new ReciprocityFunction(this, `${pascal(handlerName)}Function`, {
        handlerName,
        ...extra,
      });
      for (const [table, access, envName] of bindings) created.bindTable(table, access, envName);
      return created;
    };
    const p = ENV;
    this.functions = {
      ingest: fn(
        'ingest',
        [
          [profiles, 'readwrite', p.profilesTable],
          [carts, 'readwrite', p.cartsTable],
          [products, 'readwrite', p.productsTable],
          [rejected, 'readwrite', p.rejectedTable],
          [messages, 'readwrite', p.messagesTable],
          // The bandit's success counter when orders are its reward.
          [reputation, 'readwrite', p.reputationTable],
        ],
        {
          description: 'Validates shop events, updates state, schedules journeys',
          onFailure: asyncFailures('ingest'),
        },
      ),
      personalize: fn('personalize', [
        [profiles, 'read', p.profilesTable],
        [carts, 'read', p.cartsTable],
        [templates, 'read', p.templatesTable],
        [products, 'read', p.productsTable],
        [messages, 'read', p.messagesTable],
        // The bandit's counters, read when a journey has several template variants.
        [reputation, 'read', p.reputationTable],
      ]),
      'check-consent': fn('check-consent', [
        [profiles, 'read', p.profilesTable],
        [reputation, 'read', p.reputationTable],
      ]),
      send: fn('send', [
        [messages, 'readwrite', p.messagesTable],
        [profiles, 'readwrite', p.profilesTable],
      ]),
      record: fn('record', [
        [messages, 'readwrite', p.messagesTable],
        [profiles, 'readwrite', p.profilesTable],
        // The bandit's send counter per template variant.
        [reputation, 'readwrite', p.reputationTable],
      ]),
      defer: fn('defer', [[messages, 'readwrite', p.messagesTable]]),
      'birthday-sweep': fn('birthday-sweep', [[profiles, 'read', p.profilesTable]], {
        timeout: Duration.minutes(5),
        onFailure: asyncFailures('birthday-sweep'),
      }),
      // readwrite: the sweep moves stale inactivity keys (see the handler).
      'inactivity-sweep': fn('inactivity-sweep', [[profiles, 'readwrite', p.profilesTable]], {
        timeout: Duration.minutes(5),
        onFailure: asyncFailures('inactivity-sweep'),
      }),
      'ses-events': fn(
        'ses-events',
        [
          [messages, 'readwrite', p.messagesTable],
          [profiles, 'readwrite', p.profilesTable],
          [reputation, 'readwrite', p.reputationTable],
        ],
        { onFailure: asyncFailures('ses-events') },
      ),
      'customer-http': fn(
        'customer-http',
        [
          [profiles, 'readwrite', p.profilesTable],
          [messages, 'readwrite', p.messagesTable],
          [carts, 'readwrite', p.cartsTable],
          // Vote pages name the item voted on.
          [products, 'read', p.productsTable],
        ],
        { reservedConcurrentExecutions: config.customerEndpointConcurrency, timeout: Duration.seconds(10) },
      ),
    };
    const f = this.functions;

    this.endpoints = new CustomerEndpoints(this, 'CustomerEndpoints', { handler: f['customer-http'] });
    this.endpoints.grantLinkKeys(f.personalize);
    this.setEngineConfig(config);

    this.delivery.grantSend(f.send);
    this.delivery.routeEventsTo(f['ses-events']);
    this.delivery.alarmOnGuardPause(f['ses-events'].logGroup);

    this.workflow = new MessageWorkflow(this, 'Workflow', {
      functions: {
        personalize: f.personalize,
        checkConsent: f['check-consent'],
        send: f.send,
        record: f.record,
        defer: f.defer,
      },
      logLevel: sfn.LogLevel[config.workflowLogLevel],
      includeExecutionData: config.workflowLogExecutionData,
      alarmTopic,
    });
    const stateMachine = this.workflow.stateMachine;

    this.intake = new EventIntake(this, 'Intake', {
      ingest: f.ingest,
      birthdaySweep: f['birthday-sweep'],
      inactivitySweep: f['inactivity-sweep'],
      stateMachine,
      alarmTopic,
    });
    this.intake.grantScheduling(f.ingest);
    this.intake.grantScheduling(f.defer);
    // Win-backs go at the customer's best hour: the sweep schedules them.
    this.intake.grantScheduling(f['inactivity-sweep']);
    for (const starter of [f.ingest, f['birthday-sweep'], f['inactivity-sweep']]) {
      stateMachine.grantStartExecution(starter);
      starter.addEnvironment(ENV.stateMachineArn, stateMachine.stateMachineArn);
    }
    // Defer runs inside the workflow: it names the target of its schedule by ARN, not by reference.
    f.defer.addEnvironment(ENV.stateMachineArn, this.workflow.stateMachineArnWithoutReference);

    new CfnOutput(this, 'EventBusName', { value: this.intake.eventBus.eventBusName });
    new CfnOutput(this, 'StateMachineArn', { value: stateMachine.stateMachineArn });
    new CfnOutput(this, 'ConfigurationSetName', {
      value: this.delivery.configurationSet.configurationSetName,
    });
    for (const [layoutId, table] of Object.entries(this.data.all)) {
      new CfnOutput(this, `${pascal(layoutId)}TableName`, { value: table.tableName });
    }
  }

  /**
   * RECIPROCITY_CONFIG for every function. Unless the stage sets publicBaseUrl, links point at the function
   * URL; customer-http keeps the configured value because its own URL would be a self-reference (cycle).
   */
  private setEngineConfig(config: StageConfig): void {
    const linked = config.publicBaseUrlSet
      ? this.toJsonString(config.engine)
      : this.toJsonString({ ...config.engine, publicBaseUrl: this.endpoints.baseUrl });
    for (const [name, handler] of Object.entries(this.functions)) {
      handler.addEnvironment(ENV.config, name === 'customer-http' ? JSON.stringify(config.engine) : linked);
    }
  }
}

function pascal(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_m, _dash: string, c: string) => c.toUpperCase());
}
