#!/usr/bin/python3
"""Reference solution of `launch-segments`: pandas, SciPy, statsmodels and matplotlib.

    cd <working dir with supabase.json> && /usr/bin/python3 .../reference/launch_segments.py

Reads every row of `posthog_events` through the Supabase REST API (paged with limit/offset, ordered by
id), applies the task's definitions and writes summary.json, chart-rates-by-segment.png and
chart-segment-mix.png to the working directory. Nothing in it is a hard-coded result. `# %%` marks
the notebook cells (one per section of the task).
"""

# %% [markdown]
# # Launch read across segments
# ## Setup & data pull

# %%
import json
from datetime import datetime, timezone

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import requests
from scipy.stats import chi2_contingency
from statsmodels.stats.contingency_tables import StratifiedTable

with open('supabase.json') as f:
    cfg = json.load(f)
PAGE = 1000
rows, offset = [], 0
while True:
    sep = '&' if '?' in cfg['url'] else '?'
    r = requests.get(f"{cfg['url']}{sep}order=id&limit={PAGE}&offset={offset}", headers=cfg['headers'], timeout=60)
    r.raise_for_status()
    page = r.json()
    rows.extend(page)
    if len(page) < PAGE:
        break
    offset += PAGE
df = pd.DataFrame(rows)
print(len(df), 'rows')

# %% [markdown]
# ## Data quality

# %%
LAUNCH = pd.Timestamp('2026-03-02T09:00:00Z')
PLATFORMS = ['mobile', 'desktop']
usable = df[df['platform'].isin(PLATFORMS) & df['session_id'].notna()].copy()
print('excluded rows:', len(df) - len(usable), '| null platform:', int(df['platform'].isna().sum()),
      '| other platform:', int((df['platform'].notna() & ~df['platform'].isin(PLATFORMS)).sum()))
usable['at'] = pd.to_datetime(usable['timestamp'], utc=True)
usable['period'] = np.where(usable['at'] < LAUNCH, 'before', 'after')
print(usable.groupby(['period', 'event']).size())

# %% [markdown]
# ## Segment mix

# %%
ev = usable[usable['event'].isin(['puzzle_started', 'puzzle_completed'])]
counts = ev.pivot_table(index=['period', 'platform'], columns='event', values='id', aggfunc='count', fill_value=0)
counts = counts.reindex(pd.MultiIndex.from_product([['before', 'after'], PLATFORMS]), fill_value=0)
for col in ['puzzle_started', 'puzzle_completed']:
    if col not in counts:
        counts[col] = 0
started = counts['puzzle_started'].unstack()
completed = counts['puzzle_completed'].unstack()
mix = started.div(started.sum(axis=1), axis=0)
print(mix)

# %% [markdown]
# ## Pooled comparison

# %%
def rate(c, s):
    return None if s == 0 else float(c / s)

pooled_s, pooled_c = started.sum(axis=1), completed.sum(axis=1)
table = np.array([[pooled_c[p], pooled_s[p] - pooled_c[p]] for p in ['before', 'after']])
try:
    pooled_p = float(chi2_contingency(table, correction=False)[1]) if (table >= 0).all() else None
except ValueError:
    pooled_p = None
raw = {
    'pooled_rate_before': rate(pooled_c['before'], pooled_s['before']),
    'pooled_rate_after': rate(pooled_c['after'], pooled_s['after']),
    'pooled_p_value': pooled_p,
}
print(raw)

# %% [markdown]
# ## Stratified analysis

# %%
for period in ['before', 'after']:
    for platform in PLATFORMS:
        raw[f'rate_{period}_{platform}'] = rate(completed.loc[period, platform], started.loc[period, platform])
tables = []
for platform in PLATFORMS:
    a, s_a = completed.loc['after', platform], started.loc['after', platform]
    c, s_b = completed.loc['before', platform], started.loc['before', platform]
    if a + s_a + c + s_b > 0:
        tables.append([[a, s_a - a], [c, s_b - c]])
odds = low = high = cmh_p = None
if tables and min(v for t in tables for r in t for v in r) >= 0:
    with np.errstate(all='ignore'):
        st = StratifiedTable(np.asarray(tables, dtype=float).transpose(1, 2, 0))
        o = float(st.oddsratio_pooled)
        if np.isfinite(o) and o > 0:
            odds = o
            ci = st.oddsratio_pooled_confint(alpha=0.05)
            low, high = (float(x) if np.isfinite(x) else None for x in ci)
            p = float(st.test_null_odds(correction=False).pvalue)
            cmh_p = p if np.isfinite(p) else None
raw.update({'mh_odds_ratio': odds, 'mh_ci_low': low, 'mh_ci_high': high, 'cmh_p_value': cmh_p})
print(raw)

# %% [markdown]
# ## Visualizations

# %%
fig, ax = plt.subplots(figsize=(7, 4))
x = np.arange(3)
for i, period in enumerate(['before', 'after']):
    vals = [raw[f'rate_{period}_mobile'] or 0, raw[f'rate_{period}_desktop'] or 0, raw[f'pooled_rate_{period}'] or 0]
    ax.bar(x + (i - 0.5) * 0.38, vals, 0.38, label=period)
ax.set_xticks(x, ['mobile', 'desktop', 'pooled'])
ax.set_xlabel('Platform')
ax.set_ylabel('Completion rate (completed / started)')
ax.set_title('Completion rate before and after the launch, per platform and pooled')
ax.legend()
fig.tight_layout()
fig.savefig('chart-rates-by-segment.png', dpi=100)

fig, ax = plt.subplots(figsize=(6, 4))
bottom = np.zeros(2)
for platform in PLATFORMS:
    vals = mix[platform].reindex(['before', 'after']).fillna(0).to_numpy()
    ax.bar(['before', 'after'], vals, bottom=bottom, label=platform)
    bottom += vals
ax.set_ylabel('Share of started events')
ax.set_xlabel('Period')
ax.set_title('Platform mix before and after the launch')
ax.legend()
fig.tight_layout()
fig.savefig('chart-segment-mix.png', dpi=100)

# %% [markdown]
# ## Conclusion & recommendation

# %%
if cmh_p is not None and odds is not None and cmh_p < 0.05 and odds != 1:
    status, direction, recommendation = ('significant', 'worse', 'roll_back') if odds < 1 else ('significant', 'better', 'keep')
else:
    status, direction, recommendation = 'not_significant', None, None
fmt = lambda v: 'n/a' if v is None else f'{v:.3g}'
decision = (f"Within each platform the odds of completing changed by a factor of {fmt(odds)} "
            f"(95% CI {fmt(low)}–{fmt(high)}, CMH p = {fmt(cmh_p)}); the pooled rate went from "
            f"{fmt(raw['pooled_rate_before'])} to {fmt(raw['pooled_rate_after'])} only partly because of the mix shift.")
summary = {
    'status': status, 'direction': direction, 'recommendation': recommendation, 'decision': decision,
    'raw_stats': raw,
    'warnings': ['The platform mix moved at the launch: the pooled comparison is confounded.'],
    'methodology': 'Usable rows per the task; Mantel–Haenszel odds ratio over platforms (statsmodels StratifiedTable), CMH test without continuity correction.',
    'generated_at': datetime.now(timezone.utc).isoformat(),
}
with open('summary.json', 'w') as f:
    json.dump(summary, f, indent=2)
print(status, direction, recommendation)
