// `touchpoint <command>`: parses the command line, runs one command against the embedded stack,
// and maps every expected failure to the contract's exit codes with a readable message.
import { parseArgs } from 'node:util';
import { ZodError } from 'zod';
import { resolveDataDir } from '../data-dir.js';
import type { Command, CommandContext, RemoteTarget } from './context.js';
import { RefusedError, UsageError } from './errors.js';
import { makeOut } from './output.js';

const OPTIONS = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  date: { type: 'string' },
  campaign: { type: 'string' },
  customer: { type: 'string' },
  reason: { type: 'string' },
  port: { type: 'string' },
  once: { type: 'boolean' },
  from: { type: 'string' },
  to: { type: 'string' },
  format: { type: 'string' },
  api: { type: 'string' },
  token: { type: 'string' },
  channel: { type: 'string' },
  run: { type: 'string' },
  now: { type: 'boolean' },
  step: { type: 'string' },
  occasion: { type: 'string' },
  html: { type: 'string' },
  role: { type: 'string' },
  limit: { type: 'string' },
} as const;

/** The data commands: clients of the API (--api URL, else the data dir's local API). */
const REMOTE_COMMANDS = new Set([
  'import',
  'settings',
  'campaign',
  'plan',
  'run',
  'deliveries',
  'suppression',
  'partner',
  'customer',
  'sms',
  'sending',
  'report',
  'audit',
]);
const LOCAL_ONLY = new Set(['serve', 'demo', 'stop', 'outbox', 'bus', 'users']);

// Loaded on demand: a command pays only for its own code (the API, the CDK app and the emulators
// are seconds of imports that most commands never touch).
const COMMANDS: Record<string, () => Promise<Command>> = {
  import: async () => (await import('./commands/documents.js')).importCommand,
  settings: async () => (await import('./commands/documents.js')).settingsCommand,
  campaign: async () => (await import('./commands/campaign.js')).campaignCommand,
  plan: async () => (await import('./commands/plan-run.js')).planCommand,
  run: async () => (await import('./commands/plan-run.js')).runCommand,
  deliveries: async () => (await import('./commands/ledger.js')).deliveriesCommand,
  suppression: async () => (await import('./commands/ledger.js')).suppressionCommand,
  serve: async () => (await import('./commands/serve.js')).serveCommand,
  partner: async () => (await import('./commands/partner.js')).partnerCommand,
  customer: async () => (await import('./commands/customer.js')).customerCommand,
  demo: async () => (await import('./commands/demo.js')).demoCommand,
  logs: async () => (await import('./commands/logs.js')).logsCommand,
  stop: async () => (await import('./commands/stack.js')).stopCommand,
  outbox: async () => (await import('./commands/outbox.js')).outboxCommand,
  bus: async () => (await import('./commands/bus.js')).busCommand,
  sms: async () => (await import('./commands/sms.js')).smsCommand,
  sending: async () => (await import('./commands/sending.js')).sendingCommand,
  report: async () => (await import('./commands/report.js')).reportCommand,
  users: async () => (await import('./commands/users.js')).usersCommand,
  audit: async () => (await import('./commands/audit.js')).auditCommand,
};

export const USAGE = `Usage: touchpoint <command> [options]

Commands:
  import customers|contracts|events FILE   all-or-nothing import (NDJSON, or CSV for customers/contracts)
  settings apply FILE                      replace the settings (value pyramid, feb29, activity event types)
  campaign apply|validate FILE             store a new campaign version / check one without storing
  campaign list                            campaigns with version and state
  campaign pause|resume ID
  campaign test-send ID --step ID --channel email|sms --to ADDRESS [--customer ID]
                                           one rendered message to ADDRESS (refused if it is suppressed)
  plan --date YYYY-MM-DD [--campaign ID]   what a run for local date D would do; writes nothing
  run --date YYYY-MM-DD [--campaign ID]    run local date D through the state machine and send locally
  deliveries [--campaign ID] [--customer ID]   the ledger
  deliveries release --campaign ID --step ID --customer ID --channel email|sms --occasion O
                                           free an unknown touch's key once the provider's logs show it was not sent
  suppression add ADDRESS --reason bounced|complained|unsubscribed
  suppression remove ADDRESS | suppression list
  serve [--port N]                         the local API, mailbox and SMS pages until Ctrl-C
  partner add|rotate ID | partner list     webhook partners and their whsec_ secrets
  partner rotate ID --now | partner revoke ID
                                           cut a leaked secret off at once (revoke: no secret stays valid)
  customer show|export|erase ID            one customer: profile, tier, consent, touches / GDPR export / erase
  sms reply FROM TEXT                      an SMS from FROM to our number, as the cloud's two-way path takes it
                                           (STOP/START/HELP, 退订/TD/T/帮助 answered; other text → sms.reply event)
  sending status [email|sms]               whether a channel sends, and its bounce and complaint rates (last 24 h)
  sending resume email|sms                 let a channel the reputation guard paused send again
  report [--campaign ID] [--from D] [--to D] [--html FILE]
                                           results per campaign: funnel, treated vs holdout, uplift with
                                           its 95 % interval, cost (--html: a page with charts)
  users add EMAIL --role admin|editor|viewer | users list | users remove EMAIL
                                           the console's local users (a removed user's tokens stop at once)
  users token EMAIL                        an ID token for EMAIL (12 h) for /console/v1, shaped like Cognito's
  audit [--limit N]                        the audit log, newest first: who changed what, when; refused roles
  demo [--once]                            what \`npm start\` runs: demo data, a simulated month, then serve
  stop                                     stop the data dir's background stack (or serve); nothing stays running
  logs [--run ID]                          the handlers' log lines (masked), oldest first
  outbox [--channel email|sms]             every message the local email and SMS servers received, oldest first
  bus dlq                                  bus events a rule's target gave up on after its retries, oldest first

Global options:
  --data-dir DIR   where the embedded store keeps its data (default .touchpoint/, env TOUCHPOINT_DATA_DIR)
  --json           machine-readable output on stdout
  --api URL        run the data commands (import … customer) against that API instead
                   (env TOUCHPOINT_API_URL); without --token a cloud URL is signed with SigV4
  --token T        bearer token for --api (env TOUCHPOINT_API_TOKEN; a local URL defaults to the
                   token touchpoint serve keeps in the data dir)
Exit codes: 0 success, 1 refused input (with the reasons), 2 usage error.`;

export async function main(argv: readonly string[]): Promise<number> {
  const wantsJson = argv.includes('--json');
  const out = makeOut(wantsJson);
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: OPTIONS,
      allowPositionals: true,
      strict: true,
    });
    const [name, ...rest] = positionals;
    if (values.help || !name) {
      process.stdout.write(`${USAGE}\n`);
      return values.help ? 0 : 2;
    }
    const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!load) throw new UsageError(`unknown command: ${name}`);
    const remote = remoteTarget(values.api, values.token, name);
    const command = await load();
    const ctx: CommandContext = {
      out,
      dataDir: resolveDataDir(values['data-dir']),
      args: rest,
      options: values,
      ...(remote && { remote }),
    };
    await command(ctx);
    return 0;
  } catch (e) {
    return report(e, out);
  }
}

/** `--api`/TOUCHPOINT_API_URL and its token; undefined runs the command on the embedded store. */
function remoteTarget(
  api: string | undefined,
  token: string | undefined,
  command: string,
): RemoteTarget | undefined {
  // serve and demo start the local stack itself: an API URL in the environment is not for them.
  const fromEnv = LOCAL_ONLY.has(command) ? undefined : process.env.TOUCHPOINT_API_URL || undefined;
  const url = api ?? fromEnv;
  if (url === undefined) {
    if (token !== undefined) throw new UsageError('--token needs --api URL');
    return undefined;
  }
  if (!REMOTE_COMMANDS.has(command)) throw new UsageError(`${command} is not available with --api`);
  return { url, token: token ?? (process.env.TOUCHPOINT_API_TOKEN || undefined) };
}

function report(e: unknown, out: ReturnType<typeof makeOut>): number {
  if (e instanceof RefusedError) {
    out.data({ ok: false, error: e.message, errors: e.reasons, ...e.details });
    if (!out.json) {
      process.stderr.write(`touchpoint: ${e.message}\n`);
      for (const r of e.reasons)
        process.stderr.write(
          `  ${r.line !== undefined ? `line ${r.line}: ` : ''}${r.path || '(document)'}: ${r.message}\n`,
        );
    }
    return e.exitCode;
  }
  if (e instanceof ZodError) {
    const reasons = e.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    return report(new RefusedError('the input is invalid', reasons), out);
  }
  if (e instanceof UsageError || isParseArgsError(e)) {
    const message = e instanceof Error ? e.message : String(e);
    out.data({ ok: false, error: message, usage: true });
    process.stderr.write(`touchpoint: ${message}\nRun touchpoint --help for usage.\n`);
    return 2;
  }
  // Anything else is ours to fix, not the user's: a clear line, the details only on request.
  const message = e instanceof Error ? e.message : String(e);
  out.data({ ok: false, error: message });
  process.stderr.write(`touchpoint: ${message}\n`);
  if (process.env.TOUCHPOINT_DEBUG && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  return 1;
}

function isParseArgsError(e: unknown): boolean {
  return (
    e instanceof TypeError && 'code' in e && typeof e.code === 'string' && e.code.startsWith('ERR_PARSE_ARGS')
  );
}
