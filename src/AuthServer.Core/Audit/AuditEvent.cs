using AuthServer.Core.Identity;

namespace AuthServer.Core.Audit;

/// <summary>
/// One line of the audit log: a token request and its outcome, a lockout, or a change made by an
/// administrator. Never holds a secret: no password, token or refresh token is ever put here.
/// </summary>
public sealed class AuditEvent
{
    public long Id { get; set; }
    public DateTime At { get; set; }

    /// <summary>What happened, e.g. <c>token.request</c>, <c>login.lockout</c>, <c>user.create</c>; see <see cref="AuditEventTypes"/>.</summary>
    public required string Type { get; set; }

    public AuditOutcome Outcome { get; set; }

    /// <summary>Why: the refusal's cause for the operator (the client is told less), or a note on a change.</summary>
    public string? Reason { get; set; }

    /// <summary>
    /// Whom it concerns, lower-case: the account of a token request (as presented, when it failed),
    /// the account or object a change touched (<c>alice</c>, <c>devs+ci</c>, <c>group:devs</c>,
    /// <c>rule:12</c>), or <c>address:…</c> for an address lockout. Null for anonymous requests.
    /// </summary>
    public string? Subject { get; set; }

    /// <summary>Who made a change: <c>cli:OSUSER</c>, an admin API caller, or <c>system</c>.</summary>
    public string? Actor { get; set; }

    public CredentialKind? Credential { get; set; }

    /// <summary>The access token, robot or refresh session presented, when known.</summary>
    public long? CredentialId { get; set; }

    public string? Service { get; set; }
    public string? RequestedScopes { get; set; }
    /// <summary>As stored: null for a full grant (<see cref="AuditOutcome.Granted"/>), whose scopes are <see cref="RequestedScopes"/>; read <see cref="Granted"/>.</summary>
    public string? GrantedScopes { get; set; }

    /// <summary>What was granted: the stored scopes, or the requested ones for a full grant.</summary>
    public string? Granted => GrantedScopes ?? (Type == AuditEventTypes.TokenRequest && Outcome == AuditOutcome.Granted ? RequestedScopes : null);
    public string? ClientAddress { get; set; }
    public string? UserAgent { get; set; }

    /// <summary>
    /// The W3C trace id (32 hex digits) of the request that caused it: the same id is in that
    /// request's log lines and exported trace. Null outside a request (maintenance, sampled summaries).
    /// </summary>
    public string? TraceId { get; set; }

    /// <summary>JSON with the state before and after a change, where that helps.</summary>
    public string? Details { get; set; }

    /// <summary>One line for the server log when the event cannot be stored: it holds no secret either.</summary>
    public string Summary() =>
        $"{At:O} {Type} {Outcome} subject={Subject ?? "-"} actor={Actor ?? "-"} credential={Credential}/{CredentialId} " +
        $"service={Service ?? "-"} client={ClientAddress ?? "-"} reason={Reason ?? "-"} trace={TraceId ?? "-"} requested=[{RequestedScopes}] granted=[{Granted}] details={Details ?? "-"}";
}
