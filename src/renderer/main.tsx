import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createClient } from './ipc/client';
import { StationProvider } from './ipc/context';
import { selectTransport } from './ipc/transport';
import './styles.css';

const transport = selectTransport();
const client = createClient(transport);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <StationProvider client={client} transport={transport}>
      <App hasToken={transport.hasToken} />
    </StationProvider>
  </StrictMode>,
);
