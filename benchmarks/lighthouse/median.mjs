// Prints which of the Lighthouse reports given is the median run, as Lighthouse's own
// computeMedianRun chooses it (the run nearest the median first contentful paint and time to
// interactive), the way Lighthouse's documentation says to read a score that varies by run.
import {readFileSync} from 'node:fs';
import {computeMedianRun} from 'lighthouse/core/lib/median-run.js';

const paths = process.argv.slice(2);
const runs = paths.map(path => JSON.parse(readFileSync(path, 'utf8')));
console.log(paths[runs.indexOf(computeMedianRun(runs))]);
