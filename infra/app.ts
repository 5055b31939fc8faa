#!/usr/bin/env node
// The CDK app: `npx cdk synth|deploy [-c key=value ...]`. Settings and their defaults: infra/settings.ts.
import { App } from 'aws-cdk-lib';
import { createTouchpointApp } from './touchpoint-stack.js';

const app = new App();
createTouchpointApp(app);
app.synth();
