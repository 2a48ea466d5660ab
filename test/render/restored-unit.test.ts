/**
 * Units restored from the render cache file keep their objects as JSON until something reads
 * them (lib/render/restored-unit.ts); what they give is always the objects that were saved.
 */
import { describe, expect, it } from 'vitest';
import type { ApiObjectJson, RenderedUnit } from '../../lib/model';
import { textOf } from '../../lib/render/content';
import { fileNamesOf, layoutOfNamedUnit, layoutOfUnit, type UnitLayout } from '../../lib/render/layout';
import { objectCount, objectsJson, objectsUnread, restoreUnitFacts, unitFact, unitFromJson } from '../../lib/render/restored-unit';
import { knownSame } from '../../lib/render/content';

const service: ApiObjectJson = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'wordpress', namespace: 'web' }, spec: { ports: [{ port: 80 }] } };
const secret: ApiObjectJson = { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'wordpress-db', namespace: 'web' } };
const twin = { prod: 'home/home/apps/wordpress/prod', changed: { 'Service/wordpress-dr': ['metadata.name'] }, shared: [] };
const path = 'home/home/apps/wordpress/dr';

const restored = () => unitFromJson({ path, twin }, Buffer.from(JSON.stringify([service, secret]), 'utf8'), 2);

describe('a unit restored from the render cache file', () => {
  it('keeps its objects as JSON until they are read, then gives them as they were saved, the same array each time', () => {
    const unit = restored();
    expect(objectsUnread(unit)).toBe(true);
    expect(objectCount(unit)).toBe(2);
    expect(Object.keys(unit)).toEqual(['path', 'objects', 'twin']);
    expect(unit.twin).toBe(twin);
    expect(objectsUnread(unit)).toBe(true);
    const objects = unit.objects;
    expect(objectsUnread(unit)).toBe(false);
    expect(objects).toStrictEqual([service, secret]);
    expect(unit.objects).toBe(objects);
    expect({ ...unit }).toStrictEqual({ path, objects: [service, secret], twin });
  });

  it('is saved again with the bytes it was loaded with, read or not; a rendered unit with its objects\' JSON', () => {
    const json = Buffer.from(JSON.stringify([service]), 'utf8');
    const unit = unitFromJson({ path }, json, 1);
    expect(objectsJson(unit)).toBe(json);
    expect(objectsUnread(unit)).toBe(true);
    void unit.objects;
    expect(objectsJson(unit)).toBe(json);
    expect(objectsJson({ path, objects: [secret] })?.toString('utf8')).toBe(JSON.stringify([secret]));
    // What JSON would not give back as it is stays objects.
    expect(objectsJson({ path, objects: [{ ...secret, spec: { refreshInterval: undefined } }] })).toBeUndefined();
  });

  it('derives a fact of a unit\'s objects once, and answers it from the facts saved with it without reading its objects', () => {
    let derived = 0;
    const secrets = (objects: readonly ApiObjectJson[]) => ((derived += 1), objects.filter((object) => object.kind === 'ExternalSecret'));
    const rendered: RenderedUnit = { path, objects: [service, secret] };
    expect(unitFact(rendered, 'test.secrets', secrets)).toEqual([secret]);
    expect(unitFact(rendered, 'test.secrets', secrets)).toEqual([secret]);
    expect(derived).toBe(1);

    const unit = restored();
    restoreUnitFacts(unit, [['test.secrets', [secret]]]);
    expect(unitFact(unit, 'test.secrets', secrets)).toEqual([secret]);
    expect(derived).toBe(1);
    expect(objectsUnread(unit)).toBe(true);
    // A fact it was not saved with is derived from its objects.
    expect(unitFact(unit, 'test.names', (objects) => objects.map((object) => object.metadata.name))).toEqual(['wordpress', 'wordpress-db']);
    expect(objectsUnread(unit)).toBe(false);
  });
});

describe('laying a restored unit out', () => {
  const files = (layout: UnitLayout) => layout.placed.map((file) => [file.path, textOf(file.content)]);

  it('from the file names of its objects gives the files its objects give, without reading them until the text is made', () => {
    const names = fileNamesOf(layoutOfUnit('home', { path, objects: [service, secret] }));
    expect(names).toEqual(['service-wordpress.yaml', 'externalsecret-wordpress-db.yaml']);
    const unit = restored();
    const layout = layoutOfNamedUnit('home', unit, names ?? []);
    expect(layout.placed.map((file) => file.path)).toEqual([`${path}/externalsecret-wordpress-db.yaml`, `${path}/service-wordpress.yaml`, `${path}/kustomization.yaml`]);
    // Comparing its files with another unit's reads neither.
    const other = layoutOfNamedUnit('home', restored(), names ?? []);
    expect(knownSame(layout.placed[0]?.content ?? '', other.placed[0]?.content ?? '')).toBe(false);
    expect(knownSame(layout.placed[0]?.content ?? '', layout.placed[0]?.content ?? '')).toBe(true);
    expect(objectsUnread(unit)).toBe(true);
    expect(files(layout)).toEqual(files(layoutOfUnit('home', { path, objects: [service, secret] })));
    expect(objectsUnread(unit)).toBe(false);
  });

  it('keeps no file names of a unit whose layout has problems: it is laid out from its objects', () => {
    const clash = { ...service, metadata: { name: 'wordpress', namespace: 'other' } };
    expect(fileNamesOf(layoutOfUnit('home', { path, objects: [service, clash] }))).toBeUndefined();
  });
});
