/** `--dynamo` of `reciprocity run` and `reciprocity demo`: either backend by name, anything else refused. */
import { describe, expect, it } from 'vitest';
import { CliError } from '../../cli/errors.js';
import { dynamoFlag } from '../../cli/run.js';

describe('dynamoFlag', () => {
  it('takes fast or dynalite, and leaves the choice to the runtime when absent', () => {
    expect(dynamoFlag('fast')).toBe('fast');
    expect(dynamoFlag('dynalite')).toBe('dynalite');
    expect(dynamoFlag(undefined)).toBeUndefined();
  });

  it('refuses any other name with a message naming both', () => {
    expect(() => dynamoFlag('leveldb')).toThrow(CliError);
    expect(() => dynamoFlag('leveldb')).toThrow('--dynamo takes dynalite or fast, got "leveldb"');
  });
});
