using AuthServer.Core.Identity;
using AuthServer.Core.Scopes;
using AuthServer.Core.Signing;
using Microsoft.Extensions.Options;

namespace AuthServer.Tokens;

/// <summary>
/// GET and POST /token: read the request, authenticate, resolve access, issue, answer. Each stage
/// is its own type; this only composes them and records the outcome.
/// </summary>
public sealed class TokenEndpoint(
    Authenticator authenticator,
    AccessResolver access,
    TokenIssuer issuer,
    RefreshSessionService sessions,
    IOptions<TokenOptions> options,
    ILogger<TokenEndpoint> log)
{
    public async Task<IResult> HandleAsync(HttpContext http, CancellationToken ct)
    {
        var read = await TokenRequestReader.ReadAsync(http, ct);
        if (read.Error is { } malformed)
        {
            log.LogInformation("Token request refused as malformed: {Reason}", malformed.Message);
            return Refuse(malformed);
        }
        var request = read.Request!;

        var service = options.Value.FindService(request.Service);
        if (service is null)
        {
            log.LogInformation("Token request for unknown service {Service}", request.Service);
            return Refuse(TokenError.BadRequest($"unknown service '{request.Service}'"));
        }

        var auth = await authenticator.AuthenticateAsync(request, ct);
        if (!auth.Succeeded)
        {
            log.LogWarning("Token request denied: {Reason}; user {User}, grant {Grant}, client {ClientIp}",
                auth.FailureReason, request.Username ?? "-", request.Grant, request.ClientIp);
            return Refuse(TokenError.Unauthorized);
        }
        var principal = auth.Principal!;

        var decisions = await access.ResolveAsync(principal, service.Name, request.Scopes, ct);
        var granted = decisions.Select(d => d.ToGrant()).ToArray();
        var token = await issuer.IssueAsync(principal.Subject, service.Name, granted, TimeSpan.FromSeconds(service.TokenLifetimeSeconds), ct);
        var refreshToken = await RefreshTokenFor(request, auth, ct);

        log.LogInformation("Token issued to {Subject} ({Credential}) for {Service}: requested [{Requested}], granted [{Granted}], jti {Jti}",
            principal.IsAuthenticated ? principal.Name : "anonymous", principal.Credential, service.Name,
            string.Join(' ', request.Scopes), string.Join(' ', granted.AsEnumerable()), token.Jti);

        return TokenResults.Success(new TokenResponse(
            token.Jwt, token.Jwt, token.ExpiresIn, TokenResults.Rfc3339(token.IssuedAt), refreshToken,
            // oauth.md lists the granted scope in the POST answer; GET answers (token.md) have none.
            request.IsPost ? string.Join(' ', granted.Where(g => g.Actions.Count > 0)) : null));
    }

    /// <summary>
    /// An offline password login starts a refresh session; a refresh grant answers with the very
    /// token it was given, since Docker keeps the first one (oauth.md, moby/moby#39718).
    /// </summary>
    private async Task<string?> RefreshTokenFor(TokenRequest request, AuthenticationResult auth, CancellationToken ct)
    {
        if (request.Grant == GrantKind.RefreshToken) return request.RefreshToken;
        if (request.Grant != GrantKind.Password || !request.Offline || auth.User is null) return null;
        var started = await sessions.StartAsync(auth.User, request.Service, request.ClientId, request.ClientIp, request.UserAgent, ct);
        log.LogInformation("Refresh session {SessionId} started for {User} ({ClientId})", started.Session.Id, auth.User.Name, request.ClientId ?? "-");
        return started.RefreshToken;
    }

    private IResult Refuse(TokenError error) => TokenResults.Error(error, options.Value.Realm);
}
