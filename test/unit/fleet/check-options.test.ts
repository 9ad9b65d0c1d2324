import { describe, expect, it } from 'vitest';
import { CheckUsageError, parseCheckOptions } from '../../../electron/cli/check-options.js';
import { PROBES } from '../../../probes/index.js';

const known = ['certificate', 'nla', 'tls', 'handshake'];

describe('parseCheckOptions', () => {
  it('defaults to a table of every check', () => {
    expect(parseCheckOptions([], known)).toEqual({ format: 'table', verbose: false, hostSnapshot: false, reset: false });
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
      hostSnapshot: false,
    });
    expect(parseCheckOptions(['--host-snapshot', '--json'], known)).toMatchObject({ hostSnapshot: true, format: 'json' });
    expect(parseCheckOptions(['--json'], known).format).toBe('json');
  });

  it.each([
    [['--probe', 'bogus'], /Unknown check "bogus"\. Known checks: certificate, nla, tls, handshake\./],
    [['--probe', 'nla,'], /needs a check id/],
    [['--json', '--nagios'], /choose one/],
    [['--reset'], /give --simulate too/],
    [['--timeout', 'soon'], /number of seconds/],
    [['--host-snapshot', '--probe', 'nla'], /--host-snapshot prints what the host checker published/],
    [['--timeout=-5'], /number of seconds/],
    [['--timeout', '0'], /number of seconds/],
    // Below a second nothing can answer; above a day setTimeout overflows into 1 ms.
    [['--timeout', '0.001'], /from 1 to 86400/],
    [['--timeout', '2147484'], /from 1 to 86400/],
    [['--timeout', ''], /number of seconds/],
    // An empty scenario would run the real checks of the machine the command is on.
    [['--simulate', ''], /--simulate needs a scenario/],
    [['--simulate', '  '], /--simulate needs a scenario/],
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
