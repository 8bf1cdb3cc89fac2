/** One-time EventBridge Scheduler schedules that start the message workflow later (reminders, deferrals). */
import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import type { MessageRequest } from '../domain/model.js';

export interface SchedulerTarget {
  group: string;
  stateMachineArn: string;
  roleArn: string;
  /** Dead-letter queue for schedules that cannot start the workflow. */
  deadLetterArn?: string;
}

/** `at()` takes local date-time without zone; we always pass UTC. */
function atExpression(when: Date): string {
  return `at(${when.toISOString().slice(0, 19)})`;
}

export class MessageScheduler {
  constructor(
    private readonly target: SchedulerTarget,
    private readonly client: SchedulerClient = new SchedulerClient({}),
  ) {}

  /** Creates the schedule, or moves it if one with that name exists. */
  async upsert(name: string, when: Date, request: MessageRequest): Promise<'created' | 'updated'> {
    const input = {
      Name: name,
      GroupName: this.target.group,
      ScheduleExpression: atExpression(when),
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' as const },
      ActionAfterCompletion: 'DELETE' as const,
      Target: {
        Arn: this.target.stateMachineArn,
        RoleArn: this.target.roleArn,
        Input: JSON.stringify(request),
        RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 86_400 },
        ...(this.target.deadLetterArn ? { DeadLetterConfig: { Arn: this.target.deadLetterArn } } : {}),
      },
    };
    try {
      await this.client.send(new CreateScheduleCommand(input));
      return 'created';
    } catch (error) {
      if ((error as { name?: string }).name !== 'ConflictException') throw error;
      await this.client.send(new UpdateScheduleCommand(input));
      return 'updated';
    }
  }

  /** Deletes a schedule; returns false if there was none (already fired or never made). */
  async remove(name: string): Promise<boolean> {
    try {
      await this.client.send(new DeleteScheduleCommand({ Name: name, GroupName: this.target.group }));
      return true;
    } catch (error) {
      if ((error as { name?: string }).name === 'ResourceNotFoundException') return false;
      throw error;
    }
  }
}
