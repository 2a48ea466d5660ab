/**
 * The shipped GitHub workflow: valid for GitHub, and doing what the README says. Validity is
 * GitHub's own word: `@actions/workflow-parser` is the parser and schema (its
 * `workflow-v1.0.json`) of GitHub's Actions language services, which reports what the Actions
 * service refuses (an unknown key, a bad permission, an expression in the wrong place).
 * No npm package ships SchemaStore's `github-workflow.json` as JSON (`@schemastore/github-workflow`
 * holds only TypeScript types), so that schema and ajv are not used here.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO } from '../support/tree';

const WORKFLOW_FILE = '.github/workflows/twinops.yml';
const workflowText = readFileSync(join(REPO, WORKFLOW_FILE), 'utf8');

/** GitHub's parser's messages for `content`, none when GitHub accepts it. */
async function workflowErrors(content: string): Promise<string[]> {
  const { context, value } = parseWorkflow({ name: WORKFLOW_FILE, content }, new NoOperationTraceWriter());
  // The conversion checks what the schema alone does not (jobs, needs, concurrency, permissions).
  if (value !== undefined) await convertWorkflowTemplate(context, value);
  return context.errors.getErrors().map((error) => error.message);
}

interface Step {
  readonly name?: string;
  readonly id?: string;
  readonly if?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
}
const workflow = parse(workflowText) as {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: { render: { steps: Step[] } };
};
const steps = workflow.jobs.render.steps;
const stepWith = (predicate: (step: Step) => boolean): Step => {
  const step = steps.find(predicate);
  if (step === undefined) throw new Error(`${WORKFLOW_FILE}: no such step`);
  return step;
};

describe('the shipped GitHub workflow', () => {
  it('is valid for GitHub', async () => {
    expect(await workflowErrors(workflowText)).toEqual([]);
  });

  it('would be refused with a misspelled key (the validation is not vacuous)', async () => {
    const misspelled = workflowText.replace('    runs-on: ubuntu-latest', '    runs_on: ubuntu-latest');
    expect(misspelled).not.toBe(workflowText);
    const errors = await workflowErrors(misspelled);
    expect(errors.some((message) => message.includes("Unexpected value 'runs_on'"))).toBe(true);
  });

  it('would be refused with a permission GitHub does not know', async () => {
    const wrong = workflowText.replace('  pull-requests: write', '  pull-request: write');
    expect(wrong).not.toBe(workflowText);
    expect((await workflowErrors(wrong)).length).toBeGreaterThan(0);
  });

  it('runs on pull requests and pushes to main, with read access and pull-request comments only', () => {
    expect(workflow.on).toEqual({ pull_request: null, push: { branches: ['main'] } });
    expect(workflow.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
  });

  it('runs the gate of .ci/run in order: full history, Node 20 with the npm cache, npm ci, npm test, check, diff', () => {
    expect(steps.map((step) => step.uses ?? step.run?.split('\n')[0])).toEqual([
      'actions/checkout@v4',
      'actions/setup-node@v4',
      'npm ci --no-audit --no-fund',
      'npm test',
      'npm run twinops -- check',
      'status=0',
      'actions/github-script@v7',
    ]);
    expect(stepWith((step) => step.uses === 'actions/checkout@v4').with).toEqual({ 'fetch-depth': 0 });
    expect(stepWith((step) => step.uses === 'actions/setup-node@v4').with).toEqual({ 'node-version': 20, cache: 'npm' });
  });

  it('passes the base branch through the environment, never spliced into the script', () => {
    const diff = stepWith((step) => step.id === 'diff');
    expect(diff.env).toEqual({ BASE_REF: '${{ github.base_ref }}' });
    expect(diff.run).not.toContain('${{');
  });
});

/** A temporary folder, removed after each test. */
let scratch: string | undefined;
afterEach(() => {
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
});

describe("the diff step's script", () => {
  /** Runs the step's script with an `npm` that prints `output` and exits `code`; what GitHub would see. */
  function runDiffStep(code: number, output: string) {
    scratch = mkdtempSync(join(tmpdir(), 'twinops-workflow-'));
    const npm = join(scratch, 'npm');
    writeFileSync(npm, `#!/bin/sh\necho "$*" > "${scratch}/args"\nprintf '%s' '${output}'\nexit ${code}\n`);
    chmodSync(npm, 0o755);
    const files = { output: join(scratch, 'output'), summary: join(scratch, 'summary') };
    for (const file of Object.values(files)) writeFileSync(file, '');
    // As GitHub runs a `run:` step on Linux: bash --noprofile --norc -eo pipefail.
    const run = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', stepWith((step) => step.id === 'diff').run ?? ''], {
      cwd: scratch,
      encoding: 'utf8',
      env: { PATH: `${scratch}:${process.env.PATH ?? ''}`, BASE_REF: 'main', GITHUB_OUTPUT: files.output, GITHUB_STEP_SUMMARY: files.summary },
    });
    const read = (file: string) => readFileSync(file, 'utf8');
    return { status: run.status, stderr: run.stderr, args: read(join(scratch, 'args')), output: read(files.output), summary: read(files.summary) };
  }

  it('treats exit 1 as "differences": the step passes and the markdown is kept', () => {
    const result = runDiffStep(1, '## twinops diff');
    expect(result.status).toBe(0);
    expect(result.args).toBe('run --silent twinops -- diff --base origin/main --format markdown\n');
    expect(result.output).toBe('differences=true\n');
    expect(result.summary).toBe('## twinops diff');
  });

  it('treats exit 0 as "no difference"', () => {
    const result = runDiffStep(0, 'no difference');
    expect(result.status).toBe(0);
    expect(result.output).toBe('differences=false\n');
  });

  it('fails on exit 2 (an error), saying so', () => {
    const result = runDiffStep(2, '');
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('twinops diff failed (exit 2)\n');
    expect(result.output).toBe('');
  });
});

describe("the comment step's script", () => {
  const MARKER = '<!-- twinops-diff -->';
  type Comment = { id: number; body: string; user: { type: string } };

  /** Runs the github-script body as the action does, with a fake GitHub API holding `comments`. */
  async function runCommentStep(comments: Comment[], diff: string, differences: 'true' | 'false') {
    scratch = mkdtempSync(join(tmpdir(), 'twinops-workflow-'));
    writeFileSync(join(scratch, 'diff.md'), diff);
    const calls: { call: string; args: Record<string, unknown> }[] = [];
    const listComments = Symbol('listComments');
    const github = {
      paginate: async (method: unknown, args: Record<string, unknown>) => {
        expect(method).toBe(listComments);
        expect(args).toEqual({ owner: 'example', repo: 'estate', issue_number: 7, per_page: 100 });
        return comments;
      },
      rest: {
        issues: {
          listComments,
          updateComment: async (args: Record<string, unknown>) => calls.push({ call: 'update', args }),
          createComment: async (args: Record<string, unknown>) => calls.push({ call: 'create', args }),
        },
      },
    };
    const context = { repo: { owner: 'example', repo: 'estate' }, payload: { pull_request: { number: 7 } } };
    const script = String(stepWith((step) => step.uses === 'actions/github-script@v7').with?.['script']);
    const cwd = process.cwd();
    const previous = process.env.DIFFERENCES;
    process.chdir(scratch);
    process.env.DIFFERENCES = differences;
    try {
      const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<unknown>;
      await new AsyncFunction('require', 'github', 'context', script)(createRequire(import.meta.url), github, context);
    } finally {
      process.chdir(cwd);
      if (previous === undefined) delete process.env.DIFFERENCES;
      else process.env.DIFFERENCES = previous;
    }
    return calls;
  }

  it('updates the comment that carries the marker', async () => {
    const comments = [
      { id: 1, body: 'looks good', user: { type: 'User' } },
      { id: 2, body: `${MARKER}\nold diff`, user: { type: 'Bot' } },
    ];
    expect(await runCommentStep(comments, 'new diff', 'true')).toEqual([
      { call: 'update', args: { owner: 'example', repo: 'estate', comment_id: 2, body: `${MARKER}\nnew diff` } },
    ]);
  });

  it('creates one when none carries the marker (a user quoting it does not count)', async () => {
    const comments = [{ id: 3, body: `quoting ${MARKER}`, user: { type: 'User' } }];
    expect(await runCommentStep(comments, 'a diff', 'true')).toEqual([
      { call: 'create', args: { owner: 'example', repo: 'estate', issue_number: 7, body: `${MARKER}\na diff` } },
    ]);
  });

  it("posts diff's markdown as it is when it starts with the marker: the marker once", async () => {
    expect(await runCommentStep([], `${MARKER}\n## twinops diff`, 'true')).toEqual([
      { call: 'create', args: { owner: 'example', repo: 'estate', issue_number: 7, body: `${MARKER}\n## twinops diff` } },
    ]);
  });

  it('says nothing when there is no difference and no earlier comment', async () => {
    expect(await runCommentStep([], 'no difference', 'false')).toEqual([]);
  });

  it("keeps the body within GitHub's 65,536 characters", async () => {
    const [call] = await runCommentStep([], 'x'.repeat(70_000), 'true');
    expect(String(call?.args['body']).length).toBe(65_536);
  });
});
