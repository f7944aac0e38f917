#!/usr/bin/env python3
"""Reference ratings for blind pairwise votes (packages/scorer/src/score-stats/ratings).

README
  Regenerate from the repository root:
      npm run fixtures:ratings -w @localds/scorer
  Needs Debian's /usr/bin/python3 with numpy and scipy. Writes
  packages/scorer/fixtures/ratings/ratings.json: recorded vote sets and, for each, the point ratings
  per prompt (benchmark) and over all prompts, computed here independently of the TypeScript code:

    the model   P(i preferred to j) = expit(theta_i - theta_j); a tie is half a win each way
    the prior   theta_i ~ Normal(0, sd^2), sd = 400 rating points = ln(10) logits
    the fit     the log-posterior written vote by vote (scipy.special.log_expit), maximised per
                connected component (scipy.sparse.csgraph.connected_components) with
                scipy.optimize.minimize(method='trust-exact') and its analytic gradient and Hessian,
                then scipy.optimize.root (MINPACK hybrd) on gradient = 0 to machine precision
    the scale   rating = 1000 + 400 * log10(exp(theta)); each group's mean is checked to be 1000
    not fitted  "both_bad" votes and votes between two runs of one model (counted only); a model
                with no fitted vote is unrated

  Bootstrap intervals are not computed here (they need not match numpy's RNG): the tests check their
  properties. Every fixture records the interpreter, Python, numpy and SciPy versions.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np
import scipy
import scipy.optimize
from scipy.optimize import minimize
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.special import expit, log_expit

REPO = Path(__file__).resolve().parents[3]
OUT = REPO / 'packages' / 'scorer' / 'fixtures' / 'ratings' / 'ratings.json'

GENERATOR = {
    'script': 'packages/scorer/scripts/generate_rating_fixtures.py',
    'python': sys.executable,
    'python_version': sys.version.split()[0],
    'numpy': np.__version__,
    'scipy': scipy.__version__,
}

PRIOR_SD_LOGITS = math.log(10)  # 400 rating points: 400 * log10(e^x) = 400 at x = ln 10
POINTS_PER_LOGIT = 400 / math.log(10)

rng = np.random.default_rng(20261206)


# ---------------------------------------------------------------------------------------------
# Recorded vote sets
# ---------------------------------------------------------------------------------------------

class VoteBook:
    """Votes with unique run ids and increasing timestamps, as the page would store them."""

    def __init__(self) -> None:
        self.votes: list[dict] = []

    def add(self, benchmark: str, left: str, right: str, outcome: str, times: int = 1) -> None:
        for _ in range(times):
            k = len(self.votes)
            minute, second = divmod(k, 60)
            hour, minute = divmod(minute, 60)
            vote = {
                'pair_id': f'pair-{k}',
                'benchmark': benchmark,
                'left': {'run_id': f'{left}-run-{k}-l', 'model': left},
                'right': {'run_id': f'{right}-run-{k}-r', 'model': right},
                'outcome': outcome,
                'voted_at': f'2026-12-06T{hour:02d}:{minute:02d}:{second:02d}Z',
            }
            if k % 7 == 3:
                del vote['pair_id']  # pair_id is optional
            self.votes.append(vote)


def case_ties() -> list[dict]:
    book = VoteBook()
    book.add('cherry-blossoms', 'alpha', 'beta', 'left', 3)
    book.add('cherry-blossoms', 'alpha', 'beta', 'tie', 4)
    book.add('cherry-blossoms', 'beta', 'alpha', 'left', 1)
    book.add('cherry-blossoms', 'beta', 'gamma', 'tie', 5)
    book.add('cherry-blossoms', 'gamma', 'beta', 'right', 2)
    book.add('cherry-blossoms', 'alpha', 'gamma', 'tie', 2)
    book.add('cherry-blossoms', 'gamma', 'alpha', 'left', 1)
    book.add('cherry-blossoms', 'alpha', 'gamma', 'left', 2)
    book.add('cherry-blossoms', 'alpha', 'gamma', 'both_bad', 2)
    book.add('aquarium', 'gamma', 'alpha', 'tie', 3)
    book.add('aquarium', 'beta', 'gamma', 'tie', 1)
    return book.votes


def case_disconnected() -> list[dict]:
    book = VoteBook()
    # One component: a, b, c.
    book.add('solar-system', 'a', 'b', 'left', 4)
    book.add('solar-system', 'b', 'a', 'left', 2)
    book.add('solar-system', 'b', 'c', 'left', 3)
    book.add('solar-system', 'c', 'b', 'tie', 1)
    book.add('solar-system', 'c', 'a', 'left', 1)
    # Another: d, e (never compared with a, b or c).
    book.add('solar-system', 'd', 'e', 'right', 5)
    book.add('solar-system', 'e', 'd', 'tie', 2)
    book.add('solar-system', 'd', 'e', 'left', 1)
    # A "both bad" vote joins no groups: f is unrated, and a–d stay apart.
    book.add('solar-system', 'a', 'f', 'both_bad', 2)
    book.add('solar-system', 'a', 'd', 'both_bad', 1)
    # Two runs of one model: counted, never fitted.
    book.add('solar-system', 'g', 'g', 'left', 1)
    book.add('solar-system', 'c', 'c', 'tie', 1)
    # Another prompt: the same two components (c has no vote there), so overall they stay apart too.
    book.add('fireworks', 'a', 'b', 'left', 2)
    book.add('fireworks', 'e', 'd', 'right', 1)
    book.add('fireworks', 'd', 'e', 'tie', 1)
    book.add('fireworks', 'b', 'e', 'both_bad', 1)
    return book.votes


def case_undefeated() -> list[dict]:
    book = VoteBook()
    book.add('bouncing-ball', 'champion', 'mid', 'left', 6)
    book.add('bouncing-ball', 'low', 'champion', 'right', 4)
    book.add('bouncing-ball', 'mid', 'low', 'left', 3)
    book.add('bouncing-ball', 'low', 'mid', 'left', 2)
    book.add('bouncing-ball', 'mid', 'low', 'tie', 1)
    return book.votes


def case_all_agree() -> list[dict]:
    # Two models and ten votes that all say the same: the only data a bootstrap cannot vary.
    book = VoteBook()
    book.add('clock', 'winner', 'loser', 'left', 7)
    book.add('clock', 'loser', 'winner', 'right', 3)
    return book.votes


def case_single_vote() -> list[dict]:
    book = VoteBook()
    book.add('starfield', 'solo-a', 'solo-b', 'right', 1)
    return book.votes


def case_many_models() -> list[dict]:
    # 20 models with spread-out true strengths, 1,500 votes over three prompts: side, pairing and
    # outcome drawn at random (ties when the two are close, "both bad" now and then).
    models = [f'model-{k:02d}' for k in range(20)]
    truth = rng.normal(0.0, 1.0, size=len(models))
    prompts = ['cherry-blossoms', 'aquarium', 'fireworks']
    book = VoteBook()
    for _ in range(1500):
        i, j = rng.choice(len(models), size=2, replace=False)
        prompt = prompts[int(rng.integers(len(prompts)))]
        u = rng.uniform()
        if u < 0.03:
            outcome = 'both_bad'
        elif u < 0.13:
            outcome = 'tie'
        else:
            outcome = 'left' if rng.uniform() < expit(truth[i] - truth[j]) else 'right'
        book.add(prompt, models[i], models[j], outcome)
    return book.votes


CASES = [
    ('ties', case_ties),
    ('disconnected', case_disconnected),
    ('undefeated', case_undefeated),
    ('all-agree', case_all_agree),
    ('single-vote', case_single_vote),
    ('many-models', case_many_models),
]


# ---------------------------------------------------------------------------------------------
# The reference fit
# ---------------------------------------------------------------------------------------------

def neg_log_posterior(theta, left, right, score, precision):
    d = theta[left] - theta[right]
    return -(np.sum(score * log_expit(d) + (1 - score) * log_expit(-d))) + 0.5 * precision * theta @ theta


def neg_gradient(theta, left, right, score, precision):
    residual = score - expit(theta[left] - theta[right])
    g = np.zeros_like(theta)
    np.add.at(g, left, residual)
    np.subtract.at(g, right, residual)
    return -g + precision * theta


def neg_hessian(theta, left, right, score, precision):
    p = expit(theta[left] - theta[right])
    w = p * (1 - p)
    n = len(theta)
    h = precision * np.eye(n)
    np.add.at(h, (left, left), w)
    np.add.at(h, (right, right), w)
    np.subtract.at(h, (left, right), w)
    np.subtract.at(h, (right, left), w)
    return h


def fit(votes: list[dict]) -> dict:
    counts: dict[str, dict[str, int]] = {}

    def of(model: str) -> dict[str, int]:
        return counts.setdefault(
            model, {'fitted': 0, 'wins': 0, 'losses': 0, 'ties': 0, 'bothBad': 0, 'sameModel': 0}
        )

    fitted = []
    for v in votes:
        l, r, o = v['left']['model'], v['right']['model'], v['outcome']
        cl, cr = of(l), of(r)
        if l == r:
            cl['sameModel'] += 1
        elif o == 'both_bad':
            cl['bothBad'] += 1
            cr['bothBad'] += 1
        else:
            cl['fitted'] += 1
            cr['fitted'] += 1
            if o == 'tie':
                cl['ties'] += 1
                cr['ties'] += 1
            else:
                w, lo = (cl, cr) if o == 'left' else (cr, cl)
                w['wins'] += 1
                lo['losses'] += 1
            fitted.append((l, r, {'left': 1.0, 'right': 0.0, 'tie': 0.5}[o]))

    rated = sorted(m for m, c in counts.items() if c['fitted'] > 0)
    unrated = sorted(m for m, c in counts.items() if c['fitted'] == 0)
    index = {m: k for k, m in enumerate(rated)}
    groups = []
    if rated:
        rows = [index[l] for l, _, _ in fitted]
        cols = [index[r] for _, r, _ in fitted]
        graph = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(rated), len(rated)))
        n_components, labels = connected_components(graph, directed=False)
        for c in range(n_components):
            members = [m for m in rated if labels[index[m]] == c]
            local = {m: k for k, m in enumerate(members)}
            mine = [(l, r, s) for l, r, s in fitted if l in local]
            left = np.array([local[l] for l, _, _ in mine])
            right = np.array([local[r] for _, r, _ in mine])
            score = np.array([s for _, _, s in mine])
            precision = 1 / PRIOR_SD_LOGITS**2
            args = (left, right, score, precision)
            result = minimize(
                neg_log_posterior,
                np.zeros(len(members)),
                args=args,
                jac=neg_gradient,
                hess=neg_hessian,
                method='trust-exact',
                options={'gtol': 1e-12, 'maxiter': 1000},
            )
            # trust-exact stops once the objective's change is below rounding (a gradient near 1e-9,
            # a few 1e-6 rating points); MINPACK's hybrid root finder then solves gradient = 0, the
            # unique maximum of a strictly concave function, to machine precision.
            root = scipy.optimize.root(
                neg_gradient, result.x, args=args, jac=neg_hessian, method='hybr', options={'xtol': 1e-15}
            )
            theta = root.x
            gradient = float(np.max(np.abs(neg_gradient(theta, *args))))
            assert gradient < 1e-10, (result.message, root.message, gradient, members)
            ratings = 1000 + 400 * np.log10(np.exp(theta))
            assert abs(float(np.mean(ratings)) - 1000) < 1e-8, 'group mean is not 1000'
            groups.append({
                'models': [
                    {'model': m, 'rating': float(ratings[k]), **counts[m]} for k, m in enumerate(members)
                ],
                'fitted': len(mine),
                'max_abs_gradient': gradient,
            })
    return {
        'groups': groups,
        'unrated': unrated,
        'votes': {
            'total': len(votes),
            'fitted': len(fitted),
            'bothBad': sum(1 for v in votes if v['outcome'] == 'both_bad' and v['left']['model'] != v['right']['model']),
            'sameModel': sum(1 for v in votes if v['left']['model'] == v['right']['model']),
        },
    }


def main() -> None:
    cases = []
    for name, make in CASES:
        votes = make()
        benchmarks = sorted({v['benchmark'] for v in votes})
        cases.append({
            'name': name,
            'votes': votes,
            'expected': {
                'overall': fit(votes),
                'benchmarks': {b: fit([v for v in votes if v['benchmark'] == b]) for b in benchmarks},
            },
        })
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({'generator': GENERATOR, 'cases': cases}, indent=1) + '\n')
    print(f'wrote {OUT.relative_to(REPO)}: {len(cases)} vote sets')


if __name__ == '__main__':
    main()
