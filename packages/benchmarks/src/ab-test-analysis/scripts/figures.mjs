// Figures of a generated dataset, computed with the definitions of issue 2 item 4 — a tuning aid
// for choosing scenario seeds (search-seeds.mjs). The scorer's oracle is the authority; this copy
// exists only so seeds can be searched without a dependency on the scorer.
import tcdf from '@stdlib/stats-base-dists-t-cdf';
import chisqcdf from '@stdlib/stats-base-dists-chisquare-cdf';
import normcdf from '@stdlib/stats-base-dists-normal-cdf';

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const variance = (xs) => {
  const m = mean(xs);
  return xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);
};

export function figures(rows) {
  const usable = rows.filter(
    (r) => (r.variant === 'A' || r.variant === 'B') && r.session_id !== null,
  );
  const per = {};
  for (const v of ['A', 'B']) {
    const rs = usable.filter((r) => r.variant === v);
    const count = (e) => rs.filter((r) => r.event === e).length;
    const times = rs
      .filter((r) => r.event === 'puzzle_completed' && r.completion_time_seconds !== null)
      .map((r) => r.completion_time_seconds);
    const sessions = new Set(rs.map((r) => r.session_id));
    const completedSessions = new Set(
      rs.filter((r) => r.event === 'puzzle_completed').map((r) => r.session_id),
    );
    per[v] = {
      sessions: sessions.size,
      started: count('puzzle_started'),
      completed: count('puzzle_completed'),
      repeated: count('puzzle_repeated'),
      times,
      sessionRate: completedSessions.size / sessions.size,
    };
  }
  const { A, B } = per;
  const [nA, nB] = [A.times.length, B.times.length];
  const [mA, mB, vA, vB] = [mean(A.times), mean(B.times), variance(A.times), variance(B.times)];
  const se2 = vA / nA + vB / nB;
  const t = (mB - mA) / Math.sqrt(se2);
  const df = se2 ** 2 / ((vA / nA) ** 2 / (nA - 1) + (vB / nB) ** 2 / (nB - 1));
  const p = 2 * (1 - tcdf(Math.abs(t), df));
  const pooled = Math.sqrt(((nA - 1) * vA + (nB - 1) * vB) / (nA + nB - 2));
  const d = (mB - mA) / pooled;

  const crA = A.completed / A.started;
  const crB = B.completed / B.started;
  // Pearson chi-square on [[completed, not completed] x variant], no continuity correction.
  const table = [
    [A.completed, A.started - A.completed],
    [B.completed, B.started - B.completed],
  ];
  const total = A.started + B.started;
  let chi2 = 0;
  for (let i = 0; i < 2; i++)
    for (let j = 0; j < 2; j++) {
      const expected = ((table[i][0] + table[i][1]) * (table[0][j] + table[1][j])) / total;
      chi2 += (table[i][j] - expected) ** 2 / expected;
    }
  const completionP = 1 - chisqcdf(chi2, 1);

  const rrA = A.repeated / A.completed;
  const rrB = B.repeated / B.completed;
  const pool = (A.repeated + B.repeated) / (A.completed + B.completed);
  const z = (rrB - rrA) / Math.sqrt(pool * (1 - pool) * (1 / A.completed + 1 / B.completed));
  const repeatP = 2 * (1 - normcdf(Math.abs(z), 0, 1));

  const s = A.sessions + B.sessions;
  const srmChi2 = ((A.sessions - s / 2) ** 2 + (B.sessions - s / 2) ** 2) / (s / 2);
  const srmP = 1 - chisqcdf(srmChi2, 1);

  let status;
  let recommended = null;
  if (srmP < 0.01) status = 'inconclusive';
  else if (p < 0.05) {
    status = 'significant';
    const faster = mA <= mB ? 'A' : 'B';
    const other = faster === 'A' ? 'B' : 'A';
    const worse = (x, y) => (faster === 'A' ? x < y : y < x);
    const blocked = (completionP < 0.05 && worse(crA, crB)) || (repeatP < 0.05 && worse(rrA, rrB));
    recommended = blocked ? other : faster;
  } else status = 'not_significant';

  return {
    rows: rows.length,
    usable: usable.length,
    sessions: [A.sessions, B.sessions],
    n: [nA, nB],
    mean: [mA, mB],
    sd: [Math.sqrt(vA), Math.sqrt(vB)],
    p,
    d,
    completionRate: [crA, crB],
    completionP,
    repeatRate: [rrA, rrB],
    repeatP,
    sessionRate: [A.sessionRate, B.sessionRate],
    srmP,
    status,
    recommended,
  };
}
