import DOMPurify from 'dompurify';
import { marked } from 'marked';

/**
 * Everything a model wrote (markdown cells, HTML outputs such as df.head() tables) passes through
 * here before it reaches the page: DOMPurify strips script, event handlers and javascript: URLs;
 * the hook below also keeps model output from loading anything remote (images only as data: URLs)
 * and opens links in a new tab without an opener.
 */
const purify = DOMPurify(window);

purify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'IMG') {
    const src = node.getAttribute('src') ?? '';
    if (!/^data:image\/(png|jpeg|gif|webp);base64,/i.test(src)) node.removeAttribute('src');
    node.removeAttribute('srcset');
  }
  if (node.tagName === 'A' && node.hasAttribute('href')) {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer nofollow');
  }
});

const CONFIG = {
  FORBID_TAGS: [
    'style',
    'form',
    'input',
    'button',
    'textarea',
    'select',
    'iframe',
    'object',
    'embed',
    'link',
    'meta',
    'base',
  ],
  FORBID_ATTR: ['style', 'srcset', 'action', 'formaction'],
};

export function sanitizeHtml(html: string): string {
  return purify.sanitize(html, CONFIG);
}

export function renderMarkdown(markdown: string): string {
  return sanitizeHtml(marked.parse(markdown, { async: false, gfm: true }));
}
