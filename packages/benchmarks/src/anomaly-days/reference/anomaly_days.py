#!/usr/bin/python3
"""Reference solution of `anomaly-days`: pandas and matplotlib.

    cd <working dir with supabase.json> && /usr/bin/python3 .../reference/anomaly_days.py

Reads every row of `posthog_events` through the Supabase REST API (paged with limit/offset, ordered by
id), applies the task's definitions and writes summary.json, anomalies.csv and chart-daily-counts.png
to the working directory. Nothing in it is a hard-coded result. `# %%` marks the notebook cells.
"""

# %% [markdown]
# # Anomalous days
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
df = pd.DataFrame(rows, columns=['id', 'event', 'distinct_id', 'session_id', 'timestamp', 'platform'])
print(len(df), 'rows')

# %% [markdown]
# ## Data quality

# %%
usable = df[(df['event'] == 'puzzle_started') & df['distinct_id'].notna() & df['session_id'].notna()].copy()
usable['date'] = pd.to_datetime(usable['timestamp'], utc=True).dt.strftime('%Y-%m-%d')
per_player_day = usable.groupby(['distinct_id', 'date']).size()
bot_ids = sorted(set(per_player_day[per_player_day > 200].index.get_level_values(0)))
is_bot = usable['distinct_id'].isin(bot_ids)
print('usable rows:', len(usable), '| bots:', bot_ids, '| bot rows:', int(is_bot.sum()))

# %% [markdown]
# ## Daily counts and baselines

# %%
anomalies, days = [], pd.DataFrame(columns=['date', 'count', 'baseline'])
if len(usable):
    index = pd.date_range(usable['date'].min(), usable['date'].max(), freq='D').strftime('%Y-%m-%d')
    counts = usable[~is_bot].groupby('date').size().reindex(index, fill_value=0).astype(int)
    c = counts.to_numpy()
    baseline = [None] * len(c)
    for i in range(28, len(c)):
        baseline[i] = float(np.median([c[i - 7], c[i - 14], c[i - 21], c[i - 28]]))
    days = pd.DataFrame({'date': index, 'count': c, 'baseline': baseline})

# %% [markdown]
# ## Anomalies

# %%
for _, day in days.iloc[28:].iterrows():
    count, b = int(day['count']), float(day['baseline'])
    if b == 0:
        if count > 0:
            anomalies.append({'date': day['date'], 'count': count, 'baseline': b, 'ratio': None, 'type': 'spike'})
        continue
    ratio = count / b - 1
    if abs(ratio) >= 0.35:
        anomalies.append({'date': day['date'], 'count': count, 'baseline': b, 'ratio': ratio,
                          'type': 'drop' if ratio < 0 else 'spike'})
print(pd.DataFrame(anomalies))

# %% [markdown]
# ## Visualizations

# %%
fig, ax = plt.subplots(figsize=(10, 4))
if len(days):
    x = pd.to_datetime(days['date'])
    ax.plot(x, days['count'], label='daily count (non-bot puzzle_started)')
    ax.plot(x, days['baseline'].astype(float), label='baseline (median of the same weekday, 1–4 weeks before)')
    flagged = days[days['date'].isin([a['date'] for a in anomalies])]
    ax.scatter(pd.to_datetime(flagged['date']), flagged['count'], color='red', zorder=3, label='flagged day')
ax.set_xlabel('Date (UTC)')
ax.set_ylabel('puzzle_started events')
ax.set_title('Daily counts, baseline and anomalous days')
ax.legend()
fig.tight_layout()
fig.savefig('chart-daily-counts.png', dpi=100)

# %% [markdown]
# ## Conclusion

# %%
pd.DataFrame(anomalies, columns=['date', 'count', 'baseline', 'ratio', 'type']).to_csv('anomalies.csv', index=False)
described = '; '.join(f"{a['date']}: {a['type']} ({a['count']} vs baseline {a['baseline']:g})" for a in anomalies)
summary = {
    'anomalies': anomalies,
    'bot_ids': bot_ids,
    'raw_stats': {
        'days_evaluated': max(0, len(days) - 28),
        'anomaly_count': len(anomalies),
        'usable_rows': int(len(usable)),
        'bot_rows': int(is_bot.sum()),
    },
    'decision': f"{len(anomalies)} anomalous day(s){': ' + described if described else ''}; {len(bot_ids)} bot(s) excluded.",
    'methodology': 'Non-bot puzzle_started per UTC day against the median of the same weekday 1–4 weeks before; |r| ≥ 0.35.',
    'generated_at': datetime.now(timezone.utc).isoformat(),
}
with open('summary.json', 'w') as f:
    json.dump(summary, f, indent=2)
print(summary['decision'])
