/**
 * Waits for the runbook's `sh` blocks. Every wait is bounded and followed by one comment line
 * saying what a timeout means and what to do: at 3 a.m. a loop that never ends looks exactly
 * like one that is about to succeed. A block is pasted, not run as a script, so a timeout
 * cannot `exit` (that would close the operator's terminal): it prints a loud line instead.
 */
import { shellArg, shellComment } from './shell';
import type { Writer } from './volumes';

/** How long a bounded loop polls: `tries` checks, `seconds` apart. */
export interface Poll {
  /** Number of checks before giving up. */
  readonly tries: number;
  /** Seconds between two checks. */
  readonly seconds: number;
}

/** What to do when a wait times out, as the comment line after it. */
export const onTimeout = (advice: string): string => `# On timeout: ${shellComment(advice)}`;

/**
 * `check` (a command that succeeds once the wait is over) polled until it succeeds or `poll`
 * is spent, then checked once more: a failure there prints `TIMEOUT: <message>` on stderr.
 */
export function boundedUntil(check: string, poll: Poll, message: string, advice: string): string[] {
  return [
    `for i in $(seq 1 ${poll.tries}); do ${check} && break; sleep ${poll.seconds}; done`,
    `${check} || echo ${shellArg(`TIMEOUT: ${message}`)} >&2`,
    onTimeout(advice),
  ];
}

/** `-l app.kubernetes.io/instance=wordpress-db`: a workload's pods, or undefined when it has no labels. */
export function podSelector(writer: Writer): string | undefined {
  const labels = Object.entries(writer.podLabels).map(([key, value]) => `${key}=${value}`);
  return labels.length === 0 ? undefined : `-l ${shellArg(labels.join(','))}`;
}

/** Waits until every pod of the writers is gone (a claim is detached only then). */
export function podsGoneLines(writers: readonly Writer[], timeout: string, advice: string): string[] {
  if (writers.length === 0) return [];
  const lines = writers.map((writer) => {
    const selector = podSelector(writer);
    return selector === undefined
      ? `# ${shellComment(`${writer.kind} ${writer.name}`)} selects its pods by no label: check with kubectl get pods -n ${shellComment(writer.namespace)} that none is left.`
      : `kubectl wait pod -n ${shellArg(writer.namespace)} ${selector} --for=delete --timeout=${timeout}`;
  });
  return [...lines, onTimeout(advice)];
}
