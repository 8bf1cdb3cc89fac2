/**
 * Reciprocity: composes the constructs and wires every function with exactly the grants of its row in
 * lib/functions.ts (least privilege, one role each). Workflow task functions never reference the state machine
 * (no CloudFormation cycle).
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { ENV, HANDLERS } from '../functions/domain/names.js';
import { resolveStageConfig, type StageConfig, type StageConfigInput } from './config.js';
import { CustomerEndpoints } from './constructs/customer-endpoints.js';
import { ReciprocityDashboard } from './constructs/dashboard.js';
import { DataStore, type LayoutTable } from './constructs/data-store.js';
import { DeadLetterQueue } from './constructs/dead-letter-queue.js';
import { Delivery } from './constructs/delivery.js';
import { EventIntake } from './constructs/event-intake.js';
import { MessageWorkflow, SEND_TASK_TIMEOUT } from './constructs/message-workflow.js';
import { type HandlerName, ReciprocityFunction } from './constructs/reciprocity-function.js';
import { FUNCTIONS, pascal, type Store, storeGrant } from './functions.js';

export interface ReciprocityStackProps extends StackProps {
  /** Stage configuration (sender, configuration set, engine overrides...). @default - all defaults */
  readonly stage?: StageConfigInput;
}

export class ReciprocityStack extends Stack {
  public readonly config: StageConfig;
  public readonly data: DataStore;
  public readonly delivery: Delivery;
  public readonly workflow: MessageWorkflow;
  public readonly intake: EventIntake;
  public readonly endpoints: CustomerEndpoints;
  public readonly functions: Readonly<Record<HandlerName, ReciprocityFunction>>;
  /** Alarms on every send whose outcome is unknown (see Delivery.alarmOnUnknownSends). */
  public readonly unknownSendAlarm: cloudwatch.Alarm;
  /** Per-journey results and the alarms, in one CloudWatch dashboard. */
  public readonly dashboard: ReciprocityDashboard;

  constructor(scope: Construct, id: string, props: ReciprocityStackProps = {}) {
    super(scope, id, props);
    const config = resolveStageConfig(props.stage);
    this.config = config;
    const sendTimeout = FUNCTIONS.send.timeout ?? SEND_TASK_TIMEOUT;
    if (sendTimeout.toMilliseconds() >= SEND_TASK_TIMEOUT.toMilliseconds()) {
      throw new Error(
        `The send function's timeout (${sendTimeout.toHumanString()}) must be below the Send task's (${SEND_TASK_TIMEOUT.toHumanString()})`,
      );
    }

    this.delivery = new Delivery(this, 'Delivery', {
      senderEmail: config.senderEmail,
      senderDomain: config.senderDomain,
      configurationSetName: config.configurationSetName,
      alarmEmail: config.alarmEmail,
    });
    const alarmTopic = this.delivery.alarmTopic;
    this.data = new DataStore(this, 'Data');
    const d = this.data;
    const stores: Record<Store, readonly [LayoutTable, string]> = {
      profiles: [d.profiles, ENV.profilesTable],
      carts: [d.carts, ENV.cartsTable],
      ledger: [d.messages, ENV.messagesTable],
      templates: [d.templates, ENV.templatesTable],
      products: [d.products, ENV.productsTable],
      rejected: [d.rejected, ENV.rejectedTable],
      reputation: [d.reputation, ENV.reputationTable],
      stats: [d.stats, ENV.statsTable],
      codes: [d.codes, ENV.codesTable],
      // The peer buckets live in the profiles table.
      peers: [d.profiles, ENV.profilesTable],
      profileIndexes: [d.profiles, ENV.profilesTable],
    };

    const functions: Partial<Record<HandlerName, ReciprocityFunction>> = {};
    for (const handlerName of HANDLERS) {
      const spec = FUNCTIONS[handlerName];
      const fn = new ReciprocityFunction(this, `${pascal(handlerName)}Function`, {
        handlerName,
        description: spec.description,
        timeout: spec.timeout,
        ...(spec.memorySize && { memorySize: spec.memorySize }),
        ...(spec.invocation === 'async' && { onFailure: this.asyncFailures(handlerName, alarmTopic) }),
        ...(handlerName === 'customer-http' && {
          reservedConcurrentExecutions: config.customerEndpointConcurrency,
        }),
      });
      for (const grant of spec.grants) {
        const store = storeGrant(grant);
        if (store) {
          const [table, envName] = stores[store.store];
          fn.bindTable(table, store.write ? 'readwrite' : 'read', envName);
        }
        if (grant === 'idempotency') fn.bindTable(d.idempotency, 'readwrite', ENV.idempotencyTable);
        // The table's base items only (no index): the peer sweep reads every profile once a week.
        if (grant === 'profilesScan')
          fn.addToRolePolicy(
            new iam.PolicyStatement({ actions: ['dynamodb:Scan'], resources: [d.profiles.tableArn] }),
          );
      }
      functions[handlerName] = fn;
    }
    this.functions = functions as Record<HandlerName, ReciprocityFunction>;
    const f = this.functions;

    this.endpoints = new CustomerEndpoints(this, 'CustomerEndpoints', { handler: f['customer-http'] });
    this.setEngineConfig(config);

    this.delivery.routeEventsTo(f['ses-events']);
    const guardAlarm = this.delivery.alarmOnGuardPause(f['ses-events'].logGroup);
    this.unknownSendAlarm = this.delivery.alarmOnUnknownSends({
      Send: f.send.logGroup,
      // RecordFailure over a Send claim records (and logs) `unknown` too.
      Record: f.record.logGroup,
    });

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
      intakes: {
        'profile-intake': f['profile-intake'],
        'cart-intake': f['cart-intake'],
        'order-intake': f['order-intake'],
        'catalogue-intake': f['catalogue-intake'],
        'feedback-intake': f['feedback-intake'],
      },
      birthdaySweep: f['birthday-sweep'],
      inactivitySweep: f['inactivity-sweep'],
      peerSweep: f['peer-sweep'],
      stateMachine,
      alarmTopic,
    });

    for (const handlerName of HANDLERS) {
      const spec = FUNCTIONS[handlerName];
      const fn = f[handlerName];
      // A function the state machine invokes names it by ARN, not by reference (a reference is a cycle).
      const machineArn =
        spec.invocation === 'workflow'
          ? this.workflow.stateMachineArnWithoutReference
          : stateMachine.stateMachineArn;
      for (const grant of spec.grants) {
        switch (grant) {
          case 'sender':
            this.delivery.grantSend(fn);
            break;
          case 'linkKeys':
            this.endpoints.grantLinkKeys(fn);
            break;
          case 'scheduler':
            // Schedules target the workflow: the function names it in each schedule it creates.
            this.intake.grantScheduling(fn);
            fn.addEnvironment(ENV.stateMachineArn, machineArn);
            break;
          case 'workflow':
            if (spec.invocation === 'workflow')
              throw new Error(`${handlerName} runs inside the workflow and cannot start it (a cycle)`);
            stateMachine.grantStartExecution(fn);
            fn.addEnvironment(ENV.stateMachineArn, machineArn);
            break;
        }
      }
    }

    this.dashboard = new ReciprocityDashboard(this, 'Dashboard', {
      alarmGraphs: {
        'SES bounce rate (account)': this.delivery.bounceRateAlarm,
        'SES complaint rate (account)': this.delivery.complaintRateAlarm,
        'Reputation guard paused sends': guardAlarm,
        'Message workflows failed or timed out': this.workflow.failureAlarm,
        'Sends with an unknown outcome': this.unknownSendAlarm,
      },
      // Every alarm of the stack (dead-letter and parking queues too), by state.
      alarms: this.node.findAll().filter((c): c is cloudwatch.Alarm => c instanceof cloudwatch.Alarm),
      // The table-name output the loop below writes for the stats table.
      statsTableOutput: `${pascal(this.data.stats.layout.id)}TableName`,
    });

    new CfnOutput(this, 'EventBusName', { value: this.intake.eventBus.eventBusName });
    new CfnOutput(this, 'StateMachineArn', { value: stateMachine.stateMachineArn });
    new CfnOutput(this, 'ConfigurationSetName', {
      value: this.delivery.configurationSet.configurationSetName,
    });
    new CfnOutput(this, 'UnrecognizedEventsQueueUrl', {
      value: this.intake.unrecognizedEvents.queue.queueUrl,
      description:
        'Shop events of a detail-type the engine does not handle (alarmed; read and fix the producer)',
    });
    for (const [layoutId, table] of Object.entries(this.data.all)) {
      new CfnOutput(this, `${pascal(layoutId)}TableName`, { value: table.tableName });
    }
  }

  /** The on-failure queue of an asynchronously invoked function. */
  private asyncFailures(handler: HandlerName, alarmTopic: sns.ITopic): sqs.IQueue {
    return new DeadLetterQueue(this, `${pascal(handler)}AsyncFailures`, {
      purpose: `asynchronous ${handler} invocations that failed after their retries`,
      alarmTopic,
    }).queue;
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
