// Both entries of the installed package, as an app imports them.
import axios from 'axios';
import { createRotorClient, type RotorClient } from '@rotor/client';
import { installRotorInterceptor } from '@rotor/client/axios';

const client: RotorClient = createRotorClient({ baseUrl: window.location.origin });
const api = axios.create({ baseURL: window.location.origin });
const uninstall: () => void = installRotorInterceptor(api, client);
document.querySelector('#app')!.textContent = typeof uninstall;
