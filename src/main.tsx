import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './styles.css';
import { App } from './App';
import { registerServiceWorker, updates } from './app/service-worker';
import { UpdatePrompt } from './app/UpdatePrompt';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App />
    <UpdatePrompt updates={updates} />
  </StrictMode>,
);
registerServiceWorker();
