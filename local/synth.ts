/**
 * The workflow as deployed: synthesize the CDK app, take the one state machine's
 * DefinitionString and resolve its CloudFormation tokens to fake local ARNs, so the exact ASL that
 * would run on AWS runs locally. Synth costs seconds (in a process of its own: synthInChild), so the result
 * is cached on disk, keyed by the sources that can change it.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SynthError } from './errors.js';

export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_ARN_REGION = 'local';

export interface SynthesizedWorkflow {
  /** The resolved ASL, parsed. */
  asl: Record<string, unknown>;
  /** Logical id of the AWS::StepFunctions::StateMachine. */
  logicalId: string;
  /** Fake ARN of the state machine, for STATE_MACHINE_ARN. */
  stateMachineArn: string;
}

type CfnTemplate = { Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }> };
type StackClass = new (scope: unknown, id: string, props?: object) => unknown;

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CACHE_DIR = join(ROOT, 'node_modules', '.cache', 'reciprocity');
/** Sources that decide the ASL; handler code does not (bundling is skipped). */
const CACHE_INPUTS = ['lib', 'functions/domain'];
// A variable, not a literal: lib/ is written by another change and may not exist when this compiles.
const STACK_MODULE = '../lib/reciprocity-stack.js';

/** Synthesizes `ReciprocityStack` (cached) and returns its resolved workflow. */
export async function synthWorkflow(props?: object): Promise<SynthesizedWorkflow> {
  const key = await cacheKey(props);
  const file = join(CACHE_DIR, `workflow-${key}.json`);
  try {
    return JSON.parse(await readFile(file, 'utf8')) as SynthesizedWorkflow;
  } catch {
    // Cache miss: synthesize below.
  }
  const workflow = await synthInChild(props);
  await mkdir(CACHE_DIR, { recursive: true });
  await writeFile(file, JSON.stringify(workflow));
  return workflow;
}

/**
 * Synthesizes `ReciprocityStack` in a node process of its own (local/synth-child.ts): loading aws-cdk-lib and
 * synthesizing takes a process to about 830 MB resident for a few seconds, which a run's own process would
 * then keep as its peak (measured on the full June replay: 826-832 MB on a cache miss, 476 MB on a hit).
 */
async function synthInChild(props?: object): Promise<SynthesizedWorkflow> {
  const child = fileURLToPath(new URL('./synth-child.ts', import.meta.url));
  // tsx as this checkout resolves it: the run may be started from any directory.
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const args = ['--import', tsx, child, JSON.stringify(props ?? null)];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        const said = stderr.trim().split('\n').slice(-8).join('\n');
        reject(new SynthError(`Synthesizing the stack failed: ${said || error.message}`, { cause: error }));
        return;
      }
      try {
        resolve(JSON.parse(stdout) as SynthesizedWorkflow);
      } catch (cause) {
        reject(new SynthError('Synthesizing the stack printed no workflow', { cause }));
      }
    });
  });
}

/** Synthesizes `ReciprocityStack` in this process (what local/synth-child.ts runs). */
export async function synthHere(props?: object): Promise<SynthesizedWorkflow> {
  let stackModule: { ReciprocityStack?: StackClass };
  try {
    stackModule = (await import(STACK_MODULE)) as { ReciprocityStack?: StackClass };
  } catch (error) {
    throw new SynthError('Cannot load lib/reciprocity-stack.ts (is the CDK stack written yet?)', {
      cause: error,
    });
  }
  if (!stackModule.ReciprocityStack)
    throw new SynthError('lib/reciprocity-stack.ts exports no ReciprocityStack');
  return synthStack(stackModule.ReciprocityStack, props);
}

/** Synthesizes any stack class with bundling skipped, and extracts its workflow. */
export async function synthStack(Stack: StackClass, props?: object): Promise<SynthesizedWorkflow> {
  const { App } = await import('aws-cdk-lib');
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Reciprocity', props) as { artifactId: string };
  const template = app.synth().getStackArtifact(stack.artifactId).template as CfnTemplate;
  return workflowFromTemplate(template);
}

/** Finds the single state machine of a template and resolves its definition. */
export function workflowFromTemplate(template: CfnTemplate): SynthesizedWorkflow {
  const resources = template.Resources ?? {};
  const machines = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::StepFunctions::StateMachine');
  if (machines.length !== 1 || !machines[0]) {
    throw new SynthError(`Expected exactly one AWS::StepFunctions::StateMachine, found ${machines.length}`);
  }
  const [logicalId, machine] = machines[0];
  const properties = machine.Properties ?? {};
  const resolved = resolveToken(properties.DefinitionString, resources);
  if (typeof resolved !== 'string') throw new SynthError(`${logicalId} has no DefinitionString`);
  let definition = resolved;
  const substitutions = (properties.DefinitionSubstitutions ?? {}) as Record<string, unknown>;
  for (const [name, value] of Object.entries(substitutions)) {
    definition = definition.replaceAll(`\${${name}}`, String(resolveToken(value, resources)));
  }
  return {
    asl: JSON.parse(definition) as Record<string, unknown>,
    logicalId,
    stateMachineArn: fakeArn(logicalId, resources),
  };
}

const PSEUDO: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': LOCAL_ARN_REGION,
  'AWS::AccountId': LOCAL_ACCOUNT,
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'Reciprocity',
};

type Resources = NonNullable<CfnTemplate['Resources']>;

/** Resolves Fn::Join / Fn::GetAtt / Ref / Fn::Sub (the intrinsics CDK puts in a DefinitionString). */
export function resolveToken(value: unknown, resources: Resources): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((item) => resolveToken(item, resources));
  const token = value as Record<string, unknown>;
  if ('Fn::Join' in token) {
    const [separator, parts] = token['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => String(resolveToken(part, resources))).join(separator);
  }
  if ('Fn::GetAtt' in token) {
    const [id, attribute] = token['Fn::GetAtt'] as [string, string];
    if (attribute === 'Arn') return fakeArn(id, resources);
    if (attribute === 'Name') return id;
    throw new SynthError(`Cannot resolve Fn::GetAtt ${id}.${attribute} locally`);
  }
  if ('Ref' in token) return ref(token.Ref as string, resources);
  if ('Fn::Sub' in token) {
    const sub = token['Fn::Sub'];
    const [text, vars] = (Array.isArray(sub) ? sub : [sub, {}]) as [string, Record<string, unknown>];
    return text.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
      if (name in vars) return String(resolveToken(vars[name], resources));
      const [id, attribute] = name.split('.');
      return String(resolveToken(attribute ? { 'Fn::GetAtt': [id, attribute] } : { Ref: id }, resources));
    });
  }
  return Object.fromEntries(Object.entries(token).map(([k, v]) => [k, resolveToken(v, resources)]));
}

function ref(id: string, resources: Resources): string {
  const pseudo = PSEUDO[id];
  if (pseudo) return pseudo;
  const resource = resources[id];
  if (!resource) throw new SynthError(`Ref to unknown resource ${id}`);
  // Ref gives the ARN for these types and the physical name for the rest.
  const refIsArn = ['AWS::StepFunctions::StateMachine', 'AWS::SNS::Topic', 'AWS::IAM::ManagedPolicy'];
  return refIsArn.includes(resource.Type) ? fakeArn(id, resources) : id;
}

/** e.g. arn:aws:lambda:local:000000000000:function:<logicalId>. */
export function fakeArn(id: string, resources: Resources): string {
  const resource = resources[id];
  if (!resource) throw new SynthError(`Fn::GetAtt of unknown resource ${id}`);
  const prefix = `arn:aws:%s:${LOCAL_ARN_REGION}:${LOCAL_ACCOUNT}`;
  const arn = (service: string, rest: string): string => `${prefix.replace('%s', service)}:${rest}`;
  const name = resource.Properties?.StateMachineName;
  switch (resource.Type) {
    case 'AWS::Lambda::Function':
      return arn('lambda', `function:${id}`);
    case 'AWS::StepFunctions::StateMachine':
      return arn('states', `stateMachine:${typeof name === 'string' ? name : id}`);
    case 'AWS::DynamoDB::Table':
    case 'AWS::DynamoDB::GlobalTable':
      return arn('dynamodb', `table/${id}`);
    case 'AWS::IAM::Role':
      return `arn:aws:iam::${LOCAL_ACCOUNT}:role/${id}`;
    default: {
      const service = resource.Type.split('::')[1]?.toLowerCase() ?? 'unknown';
      return arn(service, id);
    }
  }
}

async function cacheKey(props?: object): Promise<string> {
  const hash = createHash('sha256');
  const { version } = JSON.parse(
    await readFile(join(ROOT, 'node_modules/aws-cdk-lib/package.json'), 'utf8'),
  ) as {
    version: string;
  };
  hash.update(`aws-cdk-lib@${version}\n${JSON.stringify(props ?? null)}\n`);
  for (const dir of CACHE_INPUTS) {
    for (const file of await tsFiles(join(ROOT, dir))) {
      hash.update(`${relative(ROOT, file)}\n`);
      hash.update(await readFile(file));
    }
  }
  return hash.digest('hex').slice(0, 16);
}

async function tsFiles(dir: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch {
    return [];
  }
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}
