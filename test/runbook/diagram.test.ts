import { describe, expect, it } from 'vitest';
import { mermaidId } from '../../lib/runbook/diagram';
import { runbookOf, section, tiny } from './support';

describe('the Mermaid diagram', () => {
  it('draws clusters, nodes, Traefik instances, prod and twin, routes and sync methods', () => {
    expect(section(runbookOf(tiny()), '## Diagram')).toBe(
      [
        '## Diagram',
        '',
        'Solid arrows: the hosts each Traefik instance serves now. Dotted arrows: how each twin is resynchronised.',
        '',
        '```mermaid',
        'flowchart LR',
        '  subgraph cluster__lab["cluster lab"]',
        '    subgraph node__lab__main["main (control plane)"]',
        '      prod__lab__keycloak["keycloak"]',
        '    end',
        '    subgraph node__lab__spare["spare (DR node)"]',
        '      traefik__lab__dr["Traefik traefik-dr"]',
        '      twin__lab__keycloak["keycloak-dr"]',
        '      twin__lab__redis["redis-dr"]',
        '    end',
        '    traefik__lab__prod["Traefik traefik-external"]',
        '    prod__lab__redis["redis"]',
        '  end',
        '  traefik__lab__prod -- "id.example.org" --> prod__lab__keycloak',
        '  traefik__lab__dr -- "id-dr.example.org" --> twin__lab__keycloak',
        '  prod__lab__keycloak -. "zfs send" .-> twin__lab__keycloak',
        '  prod__lab__redis -. "no data to sync" .-> twin__lab__redis',
        '```',
      ].join('\n'),
    );
  });

  it('routes the prod host through the DR instance once active', () => {
    const diagram = section(runbookOf(tiny({ dr: { state: 'active' } })), '## Diagram');
    expect(diagram).toContain('  traefik__lab__dr -- "id-dr.example.org, id.example.org" --> twin__lab__keycloak');
    expect(diagram).not.toContain('traefik__lab__prod -- "id.example.org"');
  });

  it('makes valid ids from any name, without collisions', () => {
    expect(mermaidId('prod', 'eu-west.1', 'a-b')).toBe('prod__eu_west_1__a_b');
    expect(mermaidId('prod', 'x-y', 'z')).not.toBe(mermaidId('prod', 'x', 'y-z'));
  });
});
