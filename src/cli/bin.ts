// Entry of the `descent` command (build/descent.cli.mjs). See ./main.ts.
import { main } from './main.ts';

main(process.argv).then((code) => {
  process.exitCode = code;
});
