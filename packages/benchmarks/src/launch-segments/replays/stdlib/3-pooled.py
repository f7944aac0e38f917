def rate(completed, started):
    return None if started == 0 else completed / started


mix = {p: {q: rate(counts[(p, q)]['started'], sum(counts[(p, x)]['started'] for x in PLATFORMS)) for q in PLATFORMS}
       for p in PERIODS}
pooled = {p: {k: sum(counts[(p, q)][k] for q in PLATFORMS) for k in ('started', 'completed')} for p in PERIODS}
table = [[pooled[p]['completed'], pooled[p]['started'] - pooled[p]['completed']] for p in PERIODS]
rows_sum = [sum(t) for t in table]
cols_sum = [table[0][j] + table[1][j] for j in range(2)]
total = sum(rows_sum)
pooled_p = None
if min(min(t) for t in table) >= 0 and 0 not in rows_sum and 0 not in cols_sum:
    chi2 = sum((table[i][j] - rows_sum[i] * cols_sum[j] / total) ** 2 / (rows_sum[i] * cols_sum[j] / total)
               for i in range(2) for j in range(2))
    pooled_p = math.erfc(math.sqrt(chi2 / 2))
raw = {
    'pooled_rate_before': rate(pooled['before']['completed'], pooled['before']['started']),
    'pooled_rate_after': rate(pooled['after']['completed'], pooled['after']['started']),
    'pooled_p_value': pooled_p,
}
print('mix:', mix)
print(raw)
