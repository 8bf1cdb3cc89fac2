/** EventBridge Scheduler for the `scheduler` need (see Sdk in ../build-deps.ts). */
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { MessageScheduler } from '../../adapters/scheduler.js';
import type { Sdk } from '../build-deps.js';

export const scheduler: NonNullable<Sdk['scheduler']> = {
  scheduler: (target, config, client) => new MessageScheduler(target, client ?? new SchedulerClient(config)),
};
