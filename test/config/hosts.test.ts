import { describe, expect, it } from 'vitest';
import { defaultDrHost } from '../../lib/config/hosts';

describe('defaultDrHost', () => {
  it('puts the DR suffix on the first label', () => {
    expect(defaultDrHost('blog.example.org', '-dr')).toBe('blog-dr.example.org');
    expect(defaultDrHost('cloud.home.example.org', '-standby')).toBe('cloud-standby.home.example.org');
  });
});
