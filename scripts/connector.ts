/** `npm run connector -- …`: see connectors/cli/main.ts and docs/connectors.md. */
import { loadConnectorCli, nodeIo } from "./lib/connectors.ts";

const cli = await loadConnectorCli();
process.exitCode = await cli.runCli(process.argv.slice(2), nodeIo());
