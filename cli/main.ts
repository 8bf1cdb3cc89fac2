/** The command-line tool: `reciprocity <command>`. */
import { CliError } from './errors.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// Rejected events and failed sends are reported in the run's files; the terminal keeps the progress and summary.
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';

const USAGE = `Reciprocity: thoughtful lifecycle email for shops.

Usage: reciprocity <command> [options]

Commands:
  demo                 run the demo shop (1,200 customers, a simulated week and audience) in embedded mode
  run                  run your own customers and events in embedded mode (reciprocity run --help)
  codes                import a journey's pool of gift codes, export the generated ones for your checkout,
                       give back codes of unsent messages (AWS; reciprocity codes --help)
  history FILE.csv     a shop's order history (CSV of order lines) as a replay for run (reciprocity history --help)
  rejected --table NAME list the events intake refused, with reasons (AWS; embedded runs: rejected.jsonl)
  report DIR           the KPI table and report.html of a run (or --table NAME: the stats table on AWS)
  schemas [DIR]        print (or write) the JSON Schemas of the event contract
  templates            validate, push, list, pull and preview templates (reciprocity templates --help)
`;

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'demo':
      return (await import('./demo.js')).demoCommand(rest);
    case 'run':
      return (await import('./run.js')).runCommand(rest);
    case 'codes':
      return (await import('./codes.js')).codesCommand(rest);
    case 'history':
      return (await import('./history.js')).historyCommand(rest);
    case 'rejected':
      return (await import('./rejected.js')).rejectedCommand(rest);
    case 'report':
      await (await import('./report.js')).reportCommand(rest);
      return;
    case 'schemas':
      return (await import('./schemas.js')).schemasCommand(rest);
    case 'templates': {
      // Exit 1 when templates have problems (validate, push, preview); 2 stays for usage errors (CliError).
      const code = await (await import('./templates.js')).templatesCommand(rest);
      if (code !== 0) process.exit(code);
      return;
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return;
    default:
      throw new CliError(`Unknown command "${command}"\n\n${USAGE}`);
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    if (error instanceof CliError) {
      console.error(`reciprocity: ${error.message}`);
      process.exit(2);
    }
    console.error(error);
    process.exit(1);
  },
);
