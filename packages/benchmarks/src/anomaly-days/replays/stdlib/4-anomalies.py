anomalies = []
for i in range(28, len(days)):
    c, b = counts[i], baselines[i]
    if b == 0:
        if c > 0:
            anomalies.append({'date': days[i].isoformat(), 'count': c, 'baseline': b, 'ratio': None, 'type': 'spike'})
        continue
    r = c / b - 1
    if abs(r) >= 0.35:
        anomalies.append({'date': days[i].isoformat(), 'count': c, 'baseline': b, 'ratio': r,
                          'type': 'drop' if r < 0 else 'spike'})
for a in anomalies:
    print(a)
