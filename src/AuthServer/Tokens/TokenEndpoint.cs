using System.Diagnostics;
using AuthServer.Core;
using AuthServer.Core.Audit;
using AuthServer.Core.Identity;
using AuthServer.Core.Policy;
using AuthServer.Core.Scopes;
using AuthServer.Core.SignIn;
using AuthServer.Core.Signing;
using AuthServer.Telemetry;
using Microsoft.Extensions.Options;

namespace AuthServer.Tokens;

/// <summary>
/// GET and POST /token: read the request, check the lockout, authenticate, resolve access, issue,
/// answer. Each stage is its own type; this only composes them, and every outcome, refusals and
/// failures included, leaves one audit event.
/// </summary>
public sealed class TokenEndpoint(
    SignInService signIns,
    AccessResolver access,
    TokenIssuer issuer,
    Deferred<RefreshSessionService> sessions,
    AuditWriter audit,
    TokenMetrics metrics,
    IOptions<TokenOptions> options,
    IOptions<AuthServer.Admin.AdminOptions> admin,
    TimeProvider time,
    ILogger<TokenEndpoint> log)
{
    public async Task<IResult> HandleAsync(HttpContext http, CancellationToken ct)
    {
        using var span = TokenTracing.Source.StartActivity(TokenTracing.Request);
        var record = new TokenAudit(http, time);
        try
        {
            return await ProcessAsync(http, record, ct);
        }
        catch (Exception e)
        {
            // The exception handler answers; the audit log still learns the request existed.
            await FinishAsync(record, AuditOutcome.Error, e is OperationCanceledException ? "request aborted" : "internal error");
            throw;
        }
    }

    private async Task<IResult> ProcessAsync(HttpContext http, TokenAudit record, CancellationToken ct)
    {
        TokenRequestReader.Result read;
        using (TokenTracing.Source.StartActivity(TokenTracing.Read))
            read = await TokenRequestReader.ReadAsync(http, ct);
        if (read.Error is { } malformed)
        {
            log.LogInformation("Token request refused as malformed: {Reason}", malformed.Message);
            return await RefuseAsync(record, malformed, AuditOutcome.Invalid, malformed.Message);
        }
        var request = record.Request = read.Request!;

        var service = options.Value.FindService(request.Service);
        if (service is null)
        {
            log.LogInformation("Token request for unknown service {Service}", request.Service);
            return await RefuseAsync(record, TokenError.BadRequest($"unknown service '{request.Service}'"), AuditOutcome.Invalid, "unknown service");
        }

        // Lock, hashing and counting in their order: SignInService.
        var signIn = record.SignIn = await signIns.SignInAsync(request.Attempt, ct);
        if (signIn.LockedFor is { } wait)
        {
            log.LogWarning("Token request held back by the lockout: user {User}, grant {Grant}, client {ClientIp}",
                LogText.Safe(request.Username), request.Grant, request.ClientIp);
            return await RefuseAsync(record, TokenError.LockedOut(wait), AuditOutcome.Locked, signIn.FailureReason);
        }
        if (signIn.SourceUnavailableFor is { } retry)
        {
            // Not a failed sign-in either; the directory's own error is in the operator's log, never in the answer.
            log.LogWarning("Token request refused, identity source unreachable: user {User}, client {ClientIp}", LogText.Safe(request.Username), request.ClientIp);
            return await RefuseAsync(record, TokenError.SourceUnavailable(retry), AuditOutcome.Busy, signIn.FailureReason);
        }
        if (signIn.Busy)
        {
            // Not a failed sign-in: nothing was checked, so the account is not counted.
            log.LogWarning("Token request refused, password hashing queue full: user {User}, client {ClientIp}", LogText.Safe(request.Username), request.ClientIp);
            return await RefuseAsync(record, TokenError.Busy, AuditOutcome.Busy, signIn.FailureReason);
        }
        if (!signIn.Succeeded)
        {
            log.LogWarning("Token request denied: {Reason}; user {User}, credential {Credential}, client {ClientIp}",
                signIn.FailureReason, LogText.Safe(signIn.Account ?? request.Username), signIn.Credential, request.ClientIp);
            return await RefuseAsync(record, TokenError.Unauthorized, AuditOutcome.Unauthorized, signIn.FailureReason);
        }
        var principal = signIn.Principal!;

        IReadOnlyList<ScopeDecision> decisions;
        using (TokenTracing.Source.StartActivity(TokenTracing.Resolve))
            decisions = await access.ResolveAsync(principal, service.Name, request.Scopes, ct);
        var granted = record.Granted = decisions.Select(d => d.ToGrant()).ToArray();
        // A token for the admin API ends with its account's state: a new password, disabling or deleting the user.
        var binding = service.Name == admin.Value.Audience && principal is { UserId: { } userId, AccountVersion: { } version }
            ? (userId, version) : ((long, string)?)null;
        var lifetime = TimeSpan.FromSeconds(service.TokenLifetimeSeconds);
        // A federated login's token ends no later than the ID token (and its trust's limit).
        if (signIn.TokenLifetimeLimit is { } limit && limit < lifetime) lifetime = limit < MinimumLifetime ? MinimumLifetime : limit;
        IssuedToken token;
        string? refreshToken;
        using (TokenTracing.Source.StartActivity(TokenTracing.Issue))
        {
            token = await issuer.IssueAsync(principal.Subject, service.Name, granted, lifetime, ct, binding);
            refreshToken = await RefreshTokenFor(request, signIn, ct);
        }

        // Debug, not Information: the audit log keeps every issued token already, and a log line
        // per token request would cost more than issuing the token (the console logger serialises them).
        if (log.IsEnabled(LogLevel.Debug))
            log.LogDebug("Token issued to {Subject} ({Credential}) for {Service}: requested [{Requested}], granted [{Granted}], jti {Jti}",
                principal.IsAuthenticated ? principal.Name : "anonymous", principal.Credential, service.Name,
                ResourceScope.Join(request.Scopes), ResourceScope.Join(granted), token.Jti);
        await FinishAsync(record, FullyGranted(decisions) ? AuditOutcome.Granted : AuditOutcome.Partial, null);

        return TokenResults.Success(new TokenResponse(
            token.Jwt, token.Jwt, token.ExpiresIn, token.IssuedAtText, refreshToken,
            // oauth.md lists the granted scope in the POST answer; GET answers (token.md) have none.
            request.IsPost ? string.Join(' ', granted.Where(g => g.Actions.Count > 0)) : null));
    }

    /// <summary>
    /// Every offline login starts a refresh session, whatever credential it used: the session
    /// remembers it and ends with it. A refresh grant answers with the very token it was given,
    /// since Docker keeps the first one (oauth.md, moby/moby#39718).
    /// </summary>
    private async Task<string?> RefreshTokenFor(TokenRequest request, SignInResult signIn, CancellationToken ct)
    {
        if (request.Grant == GrantKind.RefreshToken) return request.RefreshToken;
        if (request.Grant != GrantKind.Password || !request.Offline || !signIn.MayRefresh) return null;
        var principal = signIn.Principal!;
        var started = await sessions.Value.StartAsync(principal, signIn.CredentialExpiresAt, request.Service, request.ClientId, request.ClientIp, request.UserAgent, ct);
        log.LogInformation("Refresh session {SessionId} started for {Account} ({Credential}, client {ClientId})",
            started.Session.Id, principal.Name, principal.Credential, request.ClientId ?? "-");
        return started.RefreshToken;
    }

    /// <summary>A token valid for less than this is of no use to a client that must still reach the registry.</summary>
    private static readonly TimeSpan MinimumLifetime = TimeSpan.FromSeconds(5);

    private static bool FullyGranted(IReadOnlyList<ScopeDecision> decisions)
    {
        foreach (var d in decisions)
        {
            if (d.Granted.Count != d.Requested.Actions.Count) return false;
            foreach (var action in d.Granted)
                if (!d.Requested.Actions.Contains(action)) return false;
        }
        return true;
    }

    private async Task<IResult> RefuseAsync(TokenAudit record, TokenError error, AuditOutcome outcome, string? reason)
    {
        await FinishAsync(record, outcome, reason);
        return TokenResults.Error(error, options.Value.Realm);
    }

    /// <summary>The one place every outcome passes: its audit event and its metrics.</summary>
    private ValueTask FinishAsync(TokenAudit record, AuditOutcome outcome, string? reason)
    {
        var finished = record.ToEvent(outcome, reason);
        metrics.Record(finished, record.Request?.Grant, record.StartedAt, Activity.Current);
        return audit.WriteAsync(finished);
    }
}
