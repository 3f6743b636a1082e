// Entry of the Electron utility process that runs the client core, off the window's and the main process's threads.
import { serveCoreProcess } from './core-process-host';
import type { FromCore, MessagePortLike, ToCore } from './core-process-messages';

// Electron gives a utility process `process.parentPort`; the electron module itself is not available here.
const { parentPort } = process as unknown as { parentPort: MessagePortLike<ToCore, FromCore> };

serveCoreProcess(parentPort, { onStopped: () => process.exit(0) });
