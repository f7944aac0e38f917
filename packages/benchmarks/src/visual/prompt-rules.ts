/** The rules every visual prompt ends with: what "one self-contained file" means here. */
export const SHARED_RULES = `Rules:
- Answer with the complete file in one fenced block: \`\`\`html … \`\`\` (or, if you can call tools, call
  write_file with path "index.html").
- Everything inline: CSS in <style>, JavaScript in <script>. No external resources of any kind: no CDN
  scripts, web fonts, images or other URLs; the file is shown offline and every request is refused.
- It must fill the whole window at any size and keep filling it when the window is resized.
- It must start animating on its own, within a second or two, with no click or key press.`;
