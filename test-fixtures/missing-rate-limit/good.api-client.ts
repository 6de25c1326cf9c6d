// A browser API client: api.post('/auth/login', body) sends a request, it registers no route.
import axios from 'axios';

const api = axios.create({ baseURL: '/api' });

export function login(credentials: Credentials) {
  return api.post('/auth/login', credentials);
}

export const register = (form: SignupForm) => api.post('/auth/register', form);
// vibeguard-disable-file missing-timeout -- this fixture is about missing-rate-limit; missing-timeout has fixtures of its own
