import { findVisualBenchmark, visualBenchmarks, type VisualBenchmark } from '@localds/benchmarks';
import { useEffect, useState } from 'react';
import { contestantOf, type Contestant } from '../arena/contestant.js';
import { openPairLink, pairLinkFragment, type SharedPair } from '../arena/pair-link.js';
import { pickPair, type PairPick } from '../arena/pick-pair.js';
import { BlindVote } from '../components/BlindVote.js';
import { Field } from '../components/Field.js';
import { InvalidRecords } from '../components/InvalidRecords.js';
import { LinkField } from '../components/LinkField.js';
import { ErrorBox, Loading } from '../components/Status.js';
import { VotesTransfer } from '../components/VotesTransfer.js';
import { navigate, useHashQuery } from '../router.js';
import { MAX_FRAGMENT_CHARS } from '../share/codec.js';
import { useArenaData, type ArenaData } from '../storage/use-votes.js';
import { pairKey, type VoteRecord } from '../storage/vote-record.js';
import { listVotes } from '../storage/votes-db.js';

/**
 * The arena (#19): blind pairwise votes on visual runs. Pick a prompt; the page offers two runs of it
 * by different models that this browser has not voted on, playing side by side in random sides with
 * the models hidden until the vote.
 */
export function Arena() {
  const query = useHashQuery();
  const prompt = query.get('prompt') ?? visualBenchmarks[0]?.id ?? '';
  const benchmark = findVisualBenchmark(prompt);
  const [state, reload] = useArenaData();

  return (
    <>
      <header className="page-head">
        <h1>Arena</h1>
        <p>
          Two runs of the same prompt by different models, side by side. Vote for the better one
          before you learn whose they are; the votes become ratings on the{' '}
          <a href="#/">leaderboard</a>.
        </p>
      </header>
      <Field label="Prompt">
        <select
          value={prompt}
          onChange={(e) => navigate(`arena?prompt=${encodeURIComponent(e.target.value)}`)}
        >
          {visualBenchmarks.map((b) => (
            <option key={b.id} value={b.id}>
              {b.title} ({b.id})
            </option>
          ))}
        </select>
      </Field>
      {state.status === 'loading' && <Loading what="runs and votes" />}
      {state.status === 'error' && <ErrorBox title="Arena unavailable">{state.error}</ErrorBox>}
      {state.status === 'ready' && (
        <>
          <InvalidRecords what="visual run(s)" records={state.data.visual.invalid} />
          <InvalidRecords what="vote(s)" records={state.data.votes.invalid} />
          {benchmark ? (
            <Round
              key={benchmark.id}
              benchmark={benchmark}
              data={state.data}
              onVoted={() => void reload()}
            />
          ) : (
            <ErrorBox title="Unknown prompt">
              No visual benchmark is called “{prompt}”. Choose one above.
            </ErrorBox>
          )}
          <section aria-labelledby="votes-title">
            <h2 id="votes-title">Your votes</h2>
            <p className="small">
              Votes stay in this browser. Export them as a file to keep them or to merge them into
              another browser&rsquo;s (votes already there are not added twice).
            </p>
            <VotesTransfer votes={state.data.votes.votes} onImported={() => void reload()} />
          </section>
        </>
      )}
    </>
  );
}

/** One pair at a time: the pick is made once per round, and again on "Next pair". */
function Round({
  benchmark,
  data,
  onVoted,
}: {
  benchmark: VisualBenchmark;
  data: ArenaData;
  onVoted: () => void;
}) {
  // One pick per round, from the votes as they are then: not on every reload, so the pair just
  // voted on stays up, revealed, until "Next pair". The parent keys this by prompt.
  const pickNow = () =>
    pickPair(
      data.visual.runs
        .filter((r) => r.benchmark.id === benchmark.id)
        .map(contestantOf)
        .filter((c): c is Contestant => c !== null),
      new Set(data.votes.votes.map((v) => pairKey(v.left.run_id, v.right.run_id))),
    );
  const [pick, setPick] = useState<PairPick>(pickNow);

  return (
    <section aria-labelledby="round-title">
      <h2 id="round-title">{benchmark.title}</h2>
      <details className="small">
        <summary>The prompt both models answered</summary>
        <pre className="task">{benchmark.task}</pre>
      </details>
      {pick.ok ? (
        <>
          <p className="muted small" data-testid="pairs-left">
            {pick.remaining} pair{pick.remaining === 1 ? '' : 's'} of runs by different models
            without your vote.
          </p>
          <BlindVote
            key={pairKey(pick.left.runId, pick.right.runId)}
            benchmark={benchmark.id}
            left={pick.left}
            right={pick.right}
            onVoted={onVoted}
          />
          <div className="actions">
            <button type="button" onClick={() => setPick(pickNow())}>
              Next pair
            </button>
          </div>
          <SharePair benchmark={benchmark} pair={[pick.left, pick.right]} />
        </>
      ) : (
        <p className="notice" data-testid="no-pair">
          {pick.reason}
        </p>
      )}
    </section>
  );
}

/** Makes a pair link: both files travel in it, so anyone can vote on this pair in their browser. */
function SharePair({
  benchmark,
  pair,
}: {
  benchmark: VisualBenchmark;
  pair: [Contestant, Contestant];
}) {
  const [link, setLink] = useState<{ url?: string; error?: string } | null>(null);
  const make = () => {
    pairLinkFragment({ id: benchmark.id, version: benchmark.version }, ...pair).then(
      (fragment) => {
        const url = new URL(location.href);
        url.hash = fragment.slice(1);
        setLink({ url: url.href });
      },
      (e: Error) => setLink({ error: `No link for this pair: ${e.message}.` }),
    );
  };
  return (
    <div className="share">
      <button type="button" onClick={make}>
        Make a pair link
      </button>
      {link?.url && (
        <LinkField
          label={`Pair link (${Math.ceil(link.url.length / 1024)} KB; both files, no keys)`}
          help="Whoever opens it votes on this pair blind, in their own browser."
          value={link.url}
          testId="pair-link"
        />
      )}
      {link?.error && (
        <p className="error" role="alert">
          {link.error}
        </p>
      )}
    </div>
  );
}

type PairState =
  | { status: 'loading' }
  | { status: 'error'; error: string }
  | {
      status: 'ready';
      pair: SharedPair;
      sides: [Contestant, Contestant];
      previous: VoteRecord | undefined;
    };

/** A pair opened from a link: validated and integrity-checked before anything plays. */
export function ArenaPair({ payload }: { payload: string }) {
  const [state, setState] = useState<PairState>({ status: 'loading' });
  useEffect(() => {
    let live = true;
    Promise.all([openPairLink(payload), listVotes()]).then(
      ([pair, { votes }]) => {
        if (!live) return;
        // Sides are drawn here, so the link's order says nothing about which is which.
        const [a, b] = pair.runs;
        const sides: [Contestant, Contestant] = Math.random() < 0.5 ? [a, b] : [b, a];
        const key = pairKey(a.runId, b.runId);
        const previous = votes.find((v) => pairKey(v.left.run_id, v.right.run_id) === key);
        setState({ status: 'ready', pair, sides, previous });
      },
      (error: Error) => live && setState({ status: 'error', error: error.message }),
    );
    return () => {
      live = false;
    };
  }, [payload]);

  if (state.status === 'loading') return <Loading what="the shared pair" />;
  if (state.status === 'error') {
    return (
      <ErrorBox title="This pair link cannot be opened">
        <p data-testid="pair-link-error">The link was rejected: {state.error}.</p>
        <p className="small">
          Pair links are checked (SHA-256) and capped at {MAX_FRAGMENT_CHARS / 1024} KB. Ask for the
          link again, copied whole.
        </p>
      </ErrorBox>
    );
  }
  const { pair, sides } = state;
  const benchmark = findVisualBenchmark(pair.benchmark.id);
  return (
    <>
      <header className="page-head">
        <p className="notice">
          A shared pair: both files travel in the link. Vote, then see whose they are.
        </p>
        <h1>{benchmark?.title ?? pair.benchmark.id}</h1>
        <p className="muted small">
          {pair.benchmark.id} v{pair.benchmark.version}
          {!benchmark && ' · a prompt this page does not know'}
          {benchmark &&
            benchmark.version !== pair.benchmark.version &&
            ` · this page has v${benchmark.version} of the prompt`}
        </p>
      </header>
      {benchmark && (
        <details className="small">
          <summary>The prompt both models answered</summary>
          <pre className="task">{benchmark.task}</pre>
        </details>
      )}
      <BlindVote
        benchmark={pair.benchmark.id}
        left={sides[0]}
        right={sides[1]}
        previous={state.previous}
      />
      <p>
        <a href={`#/arena?prompt=${encodeURIComponent(pair.benchmark.id)}`}>
          More pairs in the arena
        </a>
        {' · '}
        <a href="#/">Ratings on the leaderboard</a>
      </p>
    </>
  );
}
