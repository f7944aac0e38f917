days, counts, baselines = [], [], []
if usable:
    first, last = min(d for d, _ in usable), max(d for d, _ in usable)
    per_day = {}
    for day, player in usable:
        if player not in bots:
            per_day[day] = per_day.get(day, 0) + 1
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    counts = [per_day.get(d, 0) for d in days]
    for i in range(len(days)):
        if i < 28:
            baselines.append(None)
        else:
            lagged = sorted(counts[i - k] for k in (7, 14, 21, 28))
            baselines.append((lagged[1] + lagged[2]) / 2)
print(f"{len(days)} days, {max(0, len(days) - 28)} evaluated")
