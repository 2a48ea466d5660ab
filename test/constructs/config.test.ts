import { describe, expect, it } from 'vitest';
import { Config } from '../../lib/constructs/config';
import { appChart, objects } from '../support/scope';

describe('Config', () => {
  it('renders the variant-named ConfigMap with the data it is given', () => {
    const chart = appChart('dr');
    const config = new Config(chart, 'identity', { name: 'wordpress-identity', data: { WP_HOME: 'https://blog-dr.example.org' } });
    expect(config.configMapName).toBe('wordpress-identity-dr');
    expect(objects(chart)).toMatchInlineSnapshot(`
      [
        {
          "apiVersion": "v1",
          "data": {
            "WP_HOME": "https://blog-dr.example.org",
          },
          "kind": "ConfigMap",
          "metadata": {
            "labels": {
              "app.kubernetes.io/instance": "wordpress-identity-dr",
              "app.kubernetes.io/managed-by": "twinops",
              "app.kubernetes.io/name": "wordpress-identity",
              "app.kubernetes.io/part-of": "wordpress",
              "twinops.dev/variant": "dr",
            },
            "name": "wordpress-identity-dr",
            "namespace": "wordpress",
          },
        },
      ]
    `);
  });
});
