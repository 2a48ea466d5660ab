/**
 * `dr activate|sync|standby`: writes the state change into the environment file, then renders
 * everything exactly as synth does. A render that fails puts the file's original bytes back, so
 * the file and `dist/` never disagree.
 */
import { UserError } from '../errors';
import { removeStaleTemporaries, writeFileAtomic } from '../fs/atomic-write';
import { synthesize, withRenderLock, type SynthOptions, type SynthSummary } from '../synth';
import { prepareStateChange, type DrTarget, type StateChangePlan } from './change';

export interface FlipOptions extends Omit<SynthOptions, 'stateOverride'> {
  /** The environment file to change; it must be one of `environmentsDir`. */
  readonly file: string;
  readonly target: DrTarget;
}

export interface FlipResult {
  readonly change: StateChangePlan;
  readonly summary: SynthSummary;
}

/** The render after the edit failed; the environment file holds its original bytes again. */
export class RestoredError extends Error {
  override readonly name = 'RestoredError';
  public constructor(
    public readonly file: string,
    cause: unknown,
  ) {
    super(`the render failed; ${file} was restored to its original content`, { cause });
  }
}

/** Changes the state in the file and renders every environment into `dist/`. */
export function flipState(options: FlipOptions): FlipResult {
  // Locked before the edit: no other render reads the file or writes dist/ until this render is done.
  return withRenderLock(options, () => flipUnderLock(options));
}

function flipUnderLock(options: FlipOptions): FlipResult {
  const { file, target, ...synth } = options;
  for (const stale of removeStaleTemporaries(file)) options.onNotice?.(`removed ${stale}, left by an edit that was killed; ${file} is whole`);
  const change = prepareStateChange(file, target, { knownApps: options.catalog });
  const edited = change.text !== change.original;
  // Atomic: a kill or a full disk leaves the original bytes or the edited ones, never a part.
  if (edited) writeFileAtomic(file, change.text);
  try {
    return { change, summary: synthesize(synth) };
  } catch (error) {
    if (!edited) throw error;
    restore(file, change.original, error);
    throw new RestoredError(file, error);
  }
}

/** Puts the original bytes back after a failed render; says so plainly if even that fails. */
function restore(file: string, original: string, renderError: unknown): void {
  try {
    writeFileAtomic(file, original);
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new UserError(`the render failed and ${file} could not be put back (${why}): it holds the edited state; dist/ is unchanged`, {
      cause: renderError,
    });
  }
}
