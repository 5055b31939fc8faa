// Stands in for @aws-sdk/credential-provider-node in the Lambda bundles (infra/bundling.ts aliases
// it here). Lambda gives every function its role's credentials in the environment, which is the
// first thing the default chain reads anyway; its other providers (SSO, INI files, process, web
// identity, container and instance metadata, with the nested STS and SSO clients) can never apply
// there and cost each bundle ~90 KB and its cold start their parse time.
import { fromEnv } from '@aws-sdk/credential-providers';

export const defaultProvider = () => fromEnv();
