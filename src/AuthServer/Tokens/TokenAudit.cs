using AuthServer.Core.Audit;
using AuthServer.Core.Identity;
using AuthServer.Core.Scopes;
using AuthServer.Core.SignIn;

namespace AuthServer.Tokens;

/// <summary>
/// What the audit log keeps of one token request, filled in as the pipeline goes: the request,
/// then who signed in (or who tried), then what was granted. Never a secret.
/// </summary>
public sealed class TokenAudit(HttpContext http, TimeProvider time)
{
    /// <summary>Stopwatch timestamp of the request's start, for its duration metric.</summary>
    public long StartedAt { get; } = System.Diagnostics.Stopwatch.GetTimestamp();
    public TokenRequest? Request { get; set; }
    public SignInResult? SignIn { get; set; }
    public IReadOnlyList<ResourceScope>? Granted { get; set; }

    public AuditEvent ToEvent(AuditOutcome outcome, string? reason)
    {
        var requested = Scopes(Request?.Scopes);
        var granted = Scopes(Granted);
        return new AuditEvent
        {
            At = time.GetUtcNow().UtcDateTime,
            Type = AuditEventTypes.TokenRequest,
            Outcome = outcome,
            Reason = AuditText.Truncate(reason, AuditText.MaxReasonLength),
            Subject = AuditText.Subject(SignIn?.Principal?.Name ?? SignIn?.Account ?? Request?.Username),
            Credential = SignIn?.Credential ?? Presented(Request),
            CredentialId = SignIn?.CredentialId,
            Service = Request?.Service,
            RequestedScopes = requested,
            // Stored once when equal: a full grant's scopes are its request's (AuditEvent.Granted reads them
            // back); a grant of nothing at all (an anonymous flood of made-up names) is stored as "".
            GrantedScopes = outcome == AuditOutcome.Granted && granted == requested ? null
                : Granted is { Count: > 0 } && Granted.All(g => g.Actions.Count == 0) ? "" : granted,
            ClientAddress = Request?.ClientIp ?? ClientAddress.Display(http.Connection.RemoteIpAddress),
            UserAgent = AuditText.Client(NullIfEmpty(Request?.UserAgent ?? http.Request.Headers.UserAgent.ToString()), AuditText.MaxUserAgentLength),
            // How a keyless CI login was recognised: trust, issuer, subject and the claims that matched.
            Details = SignIn?.AuditDetails,
        };
    }

    private static CredentialKind? Presented(TokenRequest? request) => request?.Grant switch
    {
        GrantKind.Anonymous => CredentialKind.None,
        GrantKind.RefreshToken => CredentialKind.RefreshToken,
        GrantKind.Password => request.Credential.Kind,
        _ => null,
    };

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string? Scopes(IReadOnlyList<ResourceScope>? scopes) =>
        scopes is null ? null : AuditText.Truncate(ResourceScope.Join(scopes), AuditText.MaxScopesLength);
}
