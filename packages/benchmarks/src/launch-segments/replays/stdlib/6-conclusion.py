if cmh_p is not None and odds is not None and cmh_p < 0.05 and odds != 1:
    status, direction, recommendation = ('significant', 'worse', 'roll_back') if odds < 1 else ('significant', 'better', 'keep')
else:
    status, direction, recommendation = 'not_significant', None, None
g = lambda v: 'n/a' if v is None else f'{v:.4g}'
decision = (f"Status {status}: within platforms the odds of completion changed by a factor of {g(odds)} "
            f"(95% CI {g(ci_low)} to {g(ci_high)}, CMH p = {g(cmh_p)}); the pooled rate went from "
            f"{g(raw['pooled_rate_before'])} to {g(raw['pooled_rate_after'])} (chi-square p = {g(pooled_p)}), moved by the platform mix.")
summary = {
    'status': status, 'direction': direction, 'recommendation': recommendation, 'decision': decision,
    'raw_stats': raw,
    'warnings': [f"excluded rows: {excluded}"],
    'methodology': 'Mantel-Haenszel odds ratio over platforms with the RGB interval and the CMH test, in pure Python.',
    'generated_at': datetime.now(timezone.utc).isoformat(),
}
with open('summary.json', 'w') as f:
    json.dump(summary, f, indent=2)
print(decision)
