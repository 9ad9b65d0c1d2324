/**
 * Listener: whether Remote Desktop Services (TermService) listens on the configured port
 * (RDP-FACTS.md §6). `port` in the data is the configured RDP-Tcp PortNumber (3389 only when the
 * value is absent): the handshake probe connects to it. `sessions` are the interactive sessions a
 * restart of TermService would end, for the repair confirmation.
 */
import { z } from 'zod';
import type { FixDescriptor } from '../common/finding.js';
import type { PowerShellProbe, Verdict } from '../common/probe.js';
import { declareHostFixes } from '../common/fixes.js';
import { serviceStateSchema } from '../common/service-state.js';

const serviceSchema = serviceStateSchema.extend({ processId: z.number().int().nullable() });

const processSchema = z.object({ processId: z.number().int(), processName: z.string().nullable() });

export const listenerDataSchema = z.object({
  /** The configured RDP port (RDP-Tcp PortNumber; 3389 when absent). */
  port: z.number().int().min(1).max(65535),
  portSource: z.enum(['local', 'default']),
  termService: serviceSchema,
  umRdpService: serviceSchema,
  /** Where sockets were read: Get-NetTCPConnection, or netstat when that cmdlet is missing or failed. */
  listenSource: z.enum(['Get-NetTCPConnection', 'netstat']),
  fallbackReason: z.string().nullable(),
  /** Listening sockets on the port, and any socket TermService listens on. */
  listeners: z.array(
    z.object({
      localAddress: z.string(),
      localPort: z.number().int(),
      processId: z.number().int(),
      processName: z.string().nullable(),
      termService: z.boolean(),
      /** In TermService's process, but that process hosts other services too: whose port it is cannot be told. */
      ambiguous: z.boolean(),
    }),
  ),
  listening: z.boolean(),
  listeningByTermService: z.boolean(),
  /** Processes other than TermService listening on the port. */
  otherOwners: z.array(processSchema),
  /** Ports TermService listens on (differs from `port` after a port change without restart). */
  termServicePorts: z.array(z.number().int()),
  /** TermService shares its svchost (svchost groups not split on small hosts): only `port` is attributed to it. */
  termServiceSharedProcess: z.boolean(),
  coHostedServices: z.array(z.string()),
  /** Other ports in TermService's shared process: maybe a co-hosted service's, never read as RDP's. */
  ambiguousPorts: z.array(z.number().int()),
  denyConnections: z.object({
    effective: z.number().int().nullable(),
    source: z.enum(['policy', 'local', 'default']),
    localValue: z.number().int().nullable(),
    policyValue: z.number().int().nullable(),
  }),
  lanAdapter: z.number().int().nullable(),
  edition: z.object({
    editionId: z.string().nullable(),
    installationType: z.string().nullable(),
    productName: z.string().nullable(),
    /** EditionID Core* (Home): no Remote Desktop host at all. */
    home: z.boolean(),
  }),
  /** False when user names need elevation; sessions are listed either way. */
  sessionUserNamesReadable: z.boolean(),
  /** qwinsta (the console left out) or, without it, the sessions' processes (the console included). */
  sessionSource: z.enum(['qwinsta', 'processes']),
  sessions: z.array(
    z.object({
      sessionId: z.number().int(),
      userName: z.string().nullable(),
      desktop: z.boolean(),
      station: z.string().nullable().optional(),
      remoteApp: z.boolean().optional(),
    }),
  ),
});
export type ListenerData = z.infer<typeof listenerDataSchema>;
export type ListenerSession = ListenerData['sessions'][number];

export const LISTENER_PROBE_ID = 'listener';

const SCRIPT = 'listener/Repair-RdpListener.ps1';
// A listening port changes what the Firewall check compares its rules with: re-checked too.
const listenerFixes = declareHostFixes(LISTENER_PROBE_ID, {
  startService: { id: 'listener.start-service', title: 'Start Remote Desktop Services', script: SCRIPT, parameters: { Action: 'StartService' }, alsoRecheck: ['firewall'] },
  restartService: {
    id: 'listener.restart-service', title: 'Restart Remote Desktop Services (ends every open Remote Desktop session)', disruptsSessions: true,
    script: SCRIPT, parameters: { Action: 'RestartService' }, alsoRecheck: ['firewall'],
  },
  allowConnections: {
    id: 'listener.allow-connections', title: 'Allow remote connections to this computer',
    script: SCRIPT, parameters: { Action: 'AllowConnections' }, alsoRecheck: ['firewall'],
  },
});
export const LISTENER_FIXES = listenerFixes.descriptors;

export const DENY_POLICY_NAME =
  'Allow users to connect remotely by using Remote Desktop Services (Computer Configuration > Administrative Templates > Windows Components > Remote Desktop Services > Remote Desktop Session Host > Connections)';

function describeService(service: ListenerData['termService']): string {
  if (!service.present) return 'not installed';
  const pid = service.processId ? `, pid ${service.processId}` : '';
  return `${service.state ?? '?'} (${service.startMode ?? '?'}${pid})`;
}

function describeProcess(owner: { processId: number; processName: string | null }): string {
  return `${owner.processName ?? 'unknown program'} (pid ${owner.processId})`;
}

export function describeSession(session: ListenerSession): string {
  if (session.userName) return `session ${session.sessionId}: ${session.userName}${session.remoteApp ? ' (RemoteApp)' : ''}`;
  return session.desktop ? `session ${session.sessionId}: a signed-in user (name needs elevation)` : `session ${session.sessionId}: no one signed in`;
}

function evidence(data: ListenerData): Record<string, unknown> {
  const deny = data.denyConnections;
  return {
    'Configured port': data.portSource === 'local' ? `${data.port} (RDP-Tcp PortNumber)` : `${data.port} (default; PortNumber not set)`,
    TermService: describeService(data.termService),
    UmRdpService: describeService(data.umRdpService),
    'Listening sockets': data.listeners.map(
      (socket) =>
        `${socket.localAddress}:${socket.localPort} ${describeProcess(socket)}${socket.termService ? ' = TermService' : ''}${socket.ambiguous ? ' (shared process; not attributed to TermService)' : ''}`,
    ),
    'TermService process shared with': data.termServiceSharedProcess ? data.coHostedServices : 'no other service',
    'Read with': data.listenSource === 'netstat' ? `netstat -ano -p TCP and -p TCPv6 (${data.fallbackReason ?? 'fallback'})` : 'Get-NetTCPConnection',
    fDenyTSConnections: `${deny.effective ?? 'not set'} (${deny.source}; local ${deny.localValue ?? 'not set'}, policy ${deny.policyValue ?? 'not set'})`,
    LanAdapter: data.lanAdapter ?? 'not set',
    Edition: `${data.edition.editionId ?? '?'} (${data.edition.productName ?? '?'}, ${data.edition.installationType ?? '?'})`,
    'Sessions a restart would end': data.sessions.map(describeSession),
    'Sessions read with': data.sessionSource === 'qwinsta'
      ? 'qwinsta (Remote Desktop and RemoteApp sessions; the console is left out)'
      : 'the sessions\' processes (qwinsta could not run; the console may be listed)',
  };
}

function judge(data: ListenerData, shown: Record<string, unknown>): Verdict {
  const verdict = (status: Verdict['status'], summary: string, fixes: FixDescriptor[] = []): Verdict => ({ status, summary, evidence: shown, fixes });
  const { port, termService } = data;
  if (data.edition.home) {
    return verdict('unknown', 'This is a Home edition of Windows, which cannot accept Remote Desktop connections at all; this check does not apply.');
  }
  if (!termService.present) return verdict('unknown', 'Remote Desktop Services (TermService) was not found on this computer.');

  const deny = data.denyConnections;
  if (deny.effective !== null && deny.effective !== 0 && deny.effective !== 1) {
    return verdict('unknown', `Whether remote connections are allowed is unclear: fDenyTSConnections is ${deny.effective}, a value Windows does not document.`);
  }
  if (deny.effective === 1) {
    if (deny.source === 'policy') {
      return verdict('fail', 'Group policy turns off remote connections to this computer; only that policy can turn them back on.');
    }
    return verdict('fail', 'Remote connections to this computer are turned off, so Remote Desktop refuses every connection.', [LISTENER_FIXES.allowConnections]);
  }
  if (termService.state !== 'Running') {
    const disabled = termService.startMode === 'Disabled' ? ' and set to Disabled' : '';
    const held = data.otherOwners.length > 0 ? ` Meanwhile ${data.otherOwners.map(describeProcess).join(', ')} is using port ${port}.` : '';
    return verdict('fail', `Remote Desktop Services is stopped${disabled}, so nothing answers on port ${port}.${held}`, [LISTENER_FIXES.startService]);
  }
  if (!data.listeningByTermService) {
    if (data.otherOwners.length > 0) {
      return verdict('fail', `Another program, ${data.otherOwners.map(describeProcess).join(', ')}, is using port ${port}, so Remote Desktop cannot listen there.`);
    }
    // In a shared svchost another port may be a co-hosted service's (DoSvc on 7680): never read it as RDP's old port.
    const elsewhere = data.termServiceSharedProcess
      ? []
      : data.termServicePorts.filter((other) => other !== port && !data.ambiguousPorts.includes(other));
    if (elsewhere.length > 0) {
      return verdict(
        'fail',
        `Remote Desktop is set to port ${port} but still listens on port ${elsewhere.join(', ')}: it needs a restart to use the new port.`,
        [LISTENER_FIXES.restartService],
      );
    }
    return verdict('fail', `Remote Desktop Services is running but not listening on port ${port}.`, [LISTENER_FIXES.restartService]);
  }

  const warnings: string[] = [];
  const fixes: FixDescriptor[] = [];
  if (data.otherOwners.length > 0) {
    warnings.push(`Another program, ${data.otherOwners.map(describeProcess).join(', ')}, also listens on port ${port} on some addresses.`);
  }
  if (data.lanAdapter !== null && data.lanAdapter !== 0) {
    warnings.push(`Remote Desktop accepts connections through one network adapter only (LanAdapter ${data.lanAdapter}); the others refuse it.`);
  }
  if (data.umRdpService.present && data.umRdpService.state !== 'Running') {
    warnings.push('The Remote Desktop redirector service (UmRdpService) is not running, so drives, printers and the clipboard may not reach remote sessions.');
    fixes.push(LISTENER_FIXES.startService);
  }
  if (warnings.length > 0) {
    shown['Warnings'] = warnings;
    return verdict('warn', warnings[0]!, fixes);
  }
  return verdict('ok', `Remote Desktop Services is listening on port ${port}.`);
}

export function evaluateListener(data: ListenerData): Verdict {
  return judge(data, evidence(data));
}

export const listenerProbe: PowerShellProbe<typeof listenerDataSchema> = {
  kind: 'powershell',
  id: LISTENER_PROBE_ID,
  title: 'Remote Desktop listener',
  script: 'listener/Get-RdpListener.ps1',
  dataSchema: listenerDataSchema,
  evaluate: (data) => evaluateListener(data),
  fixes: listenerFixes.declarations,
};
