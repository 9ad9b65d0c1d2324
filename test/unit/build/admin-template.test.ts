/**
 * The ADMX/ADML template: well-formed XML, every string and presentation it names exists, and every
 * policy writes a value the agent reads, under the key it reads, with the ranges the agent accepts.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ADMIN_POLICY_KEY, policyFromValues } from '../../../electron/agent/admin-policy.js';

const require = createRequire(import.meta.url);
const { DOMParser } = require('@xmldom/xmldom') as { DOMParser: new (options: object) => { parseFromString(text: string, type: string): XmlDocument } };
interface XmlElement {
  getAttribute(name: string): string | null;
  getElementsByTagName(name: string): ArrayLike<XmlElement>;
  localName: string;
}
type XmlDocument = XmlElement;

const root = fileURLToPath(new URL('../../../', import.meta.url));

function parse(path: string): XmlDocument {
  const problems: string[] = [];
  const record = (message: string) => problems.push(message);
  const doc = new DOMParser({ onError: (_level: string, message: string) => record(message), errorHandler: { warning: record, error: record, fatalError: record } }).parseFromString(
    readFileSync(join(root, path), 'utf8'),
    'text/xml',
  );
  expect(problems, path).toEqual([]);
  return doc;
}

const all = (doc: XmlElement, tag: string): XmlElement[] => Array.from(doc.getElementsByTagName(tag));

describe('build/policy/rdp-health.admx', () => {
  const admx = parse('build/policy/rdp-health.admx');
  const adml = parse('build/policy/en-US/rdp-health.adml');
  const admxText = readFileSync(join(root, 'build/policy/rdp-health.admx'), 'utf8');
  const script = readFileSync(join(root, 'probes/common/Get-RdpHealthPolicy.ps1'), 'utf8');
  const policies = all(admx, 'policy');

  it('writes every value the policy script reads, under the key it reads', () => {
    const readByScript = /\$script:PolicyNames = @\(([^)]*)\)/.exec(script)?.[1]?.match(/'([A-Za-z]+)'/g)?.map((s) => s.slice(1, -1)) ?? [];
    expect(readByScript.length).toBeGreaterThan(0);
    const written = policies.flatMap((p) => [p.getAttribute('valueName'), ...all(p, 'decimal').concat(all(p, 'multiText'), all(p, 'text')).map((e) => e.getAttribute('valueName'))]).filter((v): v is string => !!v);
    expect(new Set(written)).toEqual(new Set(readByScript));
    for (const policy of policies) {
      expect(`HKLM\\${policy.getAttribute('key')}`.toLowerCase()).toBe(ADMIN_POLICY_KEY.toLowerCase());
      expect(policy.getAttribute('class')).toBe('Machine');
    }
  });

  it('offers only values the agent accepts', () => {
    const interval = all(admx, 'decimal').find((e) => e.getAttribute('valueName') === 'CheckIntervalMinutes');
    const [min, max] = [Number(interval?.getAttribute('minValue')), Number(interval?.getAttribute('maxValue'))];
    expect(policyFromValues({ CheckIntervalMinutes: min }).problems).toEqual([]);
    expect(policyFromValues({ CheckIntervalMinutes: max }).problems).toEqual([]);
    expect(policyFromValues({ CheckIntervalMinutes: min - 1 }).problems).toHaveLength(1);
    expect(policyFromValues({ CheckIntervalMinutes: max + 1 }).problems).toHaveLength(1);
    for (const flag of ['NotificationsDisabled', 'FixesDisabled', 'HideSecurityLoweringFixes']) {
      const policy = policies.find((p) => p.getAttribute('valueName') === flag);
      const values = all(policy as XmlElement, 'decimal').map((d) => Number(d.getAttribute('value')));
      expect(values).toEqual([1, 0]);
      expect(policyFromValues({ [flag]: values[0] }).problems).toEqual([]);
    }
  });

  it('has every string and presentation it refers to in the en-US ADML', () => {
    const strings = new Set(all(adml, 'string').map((s) => s.getAttribute('id')));
    const presentations = new Set(all(adml, 'presentation').map((p) => p.getAttribute('id')));
    const stringRefs = [...admxText.matchAll(/\$\(string\.([A-Za-z_]+)\)/g)].map((m) => m[1]);
    const presentationRefs = [...admxText.matchAll(/\$\(presentation\.([A-Za-z_]+)\)/g)].map((m) => m[1]);
    expect(stringRefs.length).toBeGreaterThan(10);
    for (const id of stringRefs) expect(strings, id).toContain(id);
    for (const id of presentationRefs) expect(presentations, id).toContain(id);
    // Each presentation control refers to an element of the ADMX.
    const elementIds = new Set([...all(admx, 'decimal'), ...all(admx, 'multiText'), ...all(admx, 'text')].map((e) => e.getAttribute('id')).filter(Boolean));
    const controls = [...all(adml, 'decimalTextBox'), ...all(adml, 'multiTextBox'), ...all(adml, 'textBox')];
    expect(controls).toHaveLength(elementIds.size);
    for (const control of controls) expect(elementIds).toContain(control.getAttribute('refId'));
  });
});

describe('README, "Administrator policy"', () => {
  it('documents every value the policy script reads', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const script = readFileSync(join(root, 'probes/common/Get-RdpHealthPolicy.ps1'), 'utf8');
    const names = /\$script:PolicyNames = @\(([^)]*)\)/.exec(script)?.[1]?.match(/'([A-Za-z]+)'/g)?.map((s) => s.slice(1, -1)) ?? [];
    expect(names.length).toBe(6);
    for (const name of names) expect(readme).toMatch(new RegExp(`\\| \`${name}\` \\|`));
  });
});
