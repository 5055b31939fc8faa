// Customers and contracts one at a time: get, replace, export and erase (GDPR).

import type { OpenAPIHono } from '@hono/zod-openapi';
import { createRoute } from '@hono/zod-openapi';
import { contractSchema, customerSchema } from '../../domain/documents.js';
import { eraseCustomer } from '../../usecases/customers/erase-customer.js';
import { exportCustomer } from '../../usecases/customers/export-customer.js';
import { IdMismatchError, putContract, putCustomer } from '../../usecases/customers/put-records.js';
import {
  customerExportSchema,
  customerViewSchema,
  erasureReportSchema,
} from '../../usecases/customers/schemas.js';
import { showCustomer } from '../../usecases/customers/show-customer.js';
import type { ApiDeps } from '../deps.js';
import {
  commonErrors,
  jsonContent,
  notFound,
  notFoundResponse,
  opsApp,
  security,
  unprocessable,
  unprocessableResponse,
} from './common.js';
import { idParam } from './params.js';

// Domain schemas may be created before @hono/zod-openapi extends zod (the CLI imports the domain
// first); such instances lack .openapi(), so the API documents clones made after the extension.

const customerDoc = customerSchema.clone().openapi('Customer');
const contractDoc = contractSchema.clone().openapi('Contract');

const exportSchema = customerExportSchema.clone().openapi('CustomerExport');
const erasureSchema = erasureReportSchema.clone().openapi('ErasureReport');
const viewSchema = customerViewSchema.clone().openapi('CustomerView');

async function orUnprocessable<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof IdMismatchError)
      throw unprocessable('The body names another record.', [
        { path: 'id', message: `must be ${err.pathId}` },
      ]);
    throw err;
  }
}

export function customerRoutes(deps: ApiDeps): OpenAPIHono {
  const app = opsApp(deps.log);
  const tags = ['customers'];

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/customers/{id}',
      tags,
      security,
      summary: 'A customer',
      request: { params: idParam },
      responses: { 200: jsonContent(customerDoc, 'The customer'), ...commonErrors, ...notFoundResponse },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const customer = await deps.store.customers.getCustomer(id);
      if (!customer) throw notFound(`Customer ${id}`);
      return c.json(customer, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/v1/customers/{id}',
      tags,
      security,
      summary: 'Replace (or create) a customer: the whole document, like an import line',
      request: {
        params: idParam,
        body: { required: true, content: { 'application/json': { schema: customerDoc } } },
      },
      responses: {
        200: jsonContent(customerDoc, 'Replaced'),
        201: jsonContent(customerDoc, 'Created'),
        ...commonErrors,
        ...unprocessableResponse,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const customer = c.req.valid('json');
      const { created } = await orUnprocessable(() => putCustomer(deps.store, id, customer));
      return created ? c.json(customer, 201) : c.json(customer, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/customers/{id}/view',
      tags,
      security,
      summary: 'A customer as `customer show` prints it: profile, tier, contracts, events, consent, touches',
      request: { params: idParam },
      responses: { 200: jsonContent(viewSchema, 'The customer view'), ...commonErrors, ...notFoundResponse },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const view = await showCustomer(deps.store, id);
      if (!view) throw notFound(`Customer ${id}`);
      return c.json(view, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/customers/{id}/export',
      tags,
      security,
      summary: "Export one customer's data: profile, contracts, events, deliveries, consent",
      request: { params: idParam },
      responses: { 200: jsonContent(exportSchema, 'The export'), ...commonErrors, ...notFoundResponse },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const data = await exportCustomer(deps, id);
      if (!data) throw notFound(`Customer ${id}`);
      return c.json(data, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/customers/{id}',
      tags,
      security,
      summary: 'Erase a customer (GDPR): PII removed everywhere; the ledger keeps anonymous counts',
      request: { params: idParam },
      responses: { 200: jsonContent(erasureSchema, 'What was erased'), ...commonErrors, ...notFoundResponse },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const report = await eraseCustomer(
        {
          store: deps.store,
          clock: deps.clock,
          pseudonymKey: deps.config.pseudonymKey,
          ...(deps.personalData && { elsewhere: deps.personalData }),
        },
        id,
      );
      if (!report) throw notFound(`Customer ${id}`);
      // The audit line: counts and the anonymous id, never the customer id or an address.
      deps.log.info('customer erased', {
        anonymousId: report.anonymousId,
        ledgerRows: report.ledgerRows,
        runTouches: report.runTouches,
        elsewhere: report.elsewhere,
      });
      return c.json(report, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/contracts/{id}',
      tags: ['contracts'],
      security,
      summary: 'A contract',
      request: { params: idParam },
      responses: { 200: jsonContent(contractDoc, 'The contract'), ...commonErrors, ...notFoundResponse },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const contract = await deps.store.customers.getContract(id);
      if (!contract) throw notFound(`Contract ${id}`);
      return c.json(contract, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/v1/contracts/{id}',
      tags: ['contracts'],
      security,
      summary: 'Replace (or create) a contract; a renewed or cancelled contract leaves the day indexes',
      request: {
        params: idParam,
        body: { required: true, content: { 'application/json': { schema: contractDoc } } },
      },
      responses: {
        200: jsonContent(contractDoc, 'Replaced'),
        201: jsonContent(contractDoc, 'Created'),
        ...commonErrors,
        ...unprocessableResponse,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const contract = c.req.valid('json');
      const { created } = await orUnprocessable(() =>
        putContract(deps.store, id, contract, deps.clock.now().toISOString()),
      );
      return created ? c.json(contract, 201) : c.json(contract, 200);
    },
  );
  return app;
}
