// Entry of a fuzz worker thread: registers tsx (the harness is TypeScript) and loads worker.ts.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
