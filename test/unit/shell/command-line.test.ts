import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../electron/cli.js';
import { asksToQuit, cliArguments } from '../../../electron/shell/command-line.js';

const commands = Object.keys(COMMANDS);

describe('cliArguments', () => {
  it('runs the headless command when the installed exe is given one', () => {
    expect(cliArguments(['C:\\Program Files\\RDP Health\\RDP Health.exe', 'check', '--nagios'], true, commands)).toEqual(['check', '--nagios']);
  });

  it('skips the app path Electron passes in development', () => {
    expect(cliArguments(['electron', '.', 'handshake', '127.0.0.1:3389'], false, commands)).toEqual(['handshake', '127.0.0.1:3389']);
  });

  it.each([
    ['no arguments', ['RDP Health.exe']],
    ['the sign-in start', ['RDP Health.exe', '--hidden']],
    ['an unknown word', ['RDP Health.exe', 'checks']],
    ['a command that is not first', ['RDP Health.exe', '--hidden', 'check']],
  ])('starts the tray app for %s', (_label, argv) => {
    expect(cliArguments(argv, true, commands)).toBeUndefined();
  });
});

describe('asksToQuit', () => {
  it('is the second start that asks the running agent to quit, and nothing else', () => {
    expect(asksToQuit(['RDP Health.exe', '--quit'])).toBe(true);
    expect(asksToQuit(['RDP Health.exe', '--hidden'])).toBe(false);
    expect(asksToQuit(['RDP Health.exe'])).toBe(false);
  });

  it('never turns a CLI command into a quit', () => {
    expect(cliArguments(['RDP Health.exe', '--quit'], true, commands)).toBeUndefined();
  });
});
