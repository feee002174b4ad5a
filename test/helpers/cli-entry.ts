// Runs the CLI from source (Node 24 strips the types natively), for fast end-to-end CLI tests.
import { run } from '../../src/cli.ts';

await run();
