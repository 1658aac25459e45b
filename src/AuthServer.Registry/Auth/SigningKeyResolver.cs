using System.Text.Json;

namespace AuthServer.Registry.Auth;

/// <summary>
/// Finds the key a token claims to be signed with, first matching branch only (2.8 token.go and
/// 3.x token.go <c>VerifySigningKey</c>): <c>x5c</c> (no fallback when it fails), else an embedded
/// <c>jwk</c>, else <c>kid</c>, else no key. Every failure is <c>ErrInvalidToken</c>.
/// </summary>
public sealed class SigningKeyResolver(TrustStore trust, VerificationMode mode)
{
    /// <summary>The key, and whether the caller owns it (a key from a chain is made per token).</summary>
    public (VerificationKey Key, bool Owned) Resolve(TokenHeader header, DateTimeOffset now)
    {
        if (header.X5c is { Length: > 0 } x5c) return (CertificateChain.Verify(x5c, trust.Roots, now), true);
        if (header.Jwk is { } jwk) return FromJwk(jwk, now);
        if (header.Kid is { } kid)
        {
            return (trust.FindByKid(kid) ?? throw Invalid($"token signed by untrusted key with ID: \"{kid}\""), false);
        }
        throw Invalid("unable to get token signing key");
    }

    /// <summary>
    /// A key in the header is trusted only if it names a trusted key: in 2.8 by its own libtrust ID
    /// (<c>parseAndVerifyRawJWK</c>), in 3.x by the JWK's <c>kid</c>, and then the trusted key is
    /// used, not the embedded one (<c>verifyJWK</c>, fix f4a500caf). A JWK with its own x5c must
    /// chain to the bundle, and in 2.8 the leaf must be that same key.
    /// </summary>
    private (VerificationKey, bool) FromJwk(JsonElement jwk, DateTimeOffset now)
    {
        string[]? x5c;
        string? kid;
        try
        {
            var fields = JsonFields.FromElement(jwk, VerificationMode.Distribution3);
            x5c = fields.StringArray("x5c");
            kid = fields.String("kid");
        }
        catch (FormatException e)
        {
            throw Invalid($"unable to decode raw JWK value: {e.Message}");
        }

        if (mode == VerificationMode.Distribution3)
        {
            if (x5c is { Length: > 0 }) return (CertificateChain.Verify(x5c, trust.Roots, now), true);
            return (trust.FindByKid(kid ?? "") ?? throw Invalid("untrusted JWK with no certificate chain"), false);
        }

        VerificationKey embedded;
        try
        {
            embedded = VerificationKey.FromJwk(jwk);
        }
        catch (FormatException e)
        {
            throw Invalid($"unable to decode raw JWK value: {e.Message}");
        }
        using (embedded)
        {
            var id = KeyIds.Libtrust(embedded.Key);
            if (x5c is not { Length: > 0 })
                return (trust.FindByKid(id) ?? throw Invalid("untrusted JWK with no certificate chain"), false);
            var leaf = CertificateChain.Verify(x5c, trust.Roots, now);
            if (KeyIds.Libtrust(leaf.Key) != id)
            {
                leaf.Dispose();
                throw Invalid("leaf certificate public key ID does not match JWK key ID");
            }
            return (leaf, true);
        }
    }

    private static TokenRejectedException Invalid(string reason) => new(AuthFailure.InvalidToken, reason);
}
