// touchpoint users add|list|remove|token: the console's users locally (local/console-users.ts), as an
// administrator manages them in the cloud's Cognito user pool (docs/console-auth.md). A token is an
// ID token like Cognito's, valid 12 hours; removing a user, or changing their role, stops their
// tokens at once.
import { z } from 'zod';
import { ROLES } from '../../../shared/api/principal.js';
import {
  addConsoleUser,
  consoleEmail,
  issueConsoleToken,
  LOCAL_TOKEN_HOURS,
  listConsoleUsers,
  removeConsoleUser,
  UnknownConsoleUserError,
} from '../../console-users.js';
import { ensurePrivateDir } from '../../data-dir.js';
import type { CommandContext } from '../context.js';
import { RefusedError, UsageError } from '../errors.js';
import { table } from '../output.js';

const USAGE =
  'touchpoint users add EMAIL --role admin|editor|viewer | users list | users remove EMAIL | users token EMAIL';

const roleOption = z.enum(ROLES);

function email(value: string | undefined): string {
  if (value === undefined) throw new UsageError(`usage: ${USAGE}`);
  const parsed = consoleEmail.safeParse(value);
  if (!parsed.success) throw new RefusedError(`not an email address: ${JSON.stringify(value)}`);
  return parsed.data;
}

export async function usersCommand(ctx: CommandContext): Promise<void> {
  const [sub, address, ...extra] = ctx.args;
  if (extra.length > 0) throw new UsageError(`usage: ${USAGE}`);
  if (sub !== 'add' && ctx.options.role !== undefined) throw new UsageError('--role goes with users add');
  ensurePrivateDir(ctx.dataDir);
  switch (sub) {
    case 'add': {
      const role = roleOption.safeParse(ctx.options.role);
      if (!role.success) throw new UsageError(`--role admin|editor|viewer is required: ${USAGE}`);
      const { user, change } = addConsoleUser(ctx.dataDir, email(address), role.data);
      ctx.out.data({ ok: true, change, user });
      ctx.out.text(
        change === 'added'
          ? `Added ${user.email} (${user.role}). A token: touchpoint users token ${user.email}`
          : change === 'role-changed'
            ? `${user.email} is now ${user.role}; their earlier tokens no longer work.`
            : `${user.email} is already ${user.role}.`,
      );
      return;
    }
    case 'list': {
      if (address !== undefined) throw new UsageError(`usage: ${USAGE}`);
      const users = listConsoleUsers(ctx.dataDir);
      ctx.out.data({ users, count: users.length });
      ctx.out.text(table(users, ['email', 'role', 'addedAt', 'sub']));
      return;
    }
    case 'remove': {
      const target = email(address);
      if (!removeConsoleUser(ctx.dataDir, target)) throw new RefusedError(`no console user ${target}`);
      ctx.out.data({ ok: true, removed: target });
      ctx.out.text(`Removed ${target}; their tokens no longer work.`);
      return;
    }
    case 'token': {
      const target = email(address);
      let token: string;
      try {
        token = await issueConsoleToken(ctx.dataDir, target);
      } catch (e) {
        if (e instanceof UnknownConsoleUserError) throw new RefusedError(e.message);
        throw e;
      }
      ctx.out.data({ token, email: target, expiresInHours: LOCAL_TOKEN_HOURS });
      // The token alone on stdout, so `TOKEN=$(touchpoint users token …)` works.
      ctx.out.text(token);
      ctx.out.note(
        `An ID token for ${target}, valid ${LOCAL_TOKEN_HOURS} h: send it as the Authorization header to /console/v1.`,
      );
      return;
    }
    default:
      throw new UsageError(`usage: ${USAGE}`);
  }
}
