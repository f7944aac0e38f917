// What the model is told: how the notebook works (system) and the benchmark's task (first user
// message). Kept short on purpose: in a 4096-token window every token of instructions is one less
// for the model's own work.
import type { ChatMessage } from '../model/types.js';

export interface PromptBenchmark {
  task: string;
  requiredOutputs: readonly { file: string }[];
}

export const SYSTEM_PROMPT = `You are a data analyst working in a Python notebook.

How to work:
- Reply with short Markdown prose and code blocks fenced as \`\`\`python … \`\`\`.
- Every \`\`\`python block runs, in order, in one persistent Python kernel: variables and imports carry over between blocks and replies. Blocks with any other tag are shown, not run.
- The results (printed output, the last expression's value, errors, files written, figures) come back in the next message. Read them before you go on.
- Work in small steps: one or two blocks per reply, then check the results.
- Read and write files in the current working directory.
- When every deliverable is written and checked, write a line containing only DONE.`;

/** The same notebook, driven through the `run_python` tool instead of fenced blocks. */
export const TOOLS_SYSTEM_PROMPT = `You are a data analyst working in a Python notebook.

How to work:
- Run Python by calling the run_python tool with {"code": "…"}. Code in your text is shown, not run.
- Every call runs, in order, in one persistent Python kernel: variables and imports carry over between calls and replies.
- Each call's result (printed output, the last expression's value, errors, files written, figures) comes back as the tool's answer. Read it before you go on.
- Work in small steps: one or two calls per reply, then check the results.
- Read and write files in the current working directory.
- When every deliverable is written and checked, answer with a short summary and no tool call.`;

/** The first two messages of every run: the system prompt and the task, never elided. */
export function initialMessages(
  benchmark: PromptBenchmark,
  systemPrompt = SYSTEM_PROMPT,
): [ChatMessage, ChatMessage] {
  return [
    { role: 'system', content: systemPrompt },
    { role: 'user', content: benchmark.task },
  ];
}
