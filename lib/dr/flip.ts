/**
 * `dr activate|sync|standby`: writes the state change into the environment file, then renders
 * everything exactly as synth does. A render that fails puts the file's original bytes back, so
 * the file and `dist/` never disagree.
 */
import { writeFileSync } from 'node:fs';
import { synthesize, type SynthOptions, type SynthSummary } from '../synth';
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
  const { file, target, ...synth } = options;
  const change = prepareStateChange(file, target, { knownApps: options.catalog });
  const edited = change.text !== change.original;
  if (edited) writeFileSync(file, change.text);
  try {
    return { change, summary: synthesize(synth) };
  } catch (error) {
    if (!edited) throw error;
    writeFileSync(file, change.original);
    throw new RestoredError(file, error);
  }
}
