import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UserError } from '../errors.js';
import { observe } from '../reconcile/observe.js';
import { plan as makePlan } from '../reconcile/plan/index.js';
import { savePlan, writeSavedPlan } from '../reconcile/saved-plan.js';
import { renderPlanJson } from '../render/plan-json.js';
import { renderPlanScript } from '../render/plan-script.js';
import { renderPlanText } from '../render/plan-text.js';
import { useColour, type CliIo } from './io.js';
import { loadDesired } from './shared/config.js';
import { openWorld } from './shared/world.js';

const usage = `Usage: hsmctl plan [PATH] [options]

Reads the configuration at PATH (a *.yaml / *.yml file or a directory; default: the current
directory), observes the fleet and shows the actions that would make it match. Changes nothing.

Options:
  --out FILE              also save the plan, to apply exactly it later: hsmctl apply FILE
  --format text|json|script
                          the plan as text (default), JSON, or the runbook of real commands
  --json                  the same as --format json
  --detailed-exitcode     exit 2 when the plan has changes, or changes wait for unreachable HSMs
                          (0 when none, 1 on error)
  --allow-destroy         plan destructive actions as applyable (deleting, re-initializing)
  --state DIR             the emulated world (default: $HSMCTL_STATE or ./state)
  -h, --help              this text

Exit status: 0 success, 1 error or a plan that cannot be applied, 2 changes (--detailed-exitcode).
`;

type Format = 'text' | 'json' | 'script';

function formatOf(values: { format?: string; json?: boolean }): Format {
  if (values.json === true) {
    if (values.format !== undefined && values.format !== 'json') throw new UserError('usage', '--json and --format ' + values.format + ' contradict each other');
    return 'json';
  }
  const f = values.format ?? 'text';
  if (f !== 'text' && f !== 'json' && f !== 'script') throw new UserError('usage', `unknown --format "${f}" (one of: text, json, script)`);
  return f;
}

/** `hsmctl plan`: observe, plan, render; optionally save the plan with its fingerprints. */
export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      format: { type: 'string' },
      json: { type: 'boolean' },
      'detailed-exitcode': { type: 'boolean' },
      'allow-destroy': { type: 'boolean' },
      state: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) {
    io.stdout.write(usage);
    return 0;
  }
  if (positionals.length > 1) throw new UserError('usage', 'plan takes one PATH at most; run "hsmctl plan --help" for usage');
  const format = formatOf(values);
  const loaded = await loadDesired(positionals[0] ?? '.', io, { json: format === 'json' });
  if (loaded === undefined) return 1;
  const allowDestroy = values['allow-destroy'] === true;

  const { driver } = openWorld(values.state, io);
  const observation = await observe(driver, loaded.desired);
  const plan = makePlan(loaded.desired, observation.observed, { allowDestroy, cloningDomainMismatch: observation.cloningDomainMismatch });

  if (format === 'json') io.stdout.write(renderPlanJson(plan));
  else if (format === 'script') io.stdout.write(renderPlanScript(plan, loaded.desired));
  else io.stdout.write(renderPlanText(plan, { colour: useColour(io.stdout, io.env) }));

  if (!plan.applyable) {
    if (values.out !== undefined) io.stderr.write(`The plan was not saved to ${values.out}: it cannot be applied.\n`);
    return 1;
  }
  if (values.out !== undefined) {
    const out = resolve(io.cwd, values.out);
    await writeSavedPlan(out, savePlan(plan, loaded.desired, loaded.path, observation, { allowDestroy }), values.out);
    const note = `\nSaved the plan to ${values.out}. To carry out exactly these actions: hsmctl apply ${values.out}\n`;
    (format === 'text' ? io.stdout : io.stderr).write(note);
  }
  const differs = plan.hasChanges || plan.deferred.length > 0;
  return differs && values['detailed-exitcode'] === true ? 2 : 0;
}
