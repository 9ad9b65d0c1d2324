import { describe, expect, it } from 'vitest';
import { CheckUsageError, parseCheckOptions } from '../../../electron/cli/check-options.js';
import { PROBES } from '../../../probes/index.js';

const known = ['certificate', 'nla', 'tls', 'handshake'];

describe('parseCheckOptions', () => {
  it('defaults to a table of every check', () => {
    expect(parseCheckOptions([], known)).toEqual({ format: 'table', verbose: false, reset: false });
  });

  it('takes --probe repeatedly and as a comma list, in the order given, without repeats', () => {
    expect(parseCheckOptions(['--probe', 'tls', '--probe', 'nla,certificate', '--probe', 'tls'], known).probeIds).toEqual(['tls', 'nla', 'certificate']);
  });

  it('reads every other option', () => {
    expect(parseCheckOptions(['--nagios', '--simulate', 'healthy', '--reset', '--data-dir', 'd', '--timeout', '20', '--verbose'], known)).toEqual({
      format: 'nagios',
      simulate: 'healthy',
      reset: true,
      dataDir: 'd',
      timeoutSeconds: 20,
      verbose: true,
    });
    expect(parseCheckOptions(['--json'], known).format).toBe('json');
  });

  it.each([
    [['--probe', 'bogus'], /Unknown check "bogus"\. Known checks: certificate, nla, tls, handshake\./],
    [['--probe', 'nla,'], /needs a check id/],
    [['--json', '--nagios'], /choose one/],
    [['--reset'], /give --simulate too/],
    [['--timeout', 'soon'], /number of seconds/],
    [['--timeout=-5'], /number of seconds/],
    [['--timeout', '0'], /number of seconds/],
    [['--frobnicate'], /frobnicate/],
    [['extra'], /extra/],
    [['--probe'], /probe/],
  ])('refuses %j and says why', (args, why) => {
    expect(() => parseCheckOptions(args, known)).toThrow(CheckUsageError);
    expect(() => parseCheckOptions(args, known)).toThrow(why);
  });

  it('knows every probe of the catalog by its id', () => {
    const ids = PROBES.map((p) => p.id);
    expect(parseCheckOptions(['--probe', ids.join(',')], ids).probeIds).toEqual(ids);
  });
});
