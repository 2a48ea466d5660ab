/** The twin transform: an app's DR objects derived from its prod objects by the rule table. */
export { twinObjects } from './twin';
export { TWIN_RULES, ruleFor, type KindRule, type TableReference } from './table';
export type { NameReference, ObjectRef, TwinDeclaration, TwinError, TwinHosts, TwinObject, TwinResult, TwinRules } from './types';
