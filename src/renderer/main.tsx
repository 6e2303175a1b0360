import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { CustomerDisplayApp } from './customer-display/CustomerDisplayApp';
import { createClient } from './ipc/client';
import { StationProvider } from './ipc/context';
import { selectTransport } from './ipc/transport';
import { routeOf } from './routes';
import './styles.css';

// The page is chosen before the transport takes the token out of the hash (the path part stays).
const route = routeOf(window.location.hash);
const transport = selectTransport();
const client = createClient(transport);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <StationProvider client={client} transport={transport}>
      {route === 'customer-display' ? <CustomerDisplayApp /> : <App hasToken={transport.hasToken} />}
    </StationProvider>
  </StrictMode>,
);
