/**
 * Checks after the machine wakes or the screen unlocks: certificates may have expired and
 * services stopped while it slept. Resume and unlock usually arrive together, so they are
 * coalesced into one call after things settle.
 */
export interface PowerMonitorLike {
  on(event: 'resume' | 'unlock-screen', listener: () => void): unknown;
  removeListener(event: 'resume' | 'unlock-screen', listener: () => void): unknown;
}

// Short: the agent's scheduler waits for the network itself; this only merges the pair.
export const POWER_DEBOUNCE_MS = 2_000;

export function watchPowerEvents(powerMonitor: PowerMonitorLike, onResume: () => void, debounceMs = POWER_DEBOUNCE_MS): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const trigger = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      onResume();
    }, debounceMs);
  };
  powerMonitor.on('resume', trigger);
  powerMonitor.on('unlock-screen', trigger);
  return () => {
    if (timer) clearTimeout(timer);
    powerMonitor.removeListener('resume', trigger);
    powerMonitor.removeListener('unlock-screen', trigger);
  };
}
