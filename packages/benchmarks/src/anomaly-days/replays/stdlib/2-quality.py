def utc_date(text):
    # The instant's UTC calendar date (PostgREST renders timestamptz in UTC, but convert anyway).
    head, _, zone = text.partition('+')
    if '.' in head:
        whole, frac = head.split('.')
        head = f"{whole}.{frac.ljust(6, '0')[:6]}"
    return datetime.fromisoformat(f"{head}+{zone}" if zone else head).astimezone(timezone.utc).date()


usable = [(utc_date(r['timestamp']), r['distinct_id']) for r in rows
          if r['event'] == 'puzzle_started' and r['distinct_id'] is not None and r['session_id'] is not None]
per_player_day = {}
for day, player in usable:
    per_player_day[(player, day)] = per_player_day.get((player, day), 0) + 1
bot_ids = sorted({player for (player, day), n in per_player_day.items() if n > 200})
bots = set(bot_ids)
bot_rows = sum(1 for _, player in usable if player in bots)
print(f"usable rows {len(usable)}, bots {bot_ids}, bot rows {bot_rows}")
