// The parent of one user command, started by the worker with an IPC channel. It runs the command
// in a process group of its own and kills that group when the worker asks (timeout, stop,
// cancel) and when the worker is gone — even killed with SIGKILL, since its end of the channel
// closes then. Node has no PR_SET_PDEATHSIG: this process is how a command never outlives its
// worker. It lives in a process group of its own too, so a signal to the worker's group does not
// take it down before it has killed the command.
//
// It never touches its own stdin, stdout or stderr: the command inherits them (the worker's
// pipes) as they are, and Node would make them non-blocking under the command's feet.
//
// From the worker: {type: 'start', command, cwd, env, graceMs}, then maybe {type: 'terminate'}.
// To the worker: {type: 'started', pid}, then {type: 'exit', code, signal} or {type: 'error', message}.
import { spawn } from 'node:child_process';

let child = null;
let finished = false;
let killTimer = null;
let graceMs = 5000;

function signalGroup(signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is gone already.
  }
}

/** SIGTERM to the command's group, then SIGKILL after the grace. */
function terminate() {
  if (!child?.pid || finished || killTimer) return;
  signalGroup('SIGTERM');
  killTimer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
}

/** Tells the worker how it ended, then lets go of the channel (this process then exits). */
function finish(message) {
  finished = true;
  clearTimeout(killTimer);
  if (!process.connected) return;
  process.send(message, () => process.connected && process.disconnect());
}

function start({ command, cwd, env, graceMs: grace }) {
  graceMs = grace;
  child = spawn(command[0], command.slice(1), { cwd, env, stdio: 'inherit', detached: true });
  child.on('error', (error) => {
    if (!finished) finish({ type: 'error', message: error.message });
  });
  if (child.pid === undefined) return;
  // The worker may be gone already: then its 'disconnect' ends the command.
  if (process.connected) process.send({ type: 'started', pid: child.pid }, () => undefined);
  child.on('exit', (code, signal) => {
    // What the command left behind in its group goes with it.
    signalGroup('SIGKILL');
    finish({ type: 'exit', code, signal });
  });
}

process.on('message', (message) => {
  if (message?.type === 'start' && !child) start(message);
  else if (message?.type === 'terminate') terminate();
});
/** The worker is gone, or this process is asked to end: the command ends first. */
function stop() {
  if (!child) process.exit(0);
  terminate();
}
process.on('disconnect', stop);
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, stop);
