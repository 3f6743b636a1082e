// Renderer entry: chooses the transport, creates the app store around it, mounts the React app.
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { initAppStore } from './state/app-store';
import { createTransport } from './transport/create-transport';
import './styles.css';

initAppStore(createTransport());
const root = document.getElementById('root');
if (root) createRoot(root).render(<App />);
