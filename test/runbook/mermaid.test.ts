/**
 * The runbook's diagram is parsed by Mermaid itself (the library GitHub renders it with), in a
 * DOM provided by jsdom: a diagram GitHub would show as an error fails here.
 */
import { JSDOM } from 'jsdom';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderRunbook } from '../../lib/runbook';
import { loadHome, renderHome } from '../support/render';

type Mermaid = { parse(text: string): Promise<{ diagramType: string }>; initialize(config: object): void };
let mermaid: Mermaid;

beforeAll(async () => {
  const dom = new JSDOM('<!doctype html><html><body></body></html>');
  Object.assign(globalThis, { window: dom.window, document: dom.window.document, DOMParser: dom.window.DOMParser });
  Object.defineProperty(globalThis, 'navigator', { value: dom.window.navigator, configurable: true });
  mermaid = (await import('mermaid')).default as unknown as Mermaid;
  mermaid.initialize({ startOnLoad: false });
});

function diagramOf(markdown: string): string {
  const match = /```mermaid\n([\s\S]*?)\n```/.exec(markdown);
  if (!match?.[1]) throw new Error('no mermaid block');
  return match[1];
}

describe('runbook diagram', () => {
  it('is a flowchart Mermaid parses', async () => {
    const diagram = diagramOf(renderRunbook(loadHome(), renderHome()));
    await expect(mermaid.parse(diagram)).resolves.toMatchObject({ diagramType: 'flowchart-v2' });
  });

  it('would fail on a broken diagram', async () => {
    const diagram = diagramOf(renderRunbook(loadHome(), renderHome()));
    await expect(mermaid.parse(diagram.replace('-->', '--> -->'))).rejects.toThrow();
  });
});
