// A detached JVM outlives a launcher that is killed without running its cleanup (SIGKILL, a CI
// timeout, SIGTERM to a process with no handler): an in-memory DynamoDB Local holds nothing anyone
// could come back to, so nothing would ever stop it. A tiny watchdog process, itself detached, checks
// once a second that the launcher is alive; when it is not, it kills the JVM's process group. It ends
// by itself as soon as that group is gone, so a normal stop leaves nothing behind either.
import { spawn } from 'node:child_process';

const WATCHDOG = `
const [parent, group] = process.argv.slice(1).map(Number);
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
const timer = setInterval(() => {
  if (!alive(-group)) return clearInterval(timer);
  if (!alive(parent)) { try { process.kill(-group, 'SIGKILL'); } catch {} clearInterval(timer); }
}, 1000);
`;

/** Kills process group `group` once this process has died. Returns the watchdog's pid. */
export function killGroupWhenParentDies(group: number): number | undefined {
  const child = spawn(process.execPath, ['-e', WATCHDOG, String(process.pid), String(group)], {
    detached: true,
    stdio: 'ignore',
  });
  child.unref();
  return child.pid;
}
