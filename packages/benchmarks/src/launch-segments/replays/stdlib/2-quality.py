LAUNCH = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
PLATFORMS = ('mobile', 'desktop')
PERIODS = ('before', 'after')


def instant(text):
    # fromisoformat before Python 3.11 rejects a fraction of other than 3 or 6 digits: pad it.
    head, _, zone = text.partition('+')
    if '.' in head:
        whole, frac = head.split('.')
        head = f"{whole}.{frac.ljust(6, '0')[:6]}"
    return datetime.fromisoformat(f"{head}+{zone}" if zone else head)


excluded = {'null_platform': 0, 'other_platform': 0, 'null_session': 0}
counts = {(p, q): {'started': 0, 'completed': 0} for p in PERIODS for q in PLATFORMS}
for r in rows:
    if r['platform'] is None:
        excluded['null_platform'] += 1
    elif r['platform'] not in PLATFORMS:
        excluded['other_platform'] += 1
    elif r['session_id'] is None:
        excluded['null_session'] += 1
    elif r['event'] in ('puzzle_started', 'puzzle_completed'):
        period = 'before' if instant(r['timestamp']) < LAUNCH else 'after'
        counts[(period, r['platform'])]['started' if r['event'] == 'puzzle_started' else 'completed'] += 1
print('excluded:', excluded)
for key, cell in counts.items():
    print(key, cell)
