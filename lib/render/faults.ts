/**
 * Crash points of the writer, for tests. Every filesystem change the writer makes goes through
 * `Steps.run`, numbered from 1, so a test can stop the writer exactly before step N: in-process
 * by throwing `InjectedCrash` from `beforeStep`, or for real with `TWINOPS_FAULT_KILL_AT=N`,
 * which makes the process SIGKILL itself there (a real kill runs no `finally`, no cleanup).
 */
import { existsSync } from 'node:fs';

/** Called before each filesystem step of the writer; throwing stops the writer there. */
export interface Faults {
  /** `step` counts from 1 within one write (recovery included); `what` names the step. */
  readonly beforeStep?: (step: number, what: string) => void;
}

/**
 * A simulated crash. The writer never catches it to clean up: whatever it leaves is what a
 * killed process would leave, for the next run's recovery to handle.
 */
export class InjectedCrash extends Error {
  override readonly name = 'InjectedCrash';
  public constructor(
    public readonly step: number,
    public readonly what: string,
  ) {
    super(`injected crash before step ${step} (${what})`);
  }
}

/** Test hook, never set in normal use: the process kills itself (SIGKILL) before this step. */
export const KILL_AT_VARIABLE = 'TWINOPS_FAULT_KILL_AT';
/**
 * Test hook, never set in normal use: before its first step the writer waits (holding the lock)
 * until this file exists, so a test can start a second render while the first one holds the lock.
 */
export const PAUSE_UNTIL_VARIABLE = 'TWINOPS_FAULT_PAUSE_UNTIL';
/** The longest a paused writer waits for its file, so a broken test cannot hang a process forever. */
const LONGEST_PAUSE_MS = 120_000;

function pauseUntil(file: string): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let waited = 0; !existsSync(file) && waited < LONGEST_PAUSE_MS; waited += 20) Atomics.wait(pause, 0, 0, 20);
}

/** The faults a process environment asks for (`TWINOPS_FAULT_KILL_AT=N`, `TWINOPS_FAULT_PAUSE_UNTIL=FILE`), or none. */
export function faultsFromEnvironment(env: Readonly<Record<string, string | undefined>>): Faults | undefined {
  const killValue = env[KILL_AT_VARIABLE] ?? '';
  const pauseFile = env[PAUSE_UNTIL_VARIABLE] ?? '';
  if (killValue === '' && pauseFile === '') return undefined;
  const killAt = killValue === '' ? undefined : Number(killValue);
  if (killAt !== undefined && (!Number.isInteger(killAt) || killAt < 1)) {
    throw new Error(`${KILL_AT_VARIABLE} expects a step number from 1; given "${killValue}"`);
  }
  return {
    beforeStep: (step) => {
      if (step === 1 && pauseFile !== '') pauseUntil(pauseFile);
      if (step === killAt) process.kill(process.pid, 'SIGKILL');
    },
  };
}

/** Numbers the filesystem steps of one write and gives each to the fault hook first. */
export class Steps {
  private count = 0;

  public constructor(private readonly faults: Faults | undefined) {}

  /** Runs `change` as the next step, after the hook has had its chance to stop the writer. */
  public run<T>(what: string, change: () => T): T {
    this.count += 1;
    this.faults?.beforeStep?.(this.count, what);
    return change();
  }
}
