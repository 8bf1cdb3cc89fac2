#!/usr/bin/env node
// The package's command-line entry: runs the TypeScript CLI through tsx (a dependency), so no build step.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
