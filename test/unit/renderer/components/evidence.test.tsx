// The evidence view: what a check read, behind a disclosure, lists as lists, nested values as
// rows, paths and thumbprints monospace, an empty list "none" — on a recorded finding and edge values.
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Evidence } from '../../../../renderer/components/evidence.js';
import { securityLayerRdpWithNla } from '../recorded-snapshot.js';

afterEach(cleanup);

/** The row whose label is `label`: its <dd>. */
function valueOf(container: HTMLElement, label: string): HTMLElement {
  const term = within(container).getByText(label, { selector: 'dt' });
  return term.nextElementSibling as HTMLElement;
}

describe('the evidence view', () => {
  it('shows a recorded finding behind a closed "Evidence" disclosure, each label with its value', () => {
    const layer = securityLayerRdpWithNla().findings.find((finding) => finding.probeId === 'security-layer')!;
    const { container } = render(<Evidence evidence={layer.evidence} />);
    const details = container.querySelector('details')!;
    expect(details.open).toBe(false);
    expect(within(details).getByText('Evidence', { selector: 'summary' })).toBeTruthy();
    expect(valueOf(container, 'Effective SecurityLayer').textContent).toBe('0 (RDP)');
    expect(valueOf(container, 'Contradiction').textContent).toMatch(/CredSSP, which runs inside TLS/);
    // [local, policy] as a list of two; a registry path verbatim, selectable whole.
    expect(within(valueOf(container, 'SecurityLayer local / policy value')).getAllByRole('listitem')).toHaveLength(2);
    expect(valueOf(container, 'SecurityLayer set by').textContent).toContain('HKLM:\\SYSTEM\\CurrentControlSet');
  });

  it('nests objects as rows, marks thumbprints as code and reads an empty list as "none"', () => {
    const thumbprint = 'A1B2C3D4E5F60718293A4B5C6D7E8F9011223344';
    const { container } = render(<Evidence evidence={{ Certificate: { Thumbprint: thumbprint, 'Days left': 12 }, 'Expired certificates': [] }} />);
    const certificate = valueOf(container, 'Certificate');
    expect(valueOf(certificate, 'Days left').textContent).toBe('12');
    expect(within(certificate).getByText(thumbprint).tagName).toBe('CODE');
    expect(valueOf(container, 'Expired certificates').textContent).toBe('none');
  });

  it('shows nothing at all when the check read nothing', () => {
    const { container } = render(<Evidence evidence={{}} />);
    expect(container.innerHTML).toBe('');
    expect(screen.queryByText('Evidence')).toBeNull();
  });
});
