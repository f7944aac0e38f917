// What the model is told for a visual benchmark: a short system prompt per protocol; the task (the
// benchmark's prompt) is the first user message and already ends with the shared rules.

export const VISUAL_SYSTEM_PROMPT = `You write one self-contained HTML file, index.html, as asked.

How to work:
- Answer with the complete file in one fenced block: \`\`\`html … \`\`\`.
- The harness renders the file offline and tells you what it saw (script errors, refused requests, motion, size). You may then revise it: answer with the complete new file again.
- When the file is as you want it, answer without a file.`;

export const VISUAL_TOOLS_SYSTEM_PROMPT = `You write one self-contained HTML file, index.html, as asked.

How to work:
- Write the file by calling the write_file tool with {"path": "index.html", "content": "<the complete file>"}.
- The harness renders the file offline and the tool's answer says what it saw (script errors, refused requests, motion, size). You may then revise it: call write_file again with the complete new file.
- When the file is as you want it, answer without a tool call.`;
