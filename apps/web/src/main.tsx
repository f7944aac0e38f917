// First: benchmarks built in as plugins (LOCALDS_BENCHMARKS) are registered before anything reads the registry.
import 'virtual:localds-benchmark-plugins';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

// Offline and fast second visits; the relative URL keeps the scope at the page's own folder (sub-paths).
if ('serviceWorker' in navigator && import.meta.env.PROD) {
  const register = () => {
    navigator.serviceWorker.register('./sw.js', { scope: './' }).catch(() => undefined);
  };
  // After load, so precaching never competes with the first view; at once if load has passed.
  if (document.readyState === 'complete') register();
  else addEventListener('load', register, { once: true });
}
