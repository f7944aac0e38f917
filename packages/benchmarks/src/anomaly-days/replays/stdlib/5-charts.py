# (the raster, font and PNG helpers above are prepended by scripts/make-replays.py)
px = canvas()
axes(px, 'Daily counts baseline and anomalous days', 'Date (UTC)', 'Puzzle starts')
peak = max(counts + [b for b in baselines if b is not None] + [1])
n = max(1, len(days) - 1)
to_x = lambda i: int(LEFT + i / n * (RIGHT - LEFT))
to_y = lambda v: int(BOTTOM - v / peak * (BOTTOM - TOP))
for i, c in enumerate(counts):
    fill(px, to_x(i) - 1, to_y(c), to_x(i) + 2, BOTTOM - 2, (31, 119, 180))
    if baselines[i] is not None:
        fill(px, to_x(i) - 2, to_y(baselines[i]) - 1, to_x(i) + 3, to_y(baselines[i]) + 2, (255, 127, 14))
flagged = {a['date'] for a in anomalies}
for i, d in enumerate(days):
    if d.isoformat() in flagged:
        fill(px, to_x(i) - 5, to_y(counts[i]) - 5, to_x(i) + 6, to_y(counts[i]) + 6, (214, 39, 40))
for i in (0, len(days) // 2, len(days) - 1) if days else ():
    tick(px, to_x(i), 0, days[i].isoformat()[5:], 'x')
for v in (0, peak // 2, peak):
    tick(px, 0, to_y(v), str(int(v)), 'y')
legend(px, [('Count', (31, 119, 180)), ('Baseline', (255, 127, 14)), ('Flagged', (214, 39, 40))])
write_png('chart-daily-counts.png', px, title='Daily counts, baseline and anomalous days',
          xlabel='Date (UTC)', ylabel='Puzzle starts')
print('wrote the chart')
