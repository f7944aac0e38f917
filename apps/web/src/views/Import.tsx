import { ImportPanel } from '../components/ImportPanel.js';

export function Import() {
  return (
    <>
      <h1>Import</h1>
      <ImportPanel />
      <p>
        <a href="#/history">See all runs</a>
      </p>
    </>
  );
}
