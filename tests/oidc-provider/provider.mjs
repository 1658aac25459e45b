// A real OpenID provider (oidc-provider, a certified implementation) for the SSO tests, on loopback.
// Settings come from the environment: HOST (in its issuer: 127.0.0.1 or localhost; it listens on
// 127.0.0.1 either way), PORT, CLIENT_ID, CLIENT_SECRET, REDIRECT_URIS (comma separated).
// Its built-in development login and consent pages accept any password for the fixed accounts below.
// Prints "listening ISSUER" once it serves.
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://${process.env.HOST || '127.0.0.1'}:${port}`;

// The test accounts: the login typed at the provider, and the claims it gives.
const accounts = {
  alice: { preferred_username: 'alice', name: 'Alice Example', email: 'alice@example.test', groups: ['registry-users', 'developers'] },
  bob: { preferred_username: 'bob', name: 'Bob Example', email: 'bob@example.test', groups: ['contractors'] },
  // Claims the name of the server's local administrator: must never become that account.
  mallory: { preferred_username: 'admin', name: 'Mallory', email: 'mallory@example.test', groups: ['registry-users'] },
  carol: { preferred_username: 'carol', name: 'Carol Example', email: 'carol@example.test', groups: ['registry-users', 'registry-admins'] },
};

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-rsa', use: 'sig', alg: 'RS256' };

const provider = new Provider(issuer, {
  clients: [{
    client_id: process.env.CLIENT_ID,
    client_secret: process.env.CLIENT_SECRET,
    redirect_uris: process.env.REDIRECT_URIS.split(','),
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  jwks: { keys: [signingKey] },
  cookies: { keys: ['authserver-sso-test-cookie-key'] },
  pkce: { required: () => true },
  scopes: ['openid', 'profile', 'email', 'groups'],
  claims: {
    openid: ['sub'],
    profile: ['preferred_username', 'name'],
    email: ['email'],
    groups: ['groups'],
  },
  findAccount: (ctx, id) => (accounts[id] ? { accountId: id, claims: () => ({ sub: id, ...accounts[id] }) } : undefined),
  features: { devInteractions: { enabled: true } },
});

provider.listen(port, '127.0.0.1', () => console.log(`listening ${issuer}`));
