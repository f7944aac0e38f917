#!/usr/bin/env node
// Finds each scenario's default seed: the first seed from 1 whose generated rows give the decision the
// scenario's name says (and, for censoring-trap, a decision that counting censored players changes).
// Run after `npm run build -w @localds/benchmarks`:
//   node packages/benchmarks/src/retention-cohorts/scripts/search-seeds.mjs [scenario…]
import { generateRetentionEvents } from '../../../dist/retention-cohorts/generator.js';
import { computeRetentionOracle } from '../../../dist/retention-cohorts/oracle.js';
import { retentionScenarios } from '../../../dist/retention-cohorts/scenarios.js';
import {
  censoredInDenominator,
  playerTable,
} from '../../../dist/retention-cohorts/wrong-definitions.js';

const srmOk = (o) => o.srm_p_value !== null && o.srm_p_value >= 0.05;
const wants = {
  canonical: (o) => srmOk(o) && o.status === 'significant' && o.recommended_variant === 'B',
  'no-effect': (o) => srmOk(o) && o.status === 'not_significant' && o.d7_p_value > 0.2,
  srm: (o) => o.status === 'inconclusive',
  'censoring-trap': (o, rows) =>
    srmOk(o) &&
    o.status === 'significant' &&
    o.recommended_variant === 'B' &&
    censoredInDenominator(playerTable(rows)).d7_p_value >= 0.05,
  'large-paginated': (o, rows) =>
    srmOk(o) && rows.length > 5000 && o.status === 'significant' && o.recommended_variant === 'B',
};

const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(wants);
for (const name of names) {
  const params = retentionScenarios[name];
  for (let seed = 1; seed < 5000; seed++) {
    const rows = generateRetentionEvents(params, seed);
    const o = computeRetentionOracle(rows);
    if (wants[name](o, rows)) {
      console.log(
        `${name}: seed ${seed} (${rows.length} rows, ${o.status} ${o.recommended_variant}, D7 p ${o.d7_p_value?.toPrecision(3)}, SRM p ${o.srm_p_value?.toPrecision(3)})`,
      );
      break;
    }
  }
}
