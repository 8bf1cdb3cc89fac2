import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { stageInputFromContext } from '../lib/config.js';
import { ReciprocityStack } from '../lib/reciprocity-stack.js';

const app = new App();
new ReciprocityStack(app, 'Reciprocity', { stage: stageInputFromContext(app.node) });
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
