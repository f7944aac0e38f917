import type { NotebookSection } from '../definition.js';

/** The parts the task asks the notebook to have; the scorer reports them as notes. */
export const abTestNotebookSections: NotebookSection[] = [
  {
    id: 'setup',
    title: 'Setup & data pull',
    keywords: ['supabase\\.json', 'requests\\.get|pyfetch|urlopen|httpx', 'DataFrame'],
  },
  {
    id: 'sanity-checks',
    title: 'Metric definitions & sanity checks',
    keywords: [
      '\\bSRM\\b|sample ratio',
      'chisquare|chi2|chi-square|χ²',
      'isna|isnull|dropna|notna|null',
    ],
  },
  {
    id: 'primary',
    title: 'Primary analysis',
    keywords: [
      'ttest_ind|welch',
      'equal_var\\s*=\\s*False',
      'confidence interval|\\bCI\\b',
      'cohen',
    ],
  },
  {
    id: 'guardrails',
    title: 'Guardrail analysis',
    keywords: [
      'chi2_contingency|chi-square|χ²',
      'correction\\s*=\\s*False',
      'repeat',
      'z-test|ztest|norm\\.(sf|cdf)',
    ],
  },
  {
    id: 'visualizations',
    title: 'Visualizations',
    keywords: [
      'chart-distribution\\.png',
      'chart-treatment-effect\\.png',
      'chart-completion-rates\\.png',
      'savefig',
    ],
  },
  {
    id: 'conclusion',
    title: 'Conclusion & recommendation',
    keywords: ['summary\\.json', 'recommend', 'json\\.dump'],
  },
];
