namespace AuthServer.Registry.Auth;

/// <summary>What a verified token tells the registry.</summary>
public sealed record VerifiedToken(string Subject, AccessSet Access);

/// <summary>
/// Verifies a bearer token in the order the chosen distribution version does, because the order
/// decides which <c>error</c> parameter a client sees:
/// 2.8 (token.go <c>NewToken</c> + <c>Verify</c>): parse header and claims, then iss, aud, exp, nbf,
/// a non-empty signature, the key, the signature.
/// 3.x (<c>NewToken</c> + <c>Verify</c>): parse with the allowed algorithms, the key, then go-jose's
/// signature check and claim decoding, then iss, aud, exp, nbf.
/// </summary>
public sealed class TokenVerifier(
    TrustStore trust, VerificationMode mode, string issuer, string service, IReadOnlySet<string> allowedAlgorithms, TimeProvider clock)
{
    /// <summary>token.go <c>Leeway</c>: clock skew allowed on exp and nbf (distribution PR #1686).</summary>
    public static readonly TimeSpan Leeway = TimeSpan.FromSeconds(60);

    private readonly SigningKeyResolver _keys = new(trust, mode);

    /// <exception cref="TokenRejectedException">the token is refused; the failure names the challenge's error.</exception>
    public VerifiedToken Verify(string rawToken)
    {
        var jws = CompactJws.Parse(rawToken, mode);
        var header = TokenHeader.Read(jws.Header, mode);
        return mode == VerificationMode.Distribution28 ? Verify28(jws, header) : Verify3(jws, header);
    }

    private VerifiedToken Verify28(CompactJws jws, TokenHeader header)
    {
        var claims = ReadClaims(jws, AuthFailure.MalformedToken);
        CheckClaims(claims);
        if (jws.Signature.Length == 0) throw Invalid("token has no signature");
        CheckSignature(jws, header, AuthFailure.InvalidToken);
        return new VerifiedToken(claims.Subject, claims.Access);
    }

    private VerifiedToken Verify3(CompactJws jws, TokenHeader header)
    {
        // jwt.ParseSigned(raw, signingAlgorithms): an algorithm off the list is a parse error.
        if (!allowedAlgorithms.Contains(header.Alg))
            throw new TokenRejectedException(AuthFailure.MalformedToken, $"unexpected signature algorithm \"{header.Alg}\"");
        CheckSignature(jws, header, AuthFailure.ClaimsUnverified);
        var claims = ReadClaims(jws, AuthFailure.ClaimsUnverified);
        CheckClaims(claims);
        return new VerifiedToken(claims.Subject, claims.Access);
    }

    private TokenClaims ReadClaims(CompactJws jws, AuthFailure failure)
    {
        try
        {
            return TokenClaims.Read(jws.Payload, mode);
        }
        catch (FormatException e)
        {
            throw new TokenRejectedException(failure, $"unable to decode claims: {e.Message}");
        }
    }

    private void CheckClaims(TokenClaims claims)
    {
        var now = clock.GetUtcNow();
        if (!string.Equals(claims.Issuer, issuer, StringComparison.Ordinal))
            throw Invalid($"token from untrusted issuer: \"{claims.Issuer}\"");
        if (!claims.Audience.Contains(service, StringComparer.Ordinal))
            throw Invalid($"token intended for another audience: \"{string.Join("\", \"", claims.Audience)}\"");
        // A missing exp is 0, long past: such a token is expired.
        var expWithLeeway = UnixTime(claims.Expiration) + Leeway;
        if (now > expWithLeeway) throw Invalid($"token not to be used after {expWithLeeway:u} - currently {now:u}");
        var nbfWithLeeway = UnixTime(claims.NotBefore) - Leeway;
        if (now < nbfWithLeeway) throw Invalid($"token not to be used before {nbfWithLeeway:u} - currently {now:u}");
    }

    private void CheckSignature(CompactJws jws, TokenHeader header, AuthFailure signatureFailure)
    {
        var (key, owned) = _keys.Resolve(header, clock.GetUtcNow());
        try
        {
            if (!key.Verify(header.Alg, mode, System.Text.Encoding.ASCII.GetBytes(jws.SigningInput), jws.Signature, out var reason))
                throw new TokenRejectedException(signatureFailure, $"unable to verify token signature: {reason}");
        }
        finally
        {
            if (owned) key.Dispose();
        }
    }

    // Go's time.Unix takes any int64; DateTimeOffset stops at years 1 and 9999, far enough either way.
    private static DateTimeOffset UnixTime(long seconds) =>
        seconds <= DateTimeOffset.MinValue.ToUnixTimeSeconds() + 120 ? DateTimeOffset.MinValue + Leeway + Leeway
        : seconds >= DateTimeOffset.MaxValue.ToUnixTimeSeconds() - 120 ? DateTimeOffset.MaxValue - Leeway - Leeway
        : DateTimeOffset.FromUnixTimeSeconds(seconds);

    private static TokenRejectedException Invalid(string reason) => new(AuthFailure.InvalidToken, reason);
}
