namespace AuthServer.Registry.Auth;

/// <summary>The outcome of <see cref="AccessController.Authorize"/>: a subject, or the failure to challenge with.</summary>
public sealed record Authorization(string? Subject, AuthFailure? Failure)
{
    public bool Granted => Failure is null;
}

/// <summary>
/// accesscontroller.go <c>Authorized</c>: read the bearer token, verify it, then require every
/// needed access item to be in the token. A refusal is logged with its reason (never the token);
/// the client sees only the challenge.
/// </summary>
public sealed class AccessController(TokenVerifier verifier, VerificationMode mode, ILogger<AccessController> log)
{
    public Authorization Authorize(HttpRequest request, IReadOnlyList<AccessItem> required)
    {
        var raw = BearerToken(request.Headers.Authorization.ToString());
        if (raw is null) return new Authorization(null, AuthFailure.TokenRequired);

        VerifiedToken token;
        try
        {
            token = verifier.Verify(raw);
        }
        catch (TokenRejectedException e)
        {
            log.LogInformation("Refused token on {Method} {Path}: {Reason}", request.Method, request.Path, e.Message);
            return new Authorization(null, e.Failure);
        }

        foreach (var item in required)
        {
            if (token.Access.Contains(item)) continue;
            log.LogInformation("Token of {Subject} lacks {Type}:{Name}:{Action} for {Method} {Path}",
                token.Subject, item.Type, item.Name, item.Action, request.Method, request.Path);
            return new Authorization(token.Subject, AuthFailure.InsufficientScope);
        }
        return new Authorization(token.Subject, null);
    }

    /// <summary>
    /// 2.8 splits the header on every space and wants exactly two parts (accesscontroller.go:252);
    /// 3.x cuts at the first space and wants a non-empty rest. The scheme is case-insensitive.
    /// </summary>
    private string? BearerToken(string header)
    {
        if (mode == VerificationMode.Distribution28)
        {
            var parts = header.Split(' ');
            return parts.Length == 2 && parts[0].Equals("bearer", StringComparison.OrdinalIgnoreCase) ? parts[1] : null;
        }
        var space = header.IndexOf(' ');
        if (space < 0) return null;
        var rest = header[(space + 1)..];
        return rest.Length > 0 && header[..space].Equals("bearer", StringComparison.OrdinalIgnoreCase) ? rest : null;
    }
}
