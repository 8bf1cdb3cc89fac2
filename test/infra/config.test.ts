import { App } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../functions/domain/config.js';
import { resolveStageConfig, StageConfigError, stageInputFromContext } from '../../lib/config.js';
import { acknowledgements, buildStack, nagFindings } from './helpers.js';

describe('Function: resolveStageConfig', () => {
  it('has defaults that synthesize without any context', () => {
    // Act
    const config = resolveStageConfig();

    // Assess
    expect(config).toEqual({
      senderEmail: 'hello@shop.example',
      senderDomain: 'shop.example',
      configurationSetName: 'reciprocity',
      engine: DEFAULT_CONFIG,
      publicBaseUrlSet: false,
      workflowLogLevel: 'ERROR',
      workflowLogExecutionData: false,
      customerEndpointConcurrency: 10,
    });
  });

  it('derives the From header from senderEmail, so IAM and the header agree', () => {
    // Act
    const config = resolveStageConfig({ senderEmail: 'news@mail.acme.test', senderDomain: 'acme.test' });

    // Assess
    expect(config.engine.sender.from).toBe('Reciprocity Demo Shop <news@mail.acme.test>');
    expect(config.senderDomain).toBe('acme.test');
  });

  it('reads typed values from -c strings (JSON engine overrides, booleans, numbers)', () => {
    // Prepare
    const app = new App({
      context: {
        engine: '{"cartDelayMinutes":30,"publicBaseUrl":"https://links.acme.test"}',
        workflowLogExecutionData: 'true',
        customerEndpointConcurrency: '5',
        workflowLogLevel: 'ALL',
      },
    });

    // Act
    const config = resolveStageConfig(stageInputFromContext(app.node));

    // Assess
    expect(config.engine.cartDelayMinutes).toBe(30);
    expect(config.publicBaseUrlSet).toBe(true);
    expect(config.workflowLogExecutionData).toBe(true);
    expect(config.customerEndpointConcurrency).toBe(5);
    expect(config.workflowLogLevel).toBe('ALL');
  });

  it.each([
    [{ senderEmail: 'not-an-address' }, /senderEmail/],
    [{ senderEmail: 'a@acme.test', senderDomain: 'other.test' }, /not in senderDomain/],
    [{ engine: { sender: { from: 'X <x@evil.test>' } }, senderEmail: 'a@acme.test' }, /must use senderEmail/],
    [{ engine: { cartDelayMinutes: 0 } }, /engine: Invalid configuration/],
    [{ engine: '{not json' }, /not valid JSON/],
    [{ workflowLogLevel: 'DEBUG' as never }, /workflowLogLevel/],
    [{ customerEndpointConcurrency: 0 }, /customerEndpointConcurrency/],
    [{ configurationSetName: 'has space' }, /configurationSetName/],
  ])('rejects %j', (input, message) => {
    expect(() => resolveStageConfig(input)).toThrow(StageConfigError);
    expect(() => resolveStageConfig(input)).toThrow(message);
  });

  it('logs ALL with execution data when asked, and then needs no SF1 acknowledgement', () => {
    // Act
    const { app, template } = buildStack({ workflowLogLevel: 'ALL', workflowLogExecutionData: true });

    // Assess
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: true }),
    });
    expect(acknowledgements(app).filter((a) => a.id.includes('AwsSolutions-SF1'))).toEqual([]);
    expect(nagFindings(app)).toEqual([]);
  });
});
