/**
 * CheckRunner: one cycle over the probes (all, or a named subset) through the warm session.
 * Single flight: a trigger while a cycle runs joins that cycle. Every probe ends in a finding:
 * a timeout, a dead shell or garbage on stdout becomes that probe's `unknown`, never a lost cycle.
 * PowerShell probes run first, then node probes, which may read the PowerShell probes' data.
 * A cycle has a bound: once PowerShell has timed out twice in a row (the restarted shell is not
 * answering either), the remaining PowerShell probes are not run but marked "not checked".
 */
import { hostname } from 'node:os';
import { parseEnvelope } from '../../probes/common/envelope.js';
import { overallStatus, type Finding, type HealthSnapshot } from '../../probes/common/finding.js';
import { findingFromNodeProbe, findingFromOutput, unknownFinding, type EvaluateContext, type NodeProbe, type PowerShellProbe } from '../../probes/common/probe.js';
import { PROBES } from '../../probes/index.js';
import { silentLogger, type AgentLogger } from './logging.js';
import { asNotApplicable, notAnRdpHost } from './rdp-host-role.js';
import { ShellDiedError, ShellOutputTooLargeError, ShellTimeoutError, ShellUnavailableError, type ScriptSession } from './powershell-session.js';
import { probeScriptPath } from './script-paths.js';

export type RunnableProbe = PowerShellProbe | NodeProbe;

export interface CheckRunnerOptions {
  session: ScriptSession;
  probesDir: string;
  probes?: readonly RunnableProbe[];
  /** Per-probe timeout; a function so a settings change applies to the next probe. */
  probeTimeoutMs?: () => number;
  /** Days before certificate expiry that count as `warn` (the largest configured threshold). */
  warnDays?: () => number;
  now?: () => Date;
  /** The host name a snapshot carries (default: the shell's COMPUTERNAME, else this machine's name). */
  host?: () => string;
  /**
   * True when the checks run with a user's rights (not SYSTEM, not an elevated admin): a check
   * Windows refuses then "needs the host checker" instead of being unknown (needsHostChecker).
   */
  rightsLimited?: () => boolean;
  logger?: AgentLogger;
}

export interface CheckRunOptions {
  probeIds?: readonly string[];
}

export class UnknownProbeError extends Error {
  override name = 'UnknownProbeError';
}

export const NEEDS_HOST_CHECKER_SUMMARY = 'Needs the host checker: Windows lets only SYSTEM and administrators read what this check looks at, and it ran with your rights.';

const TIMEOUT_SUMMARY = (ms: number): string => `This check timed out: it did not finish within ${Math.round(ms / 1000)} seconds.`;
export const NOT_ANSWERING_SUMMARY = 'Not checked: PowerShell is not answering (the checks before this one timed out).';
/** Timeouts in a row after which the shell counts as not answering for the rest of the cycle. */
const TIMEOUTS_BEFORE_GIVING_UP = 2;

export class CheckRunner {
  private current: Promise<HealthSnapshot> | undefined;
  private currentIds = new Set<string>();
  private last: HealthSnapshot | undefined;
  private lastData = new Map<string, unknown>();
  private readonly probes: readonly RunnableProbe[];
  private readonly logger: AgentLogger;
  private readonly now: () => Date;
  /** Cycles actually run (joined triggers do not count). */
  cycles = 0;

  constructor(private readonly options: CheckRunnerOptions) {
    this.probes = options.probes ?? PROBES;
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Runs a cycle, or joins the running one when it covers the probes asked for (otherwise runs
   * right after it). A subset run is merged into the latest full snapshot, so what it returns and
   * what latest() gives is always the whole picture.
   */
  run(options: CheckRunOptions = {}): Promise<HealthSnapshot> {
    const selected = this.select(options.probeIds);
    if (this.current) {
      const covered = selected.every((probe) => this.currentIds.has(probe.id));
      if (covered) return this.current;
      const again = () => this.run(options);
      return this.current.then(again, again);
    }
    this.currentIds = new Set(selected.map((probe) => probe.id));
    this.current = this.cycle(selected).finally(() => {
      this.current = undefined;
    });
    return this.current;
  }

  isRunning(): boolean {
    return this.current !== undefined;
  }

  latest(): HealthSnapshot | undefined {
    return this.last;
  }

  /** Schema-checked envelope data of a PowerShell probe from the latest cycle that ran it. */
  dataOf(probeId: string): unknown {
    return this.lastData.get(probeId);
  }

  private select(probeIds: readonly string[] | undefined): RunnableProbe[] {
    if (probeIds === undefined) return [...this.probes];
    const unknown = probeIds.filter((id) => !this.probes.some((probe) => probe.id === id));
    if (unknown.length > 0) throw new UnknownProbeError(`Unknown check: ${unknown.join(', ')}. Known: ${this.probes.map((p) => p.id).join(', ')}.`);
    return this.probes.filter((probe) => probeIds.includes(probe.id));
  }

  private async cycle(selected: RunnableProbe[]): Promise<HealthSnapshot> {
    this.cycles += 1;
    const startedAt = this.now();
    const started = performance.now();
    const data = new Map<string, unknown>();
    const findings = new Map<string, Finding>();
    const outputs = new Map<string, string>();
    let unavailable: ShellUnavailableError | undefined;
    let timeoutsInARow = 0;
    for (const probe of selected) {
      if (probe.kind !== 'powershell') continue;
      if (unavailable) {
        findings.set(probe.id, this.unavailableFinding(probe, unavailable));
        continue;
      }
      if (timeoutsInARow >= TIMEOUTS_BEFORE_GIVING_UP) {
        findings.set(probe.id, unknownFinding(probe, NOT_ANSWERING_SUMMARY, { notCheckedBecause: `${timeoutsInARow} checks in a row timed out` }, this.now()));
        continue;
      }
      try {
        const finding = this.withRights(await this.runPowerShellProbe(probe, data, outputs));
        timeoutsInARow = 'timedOutAfterSeconds' in finding.evidence ? timeoutsInARow + 1 : 0;
        findings.set(probe.id, finding);
      } catch (error) {
        if (!(error instanceof ShellUnavailableError)) throw error;
        this.logger.error('powershell is unavailable', { error: error.message });
        unavailable = error;
        findings.set(probe.id, this.unavailableFinding(probe, error));
      }
    }
    for (const probe of selected) {
      if (probe.kind === 'node') findings.set(probe.id, await this.runNodeProbe(probe, data));
    }
    // A probe that reads a later probe's result (TLS reads the handshake's) is judged again with it:
    // dataOf gives a PowerShell probe's data, or a Node probe's finding.
    for (const probe of selected) {
      const stdout = outputs.get(probe.id);
      if (probe.kind !== 'powershell' || stdout === undefined || findings.get(probe.id)?.status === 'unknown') continue;
      if (!probe.dependsOn?.some((id) => selected.some((other) => other.id === id && other.kind === 'node'))) continue;
      findings.set(probe.id, findingFromOutput(probe, stdout, { ...this.context(), dataOf: (id) => data.get(id) ?? findings.get(id) }));
    }
    for (const [id, value] of data) this.lastData.set(id, value);
    const notHost = notAnRdpHost(this.lastData.get('listener'));
    if (notHost) for (const [id, finding] of findings) findings.set(id, asNotApplicable(finding, notHost));
    // Display order; probes not run this time keep their finding from the latest snapshot.
    const previous = new Map(this.last?.findings.map((finding) => [finding.probeId, finding]));
    const ordered = this.probes
      .map((probe) => findings.get(probe.id) ?? previous.get(probe.id))
      .filter((finding): finding is Finding => finding !== undefined);
    const snapshot: HealthSnapshot = {
      overall: overallStatus(ordered),
      findings: ordered,
      startedAt: startedAt.toISOString(),
      durationMs: Math.round(performance.now() - started),
      host: this.hostName(),
      ...(notHost ? { notAnRdpHost: notHost } : {}),
    };
    this.last = snapshot;
    this.logger.info('check cycle finished', {
      overall: snapshot.overall,
      durationMs: snapshot.durationMs,
      statuses: Object.fromEntries(ordered.map((finding) => [finding.probeId, finding.status])),
    });
    return snapshot;
  }

  /** An access-denied check run with a user's rights: what it needs is the host checker, not elevation. */
  private withRights(finding: Finding): Finding {
    if (finding.status !== 'unknown' || finding.evidence.errorKind !== 'access-denied' || !this.options.rightsLimited?.()) return finding;
    return { ...finding, needsHostChecker: true, summary: NEEDS_HOST_CHECKER_SUMMARY };
  }

  private context(): EvaluateContext {
    return { now: this.now(), warnDays: this.options.warnDays?.() ?? 30 };
  }

  private timeoutMs(): number {
    return this.options.probeTimeoutMs?.() ?? 60_000;
  }

  /** Runs one script; a shell that died under it gets one retry in a fresh shell (probes only read). */
  private async runPowerShellProbe(probe: PowerShellProbe, data: Map<string, unknown>, outputs: Map<string, string>): Promise<Finding> {
    const scriptPath = probeScriptPath(this.options.probesDir, probe.script);
    const timeoutMs = this.timeoutMs();
    for (let attempt = 1; ; attempt += 1) {
      try {
        const result = await this.options.session.invokeScript(scriptPath, {}, { timeoutMs });
        const ctx = this.context();
        const finding = findingFromOutput(probe, result.stdout, ctx);
        outputs.set(probe.id, result.stdout);
        const parsed = parseEnvelope(probe.id, result.stdout);
        if (parsed.ok && parsed.envelope.ok) {
          const valid = probe.dataSchema.safeParse(parsed.envelope.data);
          if (valid.success) data.set(probe.id, valid.data);
        }
        if (finding.status === 'unknown') this.explainUnknown(finding, result.stderr);
        return finding;
      } catch (error) {
        if (error instanceof ShellTimeoutError) {
          this.logger.warn('probe timed out', { probe: probe.id, timeoutMs });
          return unknownFinding(probe, TIMEOUT_SUMMARY(timeoutMs), { timedOutAfterSeconds: Math.round(timeoutMs / 1000) }, this.now());
        }
        if (error instanceof ShellOutputTooLargeError) {
          this.logger.warn('probe printed too much', { probe: probe.id, maxBytes: error.maxBytes });
          return unknownFinding(probe, 'This check printed far more than a check does, so it was stopped.', { problem: error.message }, this.now());
        }
        if (error instanceof ShellDiedError && attempt === 1) {
          this.logger.warn('powershell died during a probe; retrying in a new shell', { probe: probe.id, error: error.message });
          continue;
        }
        if (error instanceof ShellUnavailableError) throw error;
        this.logger.error('probe could not run', { probe: probe.id, error: String(error) });
        const summary = error instanceof ShellDiedError ? 'PowerShell stopped while this check ran, twice.' : 'This check could not run.';
        return unknownFinding(probe, summary, { problem: error instanceof Error ? error.message : String(error) }, this.now());
      }
    }
  }

  /** Adds what PowerShell wrote to stderr and any host restriction to an `unknown` finding's evidence. */
  private explainUnknown(finding: Finding, stderr: string): void {
    if (stderr !== '') finding.evidence['PowerShell errors'] = stderr.slice(0, 2000);
    const restriction = this.options.session.info()?.restriction;
    if (restriction) finding.evidence['PowerShell restriction'] = restriction;
  }

  private unavailableFinding(probe: PowerShellProbe, error: ShellUnavailableError): Finding {
    return unknownFinding(probe, 'PowerShell could not be started, so this check could not run.', { problem: error.message }, this.now());
  }

  /** A node probe with a timeout: on expiry its signal aborts and it becomes `unknown` "timed out". */
  private async runNodeProbe(probe: NodeProbe, data: Map<string, unknown>): Promise<Finding> {
    const timeoutMs = this.timeoutMs();
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => {
        controller.abort();
        resolve('timeout');
      }, timeoutMs);
    });
    try {
      const finding = await Promise.race([findingFromNodeProbe(probe, { ...this.context(), signal: controller.signal, dataOf: (id) => data.get(id) }), timedOut]);
      if (finding !== 'timeout') return finding;
      this.logger.warn('probe timed out', { probe: probe.id, timeoutMs });
      return unknownFinding(probe, TIMEOUT_SUMMARY(timeoutMs), { timedOutAfterSeconds: Math.round(timeoutMs / 1000) }, this.now());
    } finally {
      clearTimeout(timer);
    }
  }

  private hostName(): string {
    if (this.options.host) return this.options.host();
    return this.options.session.info()?.computerName || hostname();
  }
}
