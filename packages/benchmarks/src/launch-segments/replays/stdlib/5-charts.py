# (the raster, font and PNG helpers above are prepended by scripts/make-replays.py)
COLORS = {'before': (31, 119, 180), 'after': (255, 127, 14), 'mobile': (44, 160, 44), 'desktop': (148, 103, 189)}

# Completion rate per period and platform, and pooled.
px = canvas()
axes(px, 'Completion rate before and after launch', 'Platform', 'Completed / started')
groups = [('mobile', 'rate_{}_mobile'), ('desktop', 'rate_{}_desktop'), ('pooled', 'pooled_rate_{}')]
for k, (name, key) in enumerate(groups):
    for j, p in enumerate(PERIODS):
        value = raw[key.format(p)] or 0
        x0 = LEFT + 40 + k * 220 + j * 80
        fill(px, x0, int(BOTTOM - value * (BOTTOM - TOP)), x0 + 70, BOTTOM - 2, COLORS[p])
    tick(px, LEFT + 40 + k * 220 + 75, 0, name, 'x')
for value in (0, 0.5, 1):
    tick(px, 0, int(BOTTOM - value * (BOTTOM - TOP)), f'{value:.1f}', 'y')
legend(px, [('Before', COLORS['before']), ('After', COLORS['after'])])
write_png('chart-rates-by-segment.png', px, title='Completion rate before and after launch by platform and pooled',
          xlabel='Platform', ylabel='Completed / started')

# Platform mix per period: stacked shares of started events.
px = canvas()
axes(px, 'Platform mix before and after launch', 'Period', 'Share of started events')
for k, p in enumerate(PERIODS):
    x0, bottom = LEFT + 120 + k * 280, BOTTOM - 2
    for q in PLATFORMS:
        share = mix[p][q] or 0
        top = bottom - int(share * (BOTTOM - TOP))
        fill(px, x0, top, x0 + 160, bottom, COLORS[q])
        bottom = top
    tick(px, x0 + 80, 0, p, 'x')
for value in (0, 0.5, 1):
    tick(px, 0, int(BOTTOM - value * (BOTTOM - TOP)), f'{value:.1f}', 'y')
legend(px, [('Mobile', COLORS['mobile']), ('Desktop', COLORS['desktop'])])
write_png('chart-segment-mix.png', px, title='Platform mix before and after launch',
          xlabel='Period', ylabel='Share of started events')
print('wrote 2 charts')
