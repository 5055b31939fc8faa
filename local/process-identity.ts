// Who a pid is now: enough to tell a process we started from an unrelated one that was given the
// same pid later. Read from /proc on Linux (field 22 of /proc/<pid>/stat, the start time in clock
// ticks since boot, survives exec and differs for a reused pid), from `ps` elsewhere. Reading only:
// nothing here signals a process.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessIdentity {
  pid: number;
  /** Its process group. */
  pgid: number;
  /** When it started, as the OS reports it; compared for equality only. */
  startTime: string;
}

const LINUX = process.platform === 'linux';

const validPid = (pid: number): boolean => Number.isInteger(pid) && pid > 0;

/** The process group and start time in a /proc/<pid>/stat line; undefined for a zombie or nonsense. */
export function parseProcStat(stat: string): Omit<ProcessIdentity, 'pid'> | undefined {
  // Field 2 (the command name) may hold spaces and parentheses: the others start after the last ')'.
  const close = stat.lastIndexOf(')');
  if (close < 0) return undefined;
  const fields = stat.slice(close + 2).split(' ');
  // fields[0] is field 3 (state), fields[2] field 5 (process group), fields[19] field 22 (start time).
  const [state, , pgid] = fields;
  const startTime = fields[19];
  // A zombie has exited: it holds no files and no port, and only waits for its parent to reap it.
  if (state === undefined || state === 'Z' || state === 'X' || state === 'x') return undefined;
  if (!pgid || !/^\d+$/.test(pgid) || !startTime || !/^\d+$/.test(startTime)) return undefined;
  return { pgid: Number(pgid), startTime };
}

function fromProc(pid: number): ProcessIdentity | undefined {
  try {
    const parsed = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    return parsed && { pid, ...parsed };
  } catch {
    return undefined;
  }
}

function fromPs(pid: number): ProcessIdentity | undefined {
  const out = spawnSync('ps', ['-o', 'pgid=', '-o', 'stat=', '-o', 'lstart=', '-p', String(pid)], {
    encoding: 'utf8',
  });
  const m = /^\s*(\d+)\s+(\S+)\s+(.+?)\s*$/.exec(out.stdout ?? '');
  if (!m?.[1] || !m[2] || !m[3] || m[2].startsWith('Z')) return undefined;
  return { pid, pgid: Number(m[1]), startTime: m[3] };
}

/** The running (not zombie) process with this pid, or undefined. */
export function identify(pid: number): ProcessIdentity | undefined {
  if (!validPid(pid)) return undefined;
  return LINUX ? fromProc(pid) : fromPs(pid);
}

/** True while the process recorded as `recorded` still runs (same pid, same start time). */
export function isSameProcess(recorded: Pick<ProcessIdentity, 'pid' | 'startTime'>): boolean {
  return identify(recorded.pid)?.startTime === recorded.startTime;
}

/** Its arguments (argv, program included); on systems without /proc, one string of them all. */
export function commandLine(pid: number): string[] | undefined {
  if (!validPid(pid)) return undefined;
  if (LINUX) {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    } catch {
      return undefined;
    }
  }
  const out = spawnSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' });
  const args = (out.stdout ?? '').trim();
  return args ? [args] : undefined;
}

/** Whether one of its arguments contains `mark` (a path only our processes are given). */
export function commandLineHolds(pid: number, mark: string): boolean {
  return commandLine(pid)?.some((arg) => arg.includes(mark)) ?? false;
}

/** Running processes one of whose arguments is exactly `arg`: to find, never to signal. */
export function processesWithArgument(arg: string): number[] {
  if (LINUX) {
    let names: string[];
    try {
      names = readdirSync('/proc');
    } catch {
      return [];
    }
    return names
      .filter((name) => /^\d+$/.test(name))
      .map(Number)
      .filter((pid) => pid !== process.pid && (commandLine(pid)?.includes(arg) ?? false))
      .filter((pid) => identify(pid) !== undefined);
  }
  const out = spawnSync('ps', ['-axo', 'pid=,stat=,args='], { encoding: 'utf8' });
  return (out.stdout ?? '')
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\S+)\s+(.*)$/.exec(line))
    .filter((m) => m?.[2] !== undefined && !m[2].startsWith('Z') && (m[3] ?? '').split(' ').includes(arg))
    .map((m) => Number(m?.[1]))
    .filter((pid) => pid !== process.pid);
}
