import { describe, expect, it } from 'vitest';
import { appEdgeNames } from '../../lib/variant/edge';
import { renderHome } from '../support/render';

describe('appEdgeNames', () => {
  it('names an app\'s route, balancer and record after the app and the prod instance', () => {
    expect(appEdgeNames('traefik-external', 'wordpress')).toEqual({
      route: 'wordpress-ingressroute',
      balancer: 'traefik-external-wordpress',
      record: 'wordpress-name',
    });
  });

  it('is what the rendered estate carries, prod and twin', () => {
    const rendered = renderHome().units.flatMap((unit) => unit.objects.map((o) => `${o.kind}/${o.metadata.name}`));
    const { route, balancer, record } = appEdgeNames('traefik-external', 'nextcloud');
    expect(rendered).toEqual(
      expect.arrayContaining([
        `IngressRoute/${route}`,
        `IngressRoute/${route}-dr`,
        `Service/${balancer}`,
        `Service/${balancer}-dr`,
        `Service/${record}`,
        `Service/${record}-dr`,
      ]),
    );
  });
});
