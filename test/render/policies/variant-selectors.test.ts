/** No Service of one variant selects the pods of the other, whatever labels it uses. */
import { describe, expect, it } from 'vitest';
import { referencesResolve } from '../../../lib/render/policies/references';
import { variantSelectors } from '../../../lib/render/policies/variant-selectors';
import { LAB_UNITS, WP_DR, WP_PROD, editUnit, find } from './lab';

describe('variant selectors on the lab', () => {
  it('pass as rendered', () => {
    expect(variantSelectors(LAB_UNITS)).toEqual([]);
  });

  it('refuse a DR Service whose selector matches prod pods (without the instance label the references policy reads)', () => {
    const units = editUnit(WP_DR, (objects) => {
      find(objects, 'Service', 'wordpress-dr').spec.selector = { 'app.kubernetes.io/name': 'wordpress' };
    });
    expect(referencesResolve(units)).toEqual([]);
    expect(variantSelectors(units)).toEqual([
      {
        file: WP_DR,
        kind: 'Service',
        name: 'wordpress-dr',
        path: 'spec.selector',
        message: `a dr Service must select no pod of the prod variant; given {"app.kubernetes.io/name":"wordpress"}, which selects Deployment/wordpress of ${WP_PROD}`,
      },
    ]);
  });

  it('refuse a prod Service whose selector matches DR pods', () => {
    const units = editUnit(WP_PROD, (objects) => {
      find(objects, 'Service', 'wordpress-db').spec.selector = { 'app.kubernetes.io/part-of': 'wordpress' };
    });
    expect(variantSelectors(units).map((problem) => `${problem.name}: ${problem.message}`)).toEqual([
      `wordpress-db: a prod Service must select no pod of the dr variant; given {"app.kubernetes.io/part-of":"wordpress"}, which selects Deployment/wordpress-db-dr of ${WP_DR}`,
      `wordpress-db: a prod Service must select no pod of the dr variant; given {"app.kubernetes.io/part-of":"wordpress"}, which selects Deployment/wordpress-dr of ${WP_DR}`,
    ]);
  });
});
