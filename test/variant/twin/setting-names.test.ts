/** Which settings hold a host: the rule that keeps `POSTGRES_DB: nextcloud` from becoming `nextcloud-dr`. */
import { describe, expect, it } from 'vitest';
import { namesHost } from '../../../lib/variant/twin/names';

describe('namesHost', () => {
  it.each(['WORDPRESS_DB_HOST', 'WP_REDIS_HOST', 'KC_DB_URL_HOST', 'DATABASE_URL', 'redisAddress', 'cache-server', 'SENTRY_DSN', 'kafka.brokers'])('reads %s as a host setting', (key) => {
    expect(namesHost(key)).toBe(true);
  });

  it.each(['POSTGRES_DB', 'POSTGRES_USER', 'MARIADB_DATABASE', 'CACHE_DRIVER', 'GHOST_MODE', 'urlencode', 'KC_DB_URL_DATABASE', 'HOST_NAME_PREFIX'])('reads %s as another setting (by its last whole word)', (key) => {
    expect(namesHost(key)).toBe(false);
  });
});
