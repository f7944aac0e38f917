with open('anomalies.csv', 'w') as f:
    f.write('date,count,baseline,ratio,type\n')
    for a in anomalies:
        f.write(f"{a['date']},{a['count']},{a['baseline']!r},{'' if a['ratio'] is None else repr(a['ratio'])},{a['type']}\n")
described = '; '.join(f"{a['date']} {a['type']} ({a['count']} vs baseline {a['baseline']:g})" for a in anomalies)
summary = {
    'anomalies': anomalies,
    'bot_ids': bot_ids,
    'raw_stats': {'days_evaluated': max(0, len(days) - 28), 'anomaly_count': len(anomalies),
                  'usable_rows': len(usable), 'bot_rows': bot_rows},
    'decision': f"{len(anomalies)} anomalous day(s){': ' + described if described else ''}; {len(bot_ids)} bot(s) excluded.",
    'methodology': 'Non-bot puzzle_started per UTC day against the median of the same weekday 1-4 weeks before, in pure Python.',
    'generated_at': datetime.now(timezone.utc).isoformat(),
}
with open('summary.json', 'w') as f:
    json.dump(summary, f, indent=2)
print(summary['decision'])
