import { render } from 'preact';
import { App } from './app/app';
import './app/styles.css';

const root = document.getElementById('app');
if (root) render(<App secure={window.isSecureContext} />, root);
