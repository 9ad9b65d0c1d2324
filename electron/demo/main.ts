/**
 * `npm run demo [-- --scenario <name|path>] [--port <n>] [--data-dir <dir>] [--decline-elevation]`:
 * builds the renderer if needed, starts the demo server and prints the address to open.
 */
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { DEMO_RENDERER_OUT_DIR } from '../../electron.vite.config.js';
import { installLastResort } from '../agent/last-resort.js';
import { buildRenderer, rendererIsStale } from './build-renderer.js';
import { startDemoServer } from './server.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scenario: { type: 'string', default: 'healthy' },
      port: { type: 'string', default: '0' },
      'data-dir': { type: 'string' },
      'decline-elevation': { type: 'boolean', default: false },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, not ${values.port}`);

  if (rendererIsStale([`${root}renderer`, `${root}electron/domain`, `${root}electron/contract.ts`, `${root}electron/client-contract.ts`, `${root}electron/preload.ts`, `${root}electron/connect-target.ts`, `${root}probes/common`, `${root}electron.vite.config.ts`], DEMO_RENDERER_OUT_DIR)) {
    console.log('Building the window…');
    await buildRenderer();
  }
  const demo = await startDemoServer({
    scenario: values.scenario,
    port,
    rendererDir: DEMO_RENDERER_OUT_DIR,
    declineElevation: values['decline-elevation'],
    ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
    log: (message) => console.error(message),
  });
  console.log(`RDP Health demo on a simulated host (scenario: ${values.scenario}); data in ${demo.dataDir}`);
  console.log(`Open: ${demo.url}`);
  installLastResort({ logger: demo.agent.logger, mode: 'keep-running' });
  const stop = () => {
    demo.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
