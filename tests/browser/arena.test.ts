/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// Code passed to page.evaluate runs in the browser and uses its globals.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { zipSync } from 'fflate';
import {
  fitRatings,
  parseVotes,
  type ModelRating,
  type RatingFit,
  type Vote,
} from '@localds/scorer/score-stats';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { upgradeRecord } from '../../apps/web/src/storage/runs-db.js';
import { votesInFitOrder, type VoteRecord } from '../../apps/web/src/storage/vote-record.js';
import { restoreDatabase, type DatabaseDump } from '../fixtures/legacy/idb-dump.mjs';
import { REPO_ROOT, scratchDir, useWorkbench, watchErrors } from './helpers/workbench.js';

/**
 * The arena (#19) on the built page: blind votes on seeded visual runs, the ratings they give on the
 * leaderboard (checked against the scorer's fitRatings on the votes read back from IndexedDB), votes
 * export/import, pair links in a fresh browser and tampered ones, and the IndexedDB v3 → v4 upgrade.
 * One Chromium session for the file; the tests run in order and share the main context's storage.
 */
const wb = useWorkbench();
const work = scratchDir('localds-arena-');
const PROMPT = 'cherry-blossoms';

/** A small self-contained animation; `hue` tells the files apart. It also tries the network and WebRTC. */
function animation(hue: number): string {
  return `<!doctype html>
<html><head><style>html,body{margin:0;height:100%}</style></head>
<body><script>
let n = 0;
function frame() {
  n++;
  document.body.dataset.frames = String(n);
  document.body.style.background = 'hsl(' + ((${hue} + n) % 360) + ',60%,40%)';
  requestAnimationFrame(frame);
}
frame();
document.body.dataset.rtc = typeof RTCPeerConnection;
fetch('http://127.0.0.1:9/leak').then(
  () => (document.body.dataset.fetch = 'reached'),
  () => (document.body.dataset.fetch = 'refused'),
);
</script></body></html>`;
}

interface Seed {
  runId: string;
  model: string;
  score: number;
  hue: number;
}
/** Four runs of one prompt: alpha twice, beta and gamma once — five pairs by different models. */
const SEEDS: Seed[] = [
  { runId: 'run-alpha-1', model: 'alpha', score: 80, hue: 10 },
  { runId: 'run-alpha-2', model: 'alpha', score: 90, hue: 100 },
  { runId: 'run-beta-1', model: 'beta', score: 70, hue: 200 },
  { runId: 'run-gamma-1', model: 'gamma', score: 60, hue: 300 },
];
const MODELS = ['alpha', 'beta', 'gamma'];
/** One more run, seeded before the pair link is made (every pair above has a vote by then). */
const LATE_SEED: Seed = { runId: 'run-beta-2', model: 'beta', score: 75, hue: 150 };

/** A stored visual run as vpage's records look (VisualRunRecordSchema). */
function visualRecord(seed: Seed, index: number) {
  return {
    schema: 1,
    kind: 'visual',
    id: `record-${seed.runId}`,
    runId: seed.runId,
    createdAt: new Date(Date.UTC(2026, 11, 6, 12, index)).toISOString(),
    origin: 'import',
    benchmark: { id: PROMPT, version: '1.0.0' },
    model: { name: seed.model, provider: 'test', slug: seed.model },
    scripted: false,
    sampling: null,
    turns: [],
    html: animation(seed.hue),
    observation: null,
    score: {
      benchmark: { id: PROMPT, version: '1.0.0' },
      score: seed.score,
      checks: [],
      environmentError: null,
    },
    endReason: 'done',
    endDetail: null,
    files: {},
  };
}

/** In the page: puts records into a store of the app's (already created) database. */
async function putRecords({ store, records }: { store: string; records: unknown[] }) {
  const db = await new Promise<IDBDatabase>((ok, fail) => {
    const open = indexedDB.open('localds');
    open.onsuccess = () => ok(open.result);
    open.onerror = () => fail(open.error);
  });
  await new Promise<void>((ok, fail) => {
    const tx = db.transaction(store, 'readwrite');
    for (const r of records) tx.objectStore(store).put(r);
    tx.oncomplete = () => ok();
    tx.onerror = () => fail(tx.error);
  });
  db.close();
}

/** In the page: every record of a store of the app's database, and the database's shape. */
async function readStore(store: string): Promise<{
  version: number;
  stores: string[];
  indexes: Record<string, string[]>;
  records: unknown[];
}> {
  const db = await new Promise<IDBDatabase>((ok, fail) => {
    const open = indexedDB.open('localds');
    open.onsuccess = () => ok(open.result);
    open.onerror = () => fail(open.error);
  });
  const stores = [...db.objectStoreNames];
  const tx = db.transaction(stores, 'readonly');
  const indexes = Object.fromEntries(stores.map((s) => [s, [...tx.objectStore(s).indexNames]]));
  const records = await new Promise<unknown[]>((ok, fail) => {
    const request = tx.objectStore(store).getAll();
    request.onsuccess = () => ok(request.result as unknown[]);
    request.onerror = () => fail(request.error);
  });
  const version = db.version;
  db.close();
  return { version, stores, indexes, records };
}

/**
 * The votes in the page's store as the scorer's Votes (parseVotes validates them), in the order the
 * page fits them (the bootstrap resamples by position).
 */
async function storedVotes(page: Page): Promise<Vote[]> {
  const { records } = await page.evaluate(readStore, 'votes');
  const votes = parseVotes(
    (records as Record<string, unknown>[]).map(({ id: _id, createdAt: _at, ...vote }) => vote),
  );
  return votesInFitOrder(
    votes.map((vote, i) => ({ ...vote, id: (records[i] as VoteRecord).id, createdAt: '' })),
  );
}

/** The ratings tables of one scope ('cherry-blossoms', 'overall') as the home page shows them. */
async function ratingsOnHome(page: Page, scope: string) {
  await page.goto('about:blank');
  await page.goto(wb.url);
  const section = page.locator(`[data-ratings="${scope}"]`);
  await section.waitFor();
  return section.evaluate((el) => ({
    groups: [...el.querySelectorAll('table.ratings')].map((t) =>
      [...t.querySelectorAll('tbody tr')].map((tr) => {
        const field = (f: string) =>
          tr.querySelector(`[data-field="${f}"]`)?.textContent?.trim() ?? '';
        return {
          model: tr.getAttribute('data-model'),
          rank: Number(tr.querySelector('td')?.textContent),
          rating: field('rating'),
          interval: field('interval'),
          votes: field('votes'),
          bothBad: field('both-bad'),
          checkScore: field('check-score'),
        };
      }),
    ),
    unrated: [...el.querySelectorAll('table.ratings-unrated tbody tr')].map((tr) =>
      tr.getAttribute('data-model'),
    ),
    captions: [...el.querySelectorAll('caption')].map((c) => c.textContent ?? ''),
  }));
}

/** What the page should show for a fit: the same fields, formatted as the page formats them. */
function expectedGroups(fit: RatingFit, checkScores: Record<string, string> | null) {
  const interval = (r: ModelRating) =>
    r.interval.reason === null
      ? `${r.interval.low.toFixed(0)}–${r.interval.high.toFixed(0)}`
      : `no interval (${r.interval.reason})`;
  return fit.groups.map((g) =>
    g.models.map((r) => ({
      model: r.model,
      rank: r.rank,
      rating: r.rating.toFixed(0),
      interval: interval(r),
      votes: `${r.votes.wins}–${r.votes.losses}–${r.votes.ties}`,
      bothBad: String(r.votes.bothBad),
      checkScore: checkScores ? (checkScores[r.model] ?? '—') : '',
    })),
  );
}

const CHECK_SCORES = { alpha: '85.0% (2 runs)', beta: '70.0% (1 run)', gamma: '60.0% (1 run)' };

/** Votes on the pair the arena shows; returns the pair's run ids (sorted) and the revealed models. */
async function voteOnShownPair(page: Page, choice: string) {
  const vote = page.getByTestId('blind-vote');
  await vote.waitFor();
  // Blind: no model name anywhere in the page (text, attributes, the frames' files) before the vote.
  const html = await page.locator('main').innerHTML();
  for (const model of MODELS) expect(html).not.toContain(model);
  const runIds = await Promise.all(
    ['left', 'right'].map((side) =>
      page
        .getByTestId(`frame-${side}`)
        .locator('iframe')
        .getAttribute('srcdoc')
        .then((doc) => [...SEEDS, LATE_SEED].find((s) => doc?.includes(`(${s.hue} + n)`))!.runId),
    ),
  );
  await page.getByRole('button', { name: choice, exact: true }).click();
  await page.getByTestId('vote-saved').waitFor();
  const revealed = await Promise.all(
    ['left', 'right'].map((side) => page.getByTestId(`reveal-${side}`).innerText()),
  );
  return { runIds, revealed };
}

describe('the arena: blind votes, ratings, pair links (page)', { timeout: 120_000 }, () => {
  it('plays each run in a sandboxed, CSP-locked frame and records a blind vote, then reveals', async () => {
    const page = await wb.context.newPage();
    const errors = watchErrors(page);
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`${wb.url}#/arena?prompt=${PROMPT}`);
    await page.getByTestId('no-pair').waitFor();
    await expect(page.getByTestId('no-pair').innerText()).resolves.toMatch(/no runs/);
    await page.evaluate(putRecords, { store: 'visualRuns', records: SEEDS.map(visualRecord) });

    // Before any vote the leaderboard lists the models with their check scores, unrated.
    const before = await ratingsOnHome(page, PROMPT);
    expect(before.groups).toEqual([]);
    expect(before.unrated.sort()).toEqual(MODELS);

    await page.goto('about:blank');
    await page.goto(`${wb.url}#/arena?prompt=${PROMPT}`);
    await page.getByTestId('blind-vote').waitFor();
    await expect(page.getByTestId('pairs-left').innerText()).resolves.toMatch(/^5 pairs/);
    for (const side of ['left', 'right']) {
      const frame = page.getByTestId(`frame-${side}`).locator('iframe');
      await expect(frame.getAttribute('sandbox')).resolves.toBe('allow-scripts');
      await expect(frame.getAttribute('srcdoc')).resolves.toMatch(
        /^<!doctype html><meta http-equiv="Content-Security-Policy" content="default-src 'none'; /,
      );
      // The file runs (frames keep coming) and its fetch is refused inside the frame.
      const body = page.frameLocator(`[data-testid="frame-${side}"] iframe`).locator('body');
      await expect
        .poll(() => body.getAttribute('data-frames').then(Number), { timeout: 10_000 })
        .toBeGreaterThan(5);
      await expect.poll(() => body.getAttribute('data-fetch')).toBe('refused');
      // WebRTC, which no CSP blocks in Chromium, is gone (the harness's probe removes it).
      await expect(body.getAttribute('data-rtc')).resolves.toBe('undefined');
    }
    // Restart re-mounts the frame: a fresh document counts its frames from the start again.
    const left = page.frameLocator('[data-testid="frame-left"] iframe').locator('body');
    const counted = Number(await left.getAttribute('data-frames'));
    await page.getByRole('button', { name: 'Restart Left animation' }).click();
    await expect
      .poll(() => page.getByTestId('frame-left').locator('iframe').getAttribute('data-generation'))
      .toBe('1');
    await expect.poll(() => left.getAttribute('data-frames').then(Number)).toBeLessThan(counted);

    const { runIds, revealed } = await voteOnShownPair(page, 'Left is better');
    const models = runIds.map((id) => SEEDS.find((s) => s.runId === id)!.model);
    expect(models[0]).not.toBe(models[1]);
    revealed.forEach((text, i) => expect(text).toContain(`${models[i]} `));
    const votes = await storedVotes(page);
    expect(votes).toEqual([
      expect.objectContaining({
        benchmark: PROMPT,
        left: { run_id: runIds[0], model: models[0] },
        right: { run_id: runIds[1], model: models[1] },
        outcome: 'left',
      }),
    ]);

    // The rating updates: the two models are rated, the winner above, exactly as fitRatings says.
    const after = await ratingsOnHome(page, PROMPT);
    const fit = fitRatings(votes).benchmarks[0]!;
    expect(after.groups).toEqual(expectedGroups(fit, CHECK_SCORES));
    expect(after.groups[0]!.map((r) => r.model)).toEqual(models);
    expect(Number(after.groups[0]![0]!.rating)).toBeGreaterThan(1000);
    // Nothing tried to reach the network but the page's own files.
    expect(requests.filter((u) => !u.startsWith(wb.url))).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('never offers a voted pair again, and says so when every pair has a vote', async () => {
    const page = await wb.context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${wb.url}#/arena?prompt=${PROMPT}`);
    const seen = new Set(
      (await storedVotes(page)).map((v) => JSON.stringify([v.left.run_id, v.right.run_id].sort())),
    );
    const choices = ['Right is better', 'Tie', 'Both bad', 'Left is better'];
    for (const choice of choices) {
      await expect(page.getByTestId('pairs-left').innerText()).resolves.toMatch(
        new RegExp(`^${5 - seen.size} pair`),
      );
      const { runIds } = await voteOnShownPair(page, choice);
      const key = JSON.stringify([...runIds].sort());
      expect(seen.has(key), key).toBe(false);
      seen.add(key);
      await page.getByRole('button', { name: 'Next pair' }).click();
    }
    await expect(page.getByTestId('no-pair').innerText()).resolves.toMatch(/voted on every pair/);
    const votes = await storedVotes(page);
    expect(votes).toHaveLength(5);
    expect(votes.filter((v) => v.outcome === 'both_bad')).toHaveLength(1);

    const shown = await ratingsOnHome(page, PROMPT);
    expect(shown.groups).toEqual(expectedGroups(fitRatings(votes).benchmarks[0]!, CHECK_SCORES));
    // The "both bad" vote is in the counts and the caption, not in the fit.
    expect(shown.captions[0]).toMatch(
      /ratings from 4 blind votes \(and 1 “both bad”, not fitted\)/,
    );
    expect(errors).toEqual([]);
    await page.close();
  });

  it('exports votes.json and imports it merged by id; a disconnected group is its own table', async () => {
    const page = await wb.context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${wb.url}#/arena?prompt=${PROMPT}`);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: /^Export votes\.json \(5 votes\)/ }).click();
    const file = join(work, 'votes.json');
    await (await download).saveAs(file);
    const exported = JSON.parse(readFileSync(file, 'utf8')) as {
      kind: string;
      votes: (Vote & { id: string; createdAt: string })[];
    };
    expect(exported.kind).toBe('localds-votes');
    const byPair = (votes: Vote[]) => [...votes].sort((a, b) => (a.pair_id! < b.pair_id! ? -1 : 1));
    expect(byPair(parseVotes(exported.votes.map(({ id: _i, createdAt: _c, ...v }) => v)))).toEqual(
      byPair(await storedVotes(page)),
    );

    // The same file again adds nothing.
    await page.getByTestId('import-votes').setInputFiles(file);
    await expect
      .poll(() => page.getByTestId('votes-import-outcome').innerText())
      .toBe('votes.json: 0 vote(s) added, 5 already in this browser.');
    // Two votes between two other models: connected to nothing above, so a second group.
    const other = (n: number, outcome: Vote['outcome']) => ({
      id: `imported-${n}`,
      createdAt: '2026-12-06T13:00:00Z',
      benchmark: PROMPT,
      left: { run_id: `run-delta-${n}`, model: 'delta' },
      right: { run_id: `run-epsilon-${n}`, model: 'epsilon' },
      outcome,
      voted_at: '2026-12-06T13:00:00Z',
    });
    const more = join(work, 'more-votes.json');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      more,
      JSON.stringify({
        kind: 'localds-votes',
        v: 1,
        votes: [exported.votes[0], other(1, 'left'), other(2, 'tie')],
      }),
    );
    await page.getByTestId('import-votes').setInputFiles(more);
    await expect
      .poll(() => page.getByTestId('votes-import-outcome').innerText())
      .toBe('more-votes.json: 2 vote(s) added, 1 already in this browser.');
    // A bad vote is refused with what is wrong, and nothing of the file is imported.
    const bad = join(work, 'bad-votes.json');
    writeFileSync(
      bad,
      JSON.stringify({
        kind: 'localds-votes',
        v: 1,
        votes: [other(3, 'left'), { ...other(4, 'left'), outcome: 'meh' }],
      }),
    );
    await page.getByTestId('import-votes').setInputFiles(bad);
    await expect
      .poll(() => page.getByTestId('votes-import-outcome').innerText())
      .toMatch(/^bad-votes\.json was not imported: invalid vote 1 \(outcome\): /);
    const votes = await storedVotes(page);
    expect(votes).toHaveLength(7);

    const shown = await ratingsOnHome(page, PROMPT);
    const fit = fitRatings(votes).benchmarks[0]!;
    expect(fit.groups).toHaveLength(2);
    expect(shown.groups).toEqual(expectedGroups(fit, CHECK_SCORES));
    expect(shown.captions.filter((c) => /group \d of 2: no votes link it/.test(c))).toHaveLength(2);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('imports the votes that travel in a visual run’s zip (votes.json beside runs/) in a fresh browser', async () => {
    const exported = readFileSync(join(work, 'votes.json'));
    const context = await wb.browser.newContext();
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${wb.url}#/import`);
    const zip = zipSync({ 'votes.json': new Uint8Array(exported) });
    await page
      .getByTestId('import-zip')
      .setInputFiles({ name: 'run.zip', mimeType: 'application/zip', buffer: Buffer.from(zip) });
    await expect
      .poll(() => page.locator('.outcomes').innerText())
      .toContain('5 vote(s) added, 0 already in this browser');
    const votes = await storedVotes(page);
    expect(votes).toHaveLength(5);
    expect(errors).toEqual([]);
    await context.close();
  });

  let pairLink = '';

  it('a pair link opens in a fresh browser, blind, and its vote is saved there', async () => {
    const page = await wb.context.newPage();
    await page.goto(`${wb.url}#/arena?prompt=${PROMPT}`);
    // Every pair has a vote in this browser; a fresh profile has none. Seed one more run to share.
    await page.evaluate(putRecords, { store: 'visualRuns', records: [visualRecord(LATE_SEED, 9)] });
    await page.reload();
    await page.getByTestId('blind-vote').waitFor();
    await page.getByRole('button', { name: 'Make a pair link' }).click();
    pairLink = await page.getByTestId('pair-link').inputValue();
    expect(pairLink).toMatch(/#\/arena\/pair\/[A-Za-z0-9_-]+$/);
    await page.close();

    const context: BrowserContext = await wb.browser.newContext();
    const fresh = await context.newPage();
    const errors = watchErrors(fresh);
    await fresh.goto(pairLink);
    const { revealed } = await voteOnShownPair(fresh, 'Tie');
    expect(revealed.join(' ')).toMatch(/beta/);
    const votes = await storedVotes(fresh);
    expect(votes).toHaveLength(1);
    expect(votes[0]!.outcome).toBe('tie');
    // Opened again, the pair is shown revealed with the vote, not offered a second time.
    await fresh.reload();
    await expect(fresh.getByTestId('vote-saved').innerText()).resolves.toMatch(
      /^You voted on this pair before: a tie/,
    );
    await expect(fresh.getByRole('button', { name: 'Tie', exact: true }).count()).resolves.toBe(0);
    const shown = await ratingsOnHome(fresh, PROMPT);
    expect(shown.groups).toEqual(expectedGroups(fitRatings(votes).benchmarks[0]!, {}));
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a tampered pair link is rejected with a clear message and plays nothing', async () => {
    expect(pairLink).not.toBe('');
    const context = await wb.browser.newContext();
    const page = await context.newPage();
    const [base, payload] = pairLink.split('#/arena/pair/') as [string, string];
    const rejected = async (link: string) => {
      await page.goto('about:blank');
      await page.goto(link);
      const error = page.getByTestId('pair-link-error');
      await error.waitFor();
      await expect(page.locator('iframe').count()).resolves.toBe(0);
      return error.innerText();
    };

    // A deliberate edit: the files swapped for one of the editor's own, the checksum left alone.
    const envelope = JSON.parse(inflateRawSync(Buffer.from(payload, 'base64url')).toString()) as {
      v: number;
      sha256: string;
      data: string;
    };
    const pair = JSON.parse(envelope.data) as { runs: { html: string }[] };
    pair.runs[0]!.html = '<script>alert("not what the model wrote")</script>';
    const edited = deflateRawSync(JSON.stringify({ ...envelope, data: JSON.stringify(pair) }));
    await expect(rejected(`${base}#/arena/pair/${edited.toString('base64url')}`)).resolves.toBe(
      'The link was rejected: its integrity check failed (the link was altered).',
    );

    // One character changed in the middle, and a link cut short.
    const at = Math.floor(payload.length / 2);
    const flipped =
      payload.slice(0, at) + (payload[at] === 'A' ? 'B' : 'A') + payload.slice(at + 1);
    await expect(rejected(`${base}#/arena/pair/${flipped}`)).resolves.toMatch(
      /^The link was rejected: .*(altered|cut short)/,
    );
    await expect(
      rejected(`${base}#/arena/pair/${payload.slice(0, payload.length - 30)}`),
    ).resolves.toMatch(/^The link was rejected: .*(altered|cut short)/);
    // A result link's payload is not a pair.
    const notAPair = deflateRawSync(
      JSON.stringify({ v: 1, sha256: '0'.repeat(64), data: '{}' }),
    ).toString('base64url');
    await expect(rejected(`${base}#/arena/pair/${notAPair}`)).resolves.toMatch(
      /^The link was rejected: /,
    );
    await context.close();
  });

  it('upgrades a v3 database to v4: runs survive, the visual runs and votes stores exist', async () => {
    // The legacy dump (tests/fixtures/legacy, written at v2) brought to what v3 stored: the same
    // stores and indexes, records at schema 3 (v3's upgrade only rewrote the records).
    const legacy = join(REPO_ROOT, 'tests/fixtures/legacy');
    const dump = JSON.parse(readFileSync(join(legacy, 'indexeddb.json'), 'utf8')) as DatabaseDump;
    const links = JSON.parse(readFileSync(join(legacy, 'links.json'), 'utf8')) as {
      history: Record<string, string>;
    };
    const v3: DatabaseDump = {
      ...dump,
      version: 3,
      stores: dump.stores.map((s) => ({
        ...s,
        records: s.records.map((r) => ({ ...r, value: upgradeRecord(r.value) })),
      })),
    };
    expect(v3.stores[0]!.records.every((r) => (r.value as { schema: number }).schema === 3)).toBe(
      true,
    );

    const context = await wb.browser.newContext();
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${wb.url}arena-restore-blank`);
    await page.evaluate(restoreDatabase, v3);
    const before = await page.evaluate(readStore, 'runs');
    expect(before.version).toBe(3);
    expect(before.stores).toEqual(['runs']);

    await page.goto(`${wb.url}#/history`);
    await page.locator('table.runs tbody tr').first().waitFor();
    await expect(
      page.getByRole('alert').filter({ hasText: 'could not be read' }).count(),
    ).resolves.toBe(0);
    const listed = Object.fromEntries(
      await page.$$eval('table.runs tbody tr', (rows) =>
        rows.map((r) => [
          r.getAttribute('data-run-id'),
          r.querySelector('[data-field="score"]')?.textContent ?? '',
        ]),
      ),
    );
    expect(listed).toEqual(links.history);

    const after = await page.evaluate(readStore, 'runs');
    expect(after.version).toBe(4);
    expect(after.stores.sort()).toEqual(['runs', 'visualRuns', 'votes']);
    expect(after.indexes).toEqual({
      runs: ['createdAt', 'identity'],
      visualRuns: ['benchmark', 'createdAt'],
      votes: ['createdAt'],
    });
    expect(after.records).toHaveLength(before.records.length);
    // The new stores work: the arena reads them (empty) without an error.
    await page.goto(`${wb.url}#/arena?prompt=${PROMPT}`);
    await page.getByTestId('no-pair').waitFor();
    await expect(
      page.getByRole('button', { name: /^Export votes\.json \(0 votes\)/ }).isDisabled(),
    ).resolves.toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });
});
