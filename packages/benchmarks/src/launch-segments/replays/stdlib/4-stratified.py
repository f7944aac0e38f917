for p in PERIODS:
    for q in PLATFORMS:
        raw[f'rate_{p}_{q}'] = rate(counts[(p, q)]['completed'], counts[(p, q)]['started'])

tables = []
for q in PLATFORMS:
    after, before = counts[('after', q)], counts[('before', q)]
    if after['started'] + after['completed'] + before['started'] + before['completed'] == 0:
        continue
    tables.append((after['completed'], after['started'] - after['completed'],
                   before['completed'], before['started'] - before['completed']))

odds = ci_low = ci_high = cmh_p = None
if tables and min(min(t) for t in tables) >= 0:
    adn = sum(a * d / (a + b + c + d) for a, b, c, d in tables)
    bcn = sum(b * c / (a + b + c + d) for a, b, c, d in tables)
    if adn > 0 and bcn > 0:
        odds = adn / bcn
        v_ad = sum((a + d) * a * d / (a + b + c + d) ** 2 for a, b, c, d in tables)
        v_mid = sum((a + d) * b * c / (a + b + c + d) ** 2 + (1 - (a + d) / (a + b + c + d)) * a * d / (a + b + c + d)
                    for a, b, c, d in tables)
        v_bc = sum((1 - (a + d) / (a + b + c + d)) * b * c / (a + b + c + d) for a, b, c, d in tables)
        se = math.sqrt((v_ad / adn ** 2 + v_mid / (adn * bcn) + v_bc / bcn ** 2) / 2)
        z = NormalDist().inv_cdf(0.975)
        ci_low, ci_high = math.exp(math.log(odds) - z * se), math.exp(math.log(odds) + z * se)
        numerator = sum(a - (a + b) * (a + c) / (a + b + c + d) for a, b, c, d in tables)
        n_ok = all(a + b + c + d > 1 for a, b, c, d in tables)
        if n_ok:
            variance = sum((a + b) * (a + c) * (b + d) * (c + d) / ((a + b + c + d) ** 2 * (a + b + c + d - 1))
                           for a, b, c, d in tables)
            cmh_p = math.erfc(math.sqrt(numerator ** 2 / variance / 2))
raw.update({'mh_odds_ratio': odds, 'mh_ci_low': ci_low, 'mh_ci_high': ci_high, 'cmh_p_value': cmh_p})
print(raw)
